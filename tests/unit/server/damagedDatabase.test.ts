import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnnotator, type Ack } from '../../../scripts/annotatorLoad.ts';
import { NO_PRIVATE_CLUSTER, startPrivateCluster } from './privateCluster.ts';
import { spawnServe, startServe, stopServe, type ServeProcess } from './serveProcess.ts';
import { client, invite, LEAD, writePack } from './support.ts';

/**
 * Damaged databases are refused at start, before anything is written: an existing empty SQLite
 * file (a truncated copy) unless --init-db asks for a new database in it, and pages that fail
 * the integrity check (SQLite: PRAGMA quick_check; PostgreSQL: every page of richhf's tables
 * read once, which makes PostgreSQL check each page) even where start-up itself would not read
 * them. Real `richhf serve` processes.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const started: ServeProcess[] = [];
afterAll(() => {
  for (const p of started) p.child.kill('SIGKILL');
});
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A database with some submissions (30 from 3 annotators), the server stopped again. */
async function databaseWithWork(pack: string, db: string): Promise<void> {
  const s = await startServe(['--pack', pack, '--db', db]);
  started.push(s);
  const names = ['a', 'b', 'c'];
  const tokens = await invite(s.url, names);
  const acks: Ack[] = [];
  // Polling while others hold leases: on PostgreSQL a claim skips items another claim has locked.
  const ends = await Promise.all(names.map((n, i) => runAnnotator({ baseUrl: s.url, annotator: n, token: tokens.get(n)!, seed: i + 1, acks, pollWhileLeasedMs: 20 })));
  expect(ends.map((e) => (e.end === 'error' ? String(e.error) : e.end))).toEqual(['done', 'done', 'done']);
  expect(acks.length).toBe(30);
  expect(await stopServe(s)).toBe(0);
}

describe('damaged SQLite databases', () => {
  it('an existing empty file is refused, untouched, unless --init-db; then it becomes a new database', { timeout: 60_000 }, async () => {
    const { file, dir } = writePack(3);
    const db = path.join(dir, 'copy.db');
    writeFileSync(db, '');
    const refused = spawnServe(['--pack', file, '--db', db]);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr.join('\n')).toContain(
      `richhf serve: ${db} is an empty file, not a database (a truncated copy or backup?); nothing was changed. Restore it from a backup to keep earlier work, or pass --init-db to start a new database in it`,
    );
    expect(statSync(db).size).toBe(0);

    const init = await startServe(['--pack', file, '--db', db, '--init-db']);
    started.push(init);
    expect((await client(init.url, LEAD)('GET', '/progress')).body).toMatchObject({ items: 3, submissions: 0 });
    expect(await stopServe(init)).toBe(0);
    // --init-db never touches a database that has data: it opens as usual.
    const again = await startServe(['--pack', file, '--db', db, '--init-db']);
    started.push(again);
    expect((await client(again.url, undefined)('GET', '/health')).status).toBe(200);
    expect(await stopServe(again)).toBe(0);
  });

  it('a damaged page that start-up would not read is found by quick_check; nothing is changed', { timeout: 60_000 }, async () => {
    const { file, dir } = writePack(10, { k: 3 });
    const db = path.join(dir, 'richhf.db');
    await databaseWithWork(file, db);
    // The page of the submissions table (read only by exports and progress), its header overwritten.
    const info = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'libsql'; const db = new Database(${JSON.stringify(db)}); console.log(JSON.stringify({ page: db.prepare("select rootpage from sqlite_master where name = 'submissions'").get([]).rootpage, size: db.pragma('page_size')[0].page_size }));`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(info.status, info.stderr).toBe(0);
    const { page, size } = JSON.parse(info.stdout) as { page: number; size: number };
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(12, 0xee), 0, 12, (page - 1) * size);
    closeSync(fd);
    const before = sha(db);

    const refused = spawnServe(['--pack', file, '--db', db]);
    expect(await refused.exited).toBe(1);
    const err = refused.stderr.join('\n');
    expect(err).toContain(`richhf serve: ${db} is damaged (PRAGMA quick_check: `);
    expect(err).toContain('nothing was changed; restore it from a backup');
    expect(sha(db)).toBe(before);
  });
});

describe.skipIf(NO_PRIVATE_CLUSTER !== undefined)(`damaged PostgreSQL databases${NO_PRIVATE_CLUSTER ? ` (${NO_PRIVATE_CLUSTER})` : ''}`, () => {
  it("a damaged page of richhf's tables is found at start; nothing is changed", async () => {
    const cluster = await startPrivateCluster();
    try {
      const { file } = writePack(10, { k: 3 });
      const db = await cluster.createDatabase('damaged');
      await databaseWithWork(file, db);
      // The first page of the submissions table's file, its header overwritten, the cluster stopped meanwhile (so nothing of it is cached).
      const where = (await cluster.query(`select pg_relation_filepath('submissions') as p`, 'damaged')).rows[0].p as string;
      await cluster.stop('fast');
      const relFile = path.join(cluster.dir, 'data', where);
      const fd = openSync(relFile, 'r+');
      writeSync(fd, Buffer.alloc(24, 0xee), 0, 24, 0);
      closeSync(fd);
      await cluster.start();

      const refused = spawnServe(['--pack', file, '--db', db]);
      expect(await refused.exited).toBe(1);
      const err = refused.stderr.join('\n');
      expect(err).toContain('is damaged (reading every page of table submissions: invalid page in block 0');
      expect(err).toContain('nothing was changed; restore it from a backup');
    } finally {
      await cluster.destroy();
    }
  }, 90_000);
});
