// Semantic errors of the filter compiler: thrown inside it, returned to callers as a FilterSyntaxError.
import type { FilterSyntaxError, Span } from '../../shared/filter'

export class CompileFail {
  constructor(readonly error: FilterSyntaxError) {}
}

export function fail(message: string, span: Span): never {
  throw new CompileFail({ message, pos: span.start, end: span.end })
}
