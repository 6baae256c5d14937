/** Errors are values with a stable type; they become application/problem+json in one place (middleware/problems.ts). */
import { type FieldIssue, type ProblemType, problemTypes } from '@squirrelbin/schemas';

export class ApiProblem extends Error {
  readonly type: ProblemType;
  readonly status: number;
  readonly errors: FieldIssue[] | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    type: ProblemType,
    detail?: string,
    options: { errors?: FieldIssue[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? problemTypes[type].title);
    this.type = type;
    this.status = problemTypes[type].status;
    this.errors = options.errors;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}
