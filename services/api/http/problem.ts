// RFC 9457 problem details. Every refusal the API makes is one of these, with a stable `code`
// that clients can switch on; the human-readable `title`/`detail` may change wording freely.

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  [extension: string]: unknown;
}

export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, title: string, detail?: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(detail ?? title);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.extensions = extensions;
    this.headers = headers;
  }

  toJSON(): ProblemBody {
    const body: ProblemBody = {
      type: `https://shelfmark.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...this.extensions,
    };
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }
}

export function problem(status: number, code: string, title: string, detail?: string, extensions?: Record<string, unknown>): Problem {
  return new Problem(status, code, title, detail, extensions);
}

export const isProblem = (e: unknown): e is Problem => e instanceof Problem;

// Factories for the refusals that recur across modules.
export const notFound = (what: string, id?: string | number) =>
  problem(404, 'not-found', `${what} not found`, id === undefined ? undefined : `No ${what.toLowerCase()} with id ${id}.`);
export const validationFailed = (detail: string, errors?: Array<{ path: string; message: string }>) =>
  problem(422, 'validation-failed', 'The request is not valid', detail, errors ? { errors } : undefined);
export const unauthorized = (detail = 'Sign in or send a valid bearer token.') => problem(401, 'unauthorized', 'Authentication required', detail);
export const forbidden = (detail = 'Your role does not allow this action.') => problem(403, 'forbidden', 'Forbidden', detail);
export const conflict = (code: string, title: string, detail?: string, extensions?: Record<string, unknown>) => problem(409, code, title, detail, extensions);
