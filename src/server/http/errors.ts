import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error the API sends: `{"error": {"message", "path"?}}`. `path` names the field of the
 * request body (or the query parameter) as the command line names fields in files
 * (`scores.overall`, `points[3].x`); `message` is a sentence to show a person as it is, and
 * starts with that path when there is one. Never a stack trace.
 */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly path?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  readonly error: { readonly message: string; readonly path?: string };
}

export function errorBody(message: string, path?: string): ErrorBody {
  return { error: path ? { message, path } : { message } };
}
