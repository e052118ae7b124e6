/**
 * What the server tests share: a fresh database of each kind (SQLite file in a temp folder, or
 * a uniquely named PostgreSQL database created on RICHHF_TEST_POSTGRES_URL and dropped after),
 * small packs on disk, an in-process server, and a tiny JSON client.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { encodeGrayPng } from '../../../src/core/encode/png.ts';
import type { RatingPack } from '../../../src/core/formats/taskpack.ts';
import { openDatabase, type Db } from '../../../src/server/db/database.ts';
import { migrate } from '../../../src/server/db/migrate.ts';
import { startServer, type RunningServer, type ServeOptions } from '../../../src/server/server.ts';

export const PG_URL = process.env.RICHHF_TEST_POSTGRES_URL;
export const LEAD = 'test-lead-token-0123456789abcdef';

export interface TestDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** Without RICHHF_TEST_POSTGRES_URL the PostgreSQL suites are skipped (reported as such). */
  readonly skip: boolean;
  create(): Promise<{ readonly url: string; drop(): Promise<void> }>;
}

let counter = 0;

export const DATABASES: readonly TestDatabase[] = [
  {
    kind: 'sqlite',
    skip: false,
    async create() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-db-'));
      return { url: path.join(dir, 'test.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    kind: 'postgres',
    skip: !PG_URL,
    async create() {
      const name = `richhf_test_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(PG_URL!);
      u.pathname = `/${name}`;
      return {
        url: u.toString(),
        async drop() {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  },
];

/** A pack of n items ("0001"…) with sizes in the pack; the first `withImages` get real PNG files. */
export function writePack(n: number, options: { k?: number; withImages?: number; name?: string; dir?: string } = {}): { file: string; dir: string; pack: RatingPack } {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'richhf-pack-'));
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const words = ['a red cat on a blue sofa', 'three green apples on a wooden table', 'a lighthouse at sunset over the sea', 'two dogs playing in the snow'];
  const items = Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(4, '0');
    return { id, image: `images/${id}.png`, prompt: words[i % words.length]!, width: 64, height: 48 };
  });
  for (let i = 0; i < Math.min(n, options.withImages ?? 0); i++) {
    const pixels = new Uint8Array(64 * 48).fill(i * 10);
    writeFileSync(path.join(dir, 'images', `${items[i]!.id}.png`), encodeGrayPng(64, 48, pixels));
  }
  const pack: RatingPack = { format: 'richhf-taskpack', version: 1, name: options.name ?? 'test', annotatorsPerItem: options.k ?? 3, items };
  const file = path.join(dir, 'pack.json');
  writeFileSync(file, JSON.stringify(pack, null, 2));
  return { file, dir, pack };
}

export interface TestServer extends RunningServer {
  readonly logLines: string[];
}

export async function startTestServer(options: Partial<ServeOptions> & { packFile: string; db: string }): Promise<TestServer> {
  const logLines: string[] = [];
  const server = await startServer({ host: '127.0.0.1', port: 0, leaseMs: 30 * 60_000, leadTokenFromEnv: LEAD, log: (l) => logLines.push(l), ...options });
  return Object.assign(server, { logLines });
}

/**
 * A fresh, migrated database of `database`'s kind for each test of the describe block it is
 * called in (closed and dropped after the test); the function returned gives the current one.
 */
export function databasePerTest(database: TestDatabase): () => Db {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const created = await database.create();
    drop = created.drop;
    db = await openDatabase(created.url);
    await migrate(db);
  });
  afterEach(async () => {
    await db?.close();
    await drop?.();
    db = undefined;
    drop = undefined;
  });
  return () => {
    if (!db) throw new Error('databasePerTest: no database outside a test');
    return db;
  };
}

/**
 * One server per test on `database`: the function returned makes a fresh database and a server on
 * it; after each test the server is closed and the database dropped. Call it inside describe.
 */
export function serverPerTest(database: TestDatabase): (packFile: string, options?: Partial<ServeOptions>) => Promise<TestServer> {
  let server: TestServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await server?.close();
    await drop?.();
    server = undefined;
    drop = undefined;
  });
  return async (packFile, options = {}) => {
    const created = await database.create();
    drop = created.drop;
    server = await startTestServer({ packFile, db: created.url, ...options });
    return server;
  };
}

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A client for one token: `call('GET', '/next')` -> status, parsed JSON (or text, or null for 204), headers. */
export function client(baseUrl: string, token: string | undefined) {
  // Bodies are read loosely in tests (`res.body.error.message`); the assertions check their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async function call<T = any>(method: string, pathAndQuery: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}/api/v1${pathAndQuery}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text === '' ? null : text;
    if (res.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}

export async function invite(baseUrl: string, annotators: string[]): Promise<Map<string, string>> {
  const res = await client(baseUrl, LEAD)<{ invites: { annotator: string; token: string }[] }>('POST', '/invites', { annotators });
  if (res.status !== 201) throw new Error(`invites: ${res.status} ${JSON.stringify(res.body)}`);
  return new Map(res.body.invites.map((i) => [i.annotator, i.token]));
}

/** A valid record for an item of writePack's packs (64x48). */
export function recordFor(itemId: string, overrides: Record<string, unknown> = {}) {
  return {
    itemId,
    imageWidth: 64,
    imageHeight: 48,
    points: [{ kind: 'artifact', x: 10, y: 20 }],
    misalignedTokens: [1],
    scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: 3 },
    submittedAt: '2026-11-26T10:00:00.000Z',
    activeMs: 12_000,
    ...overrides,
  };
}

let uuidCounter = 0;
export function uuid(): string {
  const n = (++uuidCounter).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${n}`;
}
