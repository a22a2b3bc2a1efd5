// Display filters, the part both processes share: syntax only (no field registry here), so the
// renderer can check a filter as it is typed and the main process compiles the same tree.
export type {
  BitAndOperand,
  CallOperand,
  CharOperand,
  CompareExpr,
  CompareOp,
  Expr,
  FilterSyntaxError,
  InExpr,
  LogicalExpr,
  NotExpr,
  Operand,
  ParseResult,
  Quantifier,
  SetElement,
  SetRange,
  SetValue,
  SliceOperand,
  SliceRange,
  Span,
  StringOperand,
  TestExpr,
  WordOperand
} from './ast'
export { stringBytes, stringText } from './ast'
export { parseFilter } from './parser'
export { printFilter, printOperand } from './print'
export { tokenize, type Token, type TokenKind } from './lexer'
export { walkOperands, stripSpans } from './walk'
