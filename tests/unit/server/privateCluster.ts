/**
 * A throwaway PostgreSQL cluster of a test's own (initdb and pg_ctl in a temporary folder, on a
 * free port of 127.0.0.1), for tests that stop, restart or damage PostgreSQL: the shared cluster
 * of RICHHF_TEST_POSTGRES_URL is never touched. Run as the `postgres` user when the tests run as
 * root (PostgreSQL refuses root), as CI does. Everything is asynchronous, so the load a test
 * runs in this process goes on while the cluster stops and starts.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The newest PostgreSQL's bin folder with initdb and pg_ctl (Debian's layout), or undefined. */
export function postgresBinaries(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')) && existsSync(path.join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(base, versions[0]!, 'bin') : undefined;
}

export const PG_BINARIES = postgresBinaries();
/** Why the tests that need a cluster of their own are skipped, for their titles. */
export const NO_PRIVATE_CLUSTER = PG_BINARIES ? undefined : 'skipped: no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin';

const isRoot = process.getuid?.() === 0;

async function asPostgres(file: string, args: readonly string[]): Promise<string> {
  const { stdout } = isRoot ? await run('runuser', ['-u', 'postgres', '--', file, ...args]) : await run(file, [...args]);
  return stdout;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivateCluster {
  /** The cluster's `postgres` database (admin connections). */
  readonly adminUrl: string;
  /** A folder the cluster's user owns (for tablespaces and the like). */
  readonly dir: string;
  /** A new database on the cluster; its URL. */
  createDatabase(name: string, options?: { tablespace?: string }): Promise<string>;
  /** One statement on a database of the cluster (default `postgres`). */
  query(text: string, database?: string): Promise<pg.QueryResult>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops it (whatever state it is in) and deletes its folder. */
  destroy(): Promise<void>;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = PG_BINARIES;
  if (!bin) throw new Error(NO_PRIVATE_CLUSTER);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-private-pg-'));
  if (isRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  await asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  const pgCtl = (args: readonly string[]) => asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-w', ...args]);
  const start = async () => {
    await pgCtl(['-l', path.join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`, 'start']);
  };
  await start();
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const query = async (text: string, database = 'postgres') => {
    const c = new pg.Client({ connectionString: url(database) });
    await c.connect();
    try {
      return await c.query(text);
    } finally {
      await c.end();
    }
  };
  return {
    adminUrl: url('postgres'),
    dir,
    async createDatabase(name, options = {}) {
      await query(`create database ${name}${options.tablespace ? ` tablespace ${options.tablespace}` : ''}`);
      return url(name);
    },
    query,
    stop: async (mode = 'fast') => void (await pgCtl(['-m', mode, 'stop'])),
    start,
    restart: async (mode = 'fast') => void (await pgCtl(['-m', mode, '-l', path.join(dir, 'server.log'), 'restart'])),
    async destroy() {
      await pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
