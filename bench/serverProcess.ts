/**
 * What the server benches share: `richhf serve` in its own process (as deployed), a light
 * node:http client for the simulated annotators, a database of each kind, and percentiles.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import type { HttpCall } from '../scripts/annotatorLoad.ts';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const LEAD = 'bench-lead-token-0123456789';
export const PG_URL = process.env.RICHHF_TEST_POSTGRES_URL;

/**
 * The simulated annotators' HTTP client: node:http with keep-alive connections, which costs
 * the bench process about half what fetch does, leaving more of the 2 cores to the server.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
export const httpCall: HttpCall = (method, url, token, body) =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] !== undefined, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

/**
 * A lighter client for the simulated annotators: HTTP/1.1 written and read by hand on keep-alive
 * sockets (net), about half the CPU of node:http per request in the bench process (whose CPU
 * the server shares on this machine; real annotators' browsers are elsewhere). The same
 * requests (method, path, Authorization, JSON body) and the same latency: from writing the
 * request to having read the whole answer. Only what the server sends is read: a status line,
 * headers, and a Content-Length body (no chunked answers: the API's answers have a length).
 */
export function socketClient(): HttpCall {
  const idle = new Map<string, { socket: net.Socket; until: number }[]>();
  const take = (host: string, port: number): net.Socket => {
    const key = `${host}:${port}`;
    const free = idle.get(key) ?? [];
    for (let f = free.pop(); f; f = free.pop()) {
      // As node:http's agent does: a socket idle for nearly the server's keep-alive time is not
      // reused (the server may be closing it as the request goes out).
      if (!f.socket.destroyed && performance.now() < f.until) return f.socket;
      f.socket.destroy();
    }
    const fresh = net.connect({ host, port });
    fresh.setNoDelay(true);
    // An idle socket the server closes is dropped from the pool (its error, if any, is the close's).
    fresh.on('error', () => undefined);
    fresh.on('close', () => {
      const list = idle.get(key);
      const i = list?.findIndex((f) => f.socket === fresh) ?? -1;
      if (i >= 0) list!.splice(i, 1);
    });
    return fresh;
  };
  const give = (host: string, port: number, socket: net.Socket, keepAliveS: number) => {
    const key = `${host}:${port}`;
    let list = idle.get(key);
    if (!list) idle.set(key, (list = []));
    list.push({ socket, until: performance.now() + (keepAliveS - 1) * 1000 });
  };
  return (method, url, token, body) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const port = Number(u.port || 80);
      const socket = take(u.hostname, port);
      const bodyBytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
      let head = `${method} ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${token}\r\n`;
      if (bodyBytes) head += `Content-Type: application/json\r\nContent-Length: ${bodyBytes.length}\r\n`;
      head += '\r\n';
      let buf: Buffer = Buffer.alloc(0);
      let headerEnd = -1;
      let status = 0;
      let length = 0;
      let retryAfter = false;
      let close = false;
      /** The server's keep-alive time (its `Keep-Alive: timeout=S`; Node's default is 5 s). */
      let keepAliveS = 5;
      const done = (e?: Error) => {
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (e) {
          socket.destroy();
          reject(e);
        }
      };
      const onData = (chunk: Buffer) => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        if (headerEnd < 0) {
          headerEnd = buf.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const lines = buf.toString('latin1', 0, headerEnd).split('\r\n');
          status = Number(lines[0]!.split(' ')[1]);
          for (const line of lines.slice(1)) {
            const colon = line.indexOf(':');
            const name = line.slice(0, colon).toLowerCase();
            const value = line.slice(colon + 1).trim();
            if (name === 'content-length') length = Number(value);
            else if (name === 'retry-after') retryAfter = true;
            else if (name === 'connection' && value.toLowerCase() === 'close') close = true;
            else if (name === 'keep-alive') keepAliveS = Number(/timeout=(\d+)/.exec(value)?.[1] ?? keepAliveS);
            else if (name === 'transfer-encoding') return done(new Error(`socketClient: unexpected Transfer-Encoding ${value}`));
          }
        }
        if (buf.length < headerEnd + 4 + length) return;
        const text = buf.toString('utf8', headerEnd + 4, headerEnd + 4 + length);
        done();
        if (close) socket.destroy();
        else give(u.hostname, port, socket, keepAliveS);
        resolve({ status, retryAfter, text });
      };
      const onError = (e: Error) => done(e);
      const onClose = () => done(new Error('socketClient: the server closed the connection'));
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
      socket.write(bodyBytes ? Buffer.concat([Buffer.from(head, 'latin1'), bodyBytes]) : head);
    });
}

export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
}

/** This checkout's command line. */
export const BIN = path.join(root, 'bin/richhf.mjs');

/** Starts `richhf serve` (this checkout's, or `bin`'s) and resolves once it prints its URL; its request log is read and dropped. */
export function startServer(pack: string, db: string, extraArgs: readonly string[] = [], bin = BIN): Promise<Running> {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), bin, 'serve', '--pack', pack, '--db', db, '--port', '0', '--lease', '30m', ...extraArgs],
    { env: { ...process.env, RICHHF_LEAD_TOKEN: LEAD } },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`richhf serve exited with ${code}: ${stderr}`)));
  });
}

export async function stopServer(s: Running): Promise<void> {
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await exited;
}

/** utime + stime of a process, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export const pct = (values: readonly number[], q: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
};
export const ms = (v: number): string => `${v.toFixed(1)} ms`;

export async function lead(url: string, p: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/api/v1${p}`, { ...init, headers: { Authorization: `Bearer ${LEAD}`, ...(init.headers as Record<string, string> | undefined) } });
}

/** Invites `names` and returns their tokens. */
export async function inviteAll(url: string, names: readonly string[]): Promise<{ annotator: string; token: string }[]> {
  const res = await lead(url, '/invites', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ annotators: names }) });
  return ((await res.json()) as { invites: { annotator: string; token: string }[] }).invites;
}

export interface DbRun {
  readonly name: 'SQLite' | 'PostgreSQL';
  readonly db: string;
  readonly drop: () => Promise<void>;
}

/** A PostgreSQL database created on RICHHF_TEST_POSTGRES_URL for this run (dropped after), or undefined without it. */
export async function postgresDb(suffix: string): Promise<DbRun | undefined> {
  if (!PG_URL) return undefined;
  const name = `richhf_bench_${process.pid}_${suffix}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return {
    name: 'PostgreSQL',
    db: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
