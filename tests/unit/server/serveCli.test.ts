import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnnotator, type Ack } from '../../../scripts/annotatorLoad.ts';
import { MIGRATIONS } from '../../../src/server/db/migrate.ts';
import { client, invite, LEAD, recordFor, uuid, writePack } from './support.ts';
import { spawnServe, startServe, stopServe, type ServeProcess } from './serveProcess.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/** `richhf serve` as a command: what it prints, what it refuses, how it stops. Real processes on SQLite files. */
const started: ServeProcess[] = [];
afterAll(() => {
  for (const p of started) p.child.kill('SIGKILL');
});
const track = <T extends ServeProcess>(p: T) => (started.push(p), p);

describe('richhf serve', () => {
  it('prints the URL, the lead URL (the generated token only on the first start) and how to invite; a second server on the file is refused', async () => {
    const { file, dir } = writePack(4);
    const first = track(await startServe(['--pack', file], {}));
    const out = first.stdout.join('\n');
    const token = /lead: (http:\/\/127\.0\.0\.1:\d+)\/\?lead=([A-Za-z0-9_-]{43})#\/review/.exec(out);
    expect(token, out).not.toBeNull();
    expect(token![1]).toBe(first.url);
    expect(out).toContain(`app: ${first.url}/`);
    expect(out).toContain(`database: sqlite ${path.join(dir, 'richhf.db')}`);
    expect(out).toContain(`invites: curl -X POST ${first.url}/api/v1/invites -H "Authorization: Bearer ${token![2]}"`);
    expect((await client(first.url, token![2])('GET', '/me')).body.role).toBe('lead');

    const second = spawnServe(['--pack', file], {});
    expect(await second.exited).toBe(1);
    // The pid file beside the database names the holder.
    const holder = (JSON.parse(readFileSync(path.join(dir, 'richhf.db.pid'), 'utf8')) as { pid: number }).pid;
    expect(holder).toBe(first.child.pid);
    expect(second.stderr.join('\n')).toContain(`${path.join(dir, 'richhf.db')} is in use by richhf serve process ${holder} (started `);
    expect((await client(first.url, undefined)('GET', '/health')).status).toBe(200); // the first one is unharmed

    expect(await stopServe(first)).toBe(0);
    expect(existsSync(path.join(dir, 'richhf.db.pid')), 'the pid file goes with the server').toBe(false);
    const again = track(await startServe(['--pack', file], {}));
    const out2 = again.stdout.join('\n');
    expect(out2).not.toContain(token![2]);
    expect(out2).toContain('?lead=LEAD_TOKEN#/review, with the lead token printed on the first start');
    expect((await client(again.url, token![2])('GET', '/me')).body.role).toBe('lead'); // still the same token
    expect(await stopServe(again)).toBe(0);

    // A lost lead token: --new-lead-token replaces it (printed once) and the old one stops working.
    const renewed = track(await startServe(['--pack', file, '--new-lead-token'], {}));
    const out3 = renewed.stdout.join('\n');
    const newToken = /lead: http:\/\/127\.0\.0\.1:\d+\/\?lead=([A-Za-z0-9_-]{43})#\/review/.exec(out3);
    expect(newToken, out3).not.toBeNull();
    expect(newToken![1]).not.toBe(token![2]);
    expect(out3).toContain('a new lead token, shown only now; the previous one no longer works');
    expect((await client(renewed.url, newToken![1])('GET', '/me')).body.role).toBe('lead');
    expect((await client(renewed.url, token![2])('GET', '/me')).status).toBe(401);
    expect(await stopServe(renewed)).toBe(0);
    const envAndNew = spawnServe(['--pack', file, '--new-lead-token'], { RICHHF_LEAD_TOKEN: LEAD });
    expect(await envAndNew.exited).toBe(2);
    expect(envAndNew.stderr.join('\n')).toContain('--new-lead-token: RICHHF_LEAD_TOKEN is set');
  });

  it('refuses a bad pack, naming the file and field (exit 1), and bad options (exit 2)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-badpack-'));
    const bad = path.join(dir, 'pack.json');
    writeFileSync(bad, JSON.stringify({ format: 'richhf-taskpack', version: 1, name: 'x', items: [{ id: 'a', image: '../../etc/passwd', prompt: 'p' }] }));
    const p = spawnServe(['--pack', bad], {});
    expect(await p.exited).toBe(1);
    expect(p.stderr.join('\n')).toContain(`${bad}: items[0].image: goes outside the pack's folder`);
    const usage = spawnServe(['--pack', bad, '--lease', 'soon'], {});
    expect(await usage.exited).toBe(2);
    expect(usage.stderr.join('\n')).toContain('--lease must be a duration such as 90s, 30m or 2h, got "soon"');
  });

  it('a lead token a browser cannot send is refused at start, saying why (exit 1)', async () => {
    const { file } = writePack(2);
    for (const [token, why] of [
      ['pass word!', 'may hold only the letters A-Z and a-z, digits and . _ ~ + / - (and = at the end)'],
      ['pässwörd-pässwörd', 'may hold only the letters A-Z and a-z'],
      ['a', 'is 1 characters long; use at least 16 (or leave it unset: a random one is made)'],
    ] as const) {
      const p = spawnServe(['--pack', file], { RICHHF_LEAD_TOKEN: token });
      expect(await p.exited).toBe(1);
      expect(p.stderr.join('\n')).toContain(`richhf serve: RICHHF_LEAD_TOKEN: ${why}`);
    }
  });

  it('item ids "." and "..", which no image URL can carry (the URL parser reads them as folder steps), are refused at pack load, located', async () => {
    const { file, pack } = writePack(3);
    writeFileSync(file, JSON.stringify({ ...pack, items: [{ ...pack.items[0]!, id: '.' }, pack.items[1]!, { ...pack.items[2]!, id: '..' }] }));
    const p = spawnServe(['--pack', file]);
    expect(await p.exited).toBe(1);
    const err = p.stderr.join('\n');
    expect(err).toContain(
      `${file}: items[0].id: "." cannot be an item id on a server: in its image URL (/api/v1/images/ID) the URL parser reads it as a folder step; rename the item`,
    );
    expect(err).toContain(`${file}: items[2].id: ".." cannot be an item id on a server`);
  });

  it('a changed pack: added items keep all work; removing or changing an item with submissions is refused, naming it', async () => {
    const { file, dir, pack } = writePack(3, { k: 1 });
    const s = track(await startServe(['--pack', file]));
    const alice = client(s.url, (await invite(s.url, ['alice'])).get('alice'));
    await alice('GET', '/next');
    expect((await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
    expect(await stopServe(s)).toBe(0);

    writeFileSync(file, JSON.stringify({ ...pack, items: [...pack.items, { id: '0004', image: 'images/0004.png', prompt: 'a fourth one', width: 64, height: 48 }] }));
    const grown = track(await startServe(['--pack', file]));
    expect(grown.stdout.join('\n')).toContain('pack changed since the last start: 1 items added, 0 changed, 0 removed; all work kept');
    const progress = await client(grown.url, LEAD)('GET', '/progress');
    expect(progress.body).toMatchObject({ items: 4, submissions: 1 });
    expect(await stopServe(grown)).toBe(0);

    writeFileSync(file, JSON.stringify({ ...pack, items: [{ ...pack.items[0]!, prompt: 'something else' }, ...pack.items.slice(1)] }));
    const changed = spawnServe(['--pack', file]);
    expect(await changed.exited).toBe(1);
    expect(changed.stderr.join('\n')).toContain(`${file}: items "0001" already have submissions in ${path.join(dir, 'richhf.db')} but were removed or changed in the pack`);
    writeFileSync(file, JSON.stringify({ ...pack, items: pack.items.slice(1) }));
    const removed = spawnServe(['--pack', file]);
    expect(await removed.exited).toBe(1);
    expect(removed.stderr.join('\n')).toContain('items "0001" already have submissions');
  });

  it('refuses a database written by a newer version, and leaves it alone', async () => {
    const { file, dir } = writePack(2);
    const s = track(await startServe(['--pack', file]));
    expect(await stopServe(s)).toBe(0);
    const dbFile = path.join(dir, 'richhf.db');
    // In child processes: a libsql connection keeps its file lock until its process exits.
    const sqlite = (code: string) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import Database from 'libsql'; const db = new Database(${JSON.stringify(dbFile)}); ${code}`], {
        encoding: 'utf8',
        cwd: root,
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    };
    sqlite(`db.prepare('insert into richhf_migrations (version, name, applied_at) values (99, ?, 0)').run(['from the future']);`);
    const contents = () =>
      JSON.parse(
        sqlite(
          `console.log(JSON.stringify({ migrations: db.prepare('select version, name from richhf_migrations order by version').all([]), tables: db.prepare('select name, sql from sqlite_master order by name').all([]) }));`,
        ),
      );
    const before = contents();
    expect(before.migrations).toEqual([...MIGRATIONS.map((m) => ({ version: m.version, name: m.name })), { version: 99, name: 'from the future' }]);
    const p = spawnServe(['--pack', file]);
    expect(await p.exited).toBe(1);
    expect(p.stderr.join('\n')).toContain(
      `${dbFile} has schema version 99, but this richhf serve knows versions up to ${Math.max(...MIGRATIONS.map((m) => m.version))}: it was last opened by a newer richhf-studio`,
    );
    expect(contents()).toEqual(before);
  });

  it('SIGTERM: requests in flight finish, every acknowledged submission is kept, exit 0', async () => {
    const { file } = writePack(60, { k: 2 });
    const s = track(await startServe(['--pack', file]));
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const tokens = await invite(s.url, names);
    const acks: Ack[] = [];
    const load = Promise.all(names.map((n, i) => runAnnotator({ baseUrl: s.url, annotator: n, token: tokens.get(n)!, seed: i + 1, acks })));
    // Stop once some work is done, while the annotators are still sending.
    await new Promise<void>((resolve) => {
      const poll = () => (acks.length >= 20 ? resolve() : setImmediate(poll));
      poll();
    });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr.join('\n')).toContain('SIGTERM: finishing requests in flight, then stopping');
    await load;
    const back = track(await startServe(['--pack', file]));
    for (const n of names) {
      const records = (await client(back.url, LEAD)('GET', `/export/annotations?annotator=${n}`)).body.annotations as { itemId: string }[];
      const mine = acks.filter((a) => a.annotator === n).map((a) => a.itemId);
      for (const id of mine) expect(records.map((r) => r.itemId)).toContain(id);
    }
    expect(await stopServe(back)).toBe(0);
  });
});
