import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Bounds on connections, so clients that connect and send nothing useful (half a request
 * header, a body that never ends) cannot use up the server's file descriptors and keep everyone
 * else out. Three bounds:
 * - a request header must arrive within `headersTimeoutMs` and the whole request (body
 *   included) within `requestTimeoutMs`, checked every `checkEveryMs` (Node closes the rest);
 * - connections from one client address that have not yet sent their first complete request
 *   header: at most `pendingPerAddress`; more are closed at once. A browser opens a few
 *   connections per server and sends its header at once, so this holds back connections that
 *   stall, while leaving room for a classroom behind one NAT address or a proxy (behind a proxy
 *   every client shares its address: give the proxy its own limits too);
 * - connections in all: at most `maxConnections` (Node closes the rest at once), well under the
 *   process's file descriptor limit.
 * Answers being sent (progress streams, an export) are not limited by these time-outs.
 */
export interface ConnectionLimits {
  readonly maxConnections: number;
  readonly pendingPerAddress: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly checkEveryMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 4_000,
  pendingPerAddress: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  checkEveryMs: 1_000,
};

/** Options for http.createServer. */
export function serverTimeouts(limits: ConnectionLimits): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    connectionsCheckingInterval: limits.checkEveryMs,
  };
}

/** Applies the connection bounds to a listening server. */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
  const pending = new Map<string, number>();
  const settled = new WeakMap<Socket, () => void>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const n = pending.get(address) ?? 0;
    if (n >= limits.pendingPerAddress) {
      socket.destroy();
      return;
    }
    pending.set(address, n + 1);
    let counted = true;
    const settle = () => {
      if (!counted) return;
      counted = false;
      const left = (pending.get(address) ?? 1) - 1;
      if (left > 0) pending.set(address, left);
      else pending.delete(address);
    };
    settled.set(socket, settle);
    socket.once('close', settle);
  });
  // A complete request header: this connection is in use, no longer pending.
  server.on('request', (req: { socket: Socket }) => settled.get(req.socket)?.());
}
