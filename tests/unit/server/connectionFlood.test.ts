import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { client, DATABASES, startTestServer, writePack, type TestServer } from './support.ts';

/**
 * Unauthenticated connection floods: clients that open connections and send half a request
 * header, then nothing (each holds a file descriptor of the server). Connections from one
 * address still waiting for their first request header are bounded, a header must arrive within
 * a time-out, and connections in all are bounded; meanwhile /health from elsewhere is answered.
 * The flood is bounded (a few hundred sockets) and comes from 127.0.0.2, the test's own
 * requests from 127.0.0.1 (both loopback).
 */
interface Flood {
  readonly sockets: net.Socket[];
  /** Sockets the server has closed so far. */
  closed(): number;
}

/** Opens `n` connections from `from`, each sending half a request header; resolves once each is connected or already closed. */
async function halfHeaders(port: number, n: number, from: string): Promise<Flood> {
  let closed = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect({ port, host: '127.0.0.1', localAddress: from });
          s.on('error', () => undefined);
          s.resume(); // read what the server sends (a 408), so its closing is seen
          s.once('close', () => {
            closed++;
            resolve(s);
          });
          s.once('connect', () => {
            s.write('GET /api/v1/health HTTP/1.1\r\nHost: flood\r\nX-Slow: ');
            // Connected; whether the server keeps it is seen by 'close' later.
            setImmediate(() => resolve(s));
          });
        }),
    ),
  );
  return { sockets, closed: () => closed };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`connection floods on ${database.kind}`, () => {
    let server: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    const floods: Flood[] = [];
    afterEach(async () => {
      for (const f of floods.splice(0)) for (const s of f.sockets) s.destroy();
      await server?.close();
      await drop?.();
      server = undefined;
    });

    it('half-sent headers from one address: at most the per-address bound is held, each only until the header time-out; /health answers throughout', async () => {
      const created = await database.create();
      drop = created.drop;
      server = await startTestServer({
        packFile: writePack(2).file,
        db: created.url,
        connections: { pendingPerAddress: 16, headersTimeoutMs: 1_500, checkEveryMs: 250 },
      });
      const flood = await halfHeaders(server.port, 300, '127.0.0.2');
      floods.push(flood);
      // All but 16 are closed by the server at once (without waiting for any time-out).
      await until(() => flood.closed() >= 300 - 16);
      const health = await client(server.url, undefined)('GET', '/health');
      expect(health.status).toBe(200);
      expect(flood.closed()).toBeLessThan(300);
      // The 16 held ones are closed when their header time-out passes.
      await until(() => flood.closed() === 300);
      expect((await client(server.url, undefined)('GET', '/health')).status).toBe(200);
    });

    it('connections in all are bounded: from many addresses, no more than the bound is held', async () => {
      const created = await database.create();
      drop = created.drop;
      server = await startTestServer({
        packFile: writePack(2).file,
        db: created.url,
        connections: { maxConnections: 40, pendingPerAddress: 16, headersTimeoutMs: 60_000 },
      });
      const opened: Flood[] = [];
      for (let i = 2; i < 8; i++) opened.push(await halfHeaders(server.port, 16, `127.0.0.${i + 1}`));
      floods.push(...opened);
      const attempts = 6 * 16;
      const closed = () => opened.reduce((n, f) => n + f.closed(), 0);
      await until(() => closed() >= attempts - 40);
      expect(attempts - closed()).toBeLessThanOrEqual(40);
      // Once they are gone, the server answers again.
      for (const f of opened) for (const s of f.sockets) s.destroy();
      await until(() => closed() === attempts);
      let answered = false;
      while (!answered) answered = (await client(server.url, undefined)('GET', '/health').catch(() => ({ status: 0 }))).status === 200;
    });
  });
}
