/**
 * What the server benches share: `richhf serve` in its own process (as deployed), a light
 * node:http client for the simulated annotators, a database of each kind, and percentiles.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
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
