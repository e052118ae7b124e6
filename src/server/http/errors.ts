import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DatabaseFault } from '../db/faults.ts';

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

/** Retry-After (seconds) on a 503 for a database fault: a reconnection is quick; freeing disk space takes a person. */
export const FAULT_RETRY_AFTER_S: Record<DatabaseFault, number> = { unavailable: 1, diskFull: 10 };

/**
 * Database faults in the server's log: one line when a kind of fault starts, then at most one
 * every FAULT_LOG_MS while it lasts (under load every request meets it; the request log already
 * has each 503).
 */
const FAULT_LOG_MS = 10_000;

export class FaultLog {
  private readonly last = new Map<DatabaseFault, number>();

  constructor(private readonly log: (line: string) => void) {}

  note(fault: DatabaseFault, e: unknown, now = Date.now()): void {
    const last = this.last.get(fault);
    if (last !== undefined && now - last < FAULT_LOG_MS) return;
    this.last.set(fault, now);
    this.log(JSON.stringify({ time: new Date(now).toISOString(), event: 'database fault', fault, message: (e as Error).message }));
  }
}
