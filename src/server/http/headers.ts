import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. The Content-Security-Policy is the app's own (the
 * `<meta>` in index.html, kept in step by a test) with images narrowed to what this server's
 * pack needs (the server itself, which serves the pack's files, blob:, and the origins of the
 * pack's http(s) image URLs: not any http origin), plus what only a header can say: no framing
 * (clickjacking), no plugins, no <base> or form posts elsewhere. Referrer-Policy no-referrer
 * keeps invite and lead URLs (which carry a token until the app removes it) out of Referer
 * headers sent to image hosts.
 */
export const APP_CSP =
  "default-src 'self'; img-src 'self' http: https: blob: data:; connect-src 'self' http: https: blob: data:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:";

/** The origins of the http(s) URLs among a pack's images (file paths are served by the server itself), sorted, each once. */
export function imageOrigins(images: Iterable<string>): string[] {
  const origins = new Set<string>();
  for (const image of images) {
    if (!/^https?:/i.test(image)) continue;
    try {
      origins.add(new URL(image).origin);
    } catch {
      // Not a URL: a file path (the pack path rule has checked it).
    }
  }
  return [...origins].sort();
}

/** The server's policy for a pack whose http(s) images come from `origins`. */
export function serverCsp(origins: readonly string[]): string {
  const img = ["img-src 'self' blob:", ...origins].join(' ');
  return `${APP_CSP.replace(/img-src [^;]*/, img)}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'`;
}

/** Every header but the CSP, which depends on the pack (serverCsp). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/**
 * The headers for a pack whose http(s) images come from `origins`. They are set on Node's
 * response before the route runs, and Node merges them with the route's own when it writes the
 * head, the route's winning: so a route may tighten the policy for what it sends (images:
 * nothing may run) or say how long an answer may be cached. Set here rather than on Hono's
 * Response after the route, which turned each answer's plain header object into a fetch
 * `Headers` to change it (a few percent of the server's CPU per request, profiled under the
 * server bench).
 */
export function securityHeaders(origins: readonly string[]): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const headers = Object.entries({ 'Content-Security-Policy': serverCsp(origins), ...SECURITY_HEADERS });
  return async (c, next) => {
    const outgoing = c.env.outgoing;
    for (const [name, value] of headers) outgoing.setHeader(name, value);
    // API answers are per user and change all the time; the app's files can be cached.
    if (c.req.path.startsWith('/api/')) outgoing.setHeader('Cache-Control', 'no-store');
    await next();
  };
}
