import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. The Content-Security-Policy is the app's own (the
 * `<meta>` in index.html, kept in step by a test) plus what only a header can say: no framing
 * (clickjacking), no plugins, no <base> or form posts elsewhere. Referrer-Policy no-referrer
 * keeps invite and lead URLs (which carry a token until the app removes it) out of Referer
 * headers sent to image hosts.
 */
export const APP_CSP =
  "default-src 'self'; img-src 'self' http: https: blob: data:; connect-src 'self' http: https: blob: data:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:";

export const SERVER_CSP = `${APP_CSP}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'`;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': SERVER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      // A route may tighten the policy for what it sends (images: nothing may run).
      if (name === 'Content-Security-Policy' && c.res.headers.has(name)) continue;
      c.res.headers.set(name, value);
    }
    // API answers are per user and change all the time; the app's files can be cached.
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  };
}
