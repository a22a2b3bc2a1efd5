// Display filters on the main side: compile text or an AST against the field registry.
export { compileFilter, compileFilterAst, type CompileOptions, type CompileResult, type DisplayFilter, type FieldLookup, type FieldUse } from './compile'
