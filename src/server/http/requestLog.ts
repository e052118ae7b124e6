import type { MiddlewareHandler } from 'hono';
import type { Identity } from '../auth/identity.ts';

/**
 * One JSON line per request, written when the response starts: time, method, path (never the
 * query string, which may hold an invite or lead token in `/?invite=…`, or an image URL's
 * signature), status, milliseconds to the response, and who asked (the annotator id, never a
 * token).
 */
export interface RequestLogLine {
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly role?: Identity['role'];
  readonly annotator?: string;
}

export function requestLog(write: (line: string) => void): MiddlewareHandler<{ Variables: { identity?: Identity } }> {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    const identity = c.get('identity');
    const line: RequestLogLine = {
      time: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - t0) * 100) / 100,
      ...(identity ? { role: identity.role } : {}),
      ...(identity?.role === 'annotator' ? { annotator: identity.annotator } : {}),
    };
    write(JSON.stringify(line));
  };
}
