/**
 * A real `richhf serve` for end-to-end tests, as a lead runs it: a small pack (the demo pack's
 * first items and images, copied into a temporary folder with its SQLite database), the built
 * app from dist/ (Playwright's webServer builds it first), port 0 on the first start and the
 * same port on a restart (the pages keep their origin). The lead's token is set by the test.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listening, spawnServe, stopServe, type ServeProcess } from '../unit/server/serveProcess.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const LEAD_TOKEN = 'e2e-lead-token-0123456789abcdef';

interface DemoPack {
  name: string;
  annotatorsPerItem: number;
  instructions?: string;
  items: { id: string; image: string; prompt: string; width: number; height: number }[];
}

export class Collection {
  private proc: ServeProcess | null = null;
  url = '';

  private constructor(
    readonly dir: string,
    readonly packFile: string,
    readonly pack: DemoPack,
    private readonly extraArgs: string[],
  ) {}

  /** A pack of the demo's first `items` items with K = `k`, served by a fresh server; `ids` renames the first items. */
  static async start(options: { items: number; k: number; name?: string; args?: string[]; ids?: readonly string[] }): Promise<Collection> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-e2e-collect-'));
    const demo = JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as DemoPack;
    const items = demo.items.slice(0, options.items).map((item, i) => ({ ...item, id: options.ids?.[i] ?? item.id }));
    const pack: DemoPack = { ...demo, name: options.name ?? 'e2e', annotatorsPerItem: options.k, items };
    mkdirSync(path.join(dir, 'images'));
    for (const item of pack.items) copyFileSync(path.join(ROOT, 'public/demo', item.image), path.join(dir, item.image));
    const packFile = path.join(dir, 'pack.json');
    writeFileSync(packFile, JSON.stringify(pack, null, 2));
    const c = new Collection(dir, packFile, pack, options.args ?? []);
    await c.launch('0');
    return c;
  }

  get port(): string {
    return new URL(this.url).port;
  }

  get stdout(): readonly string[] {
    return this.proc?.stdout ?? [];
  }

  private async launch(port: string): Promise<void> {
    const p = spawnServe(['--pack', this.packFile, '--db', path.join(this.dir, 'richhf.db'), '--app', path.join(ROOT, 'dist'), ...this.extraArgs, '--port', port], {
      RICHHF_LEAD_TOKEN: LEAD_TOKEN,
    });
    this.proc = p;
    this.url = await listening(p);
  }

  /** SIGTERM, and wait for it to exit (acknowledged work is durable by then). */
  async stop(): Promise<void> {
    if (this.proc) await stopServe(this.proc);
    this.proc = null;
  }

  /** Start again on the same database and the same port. */
  async restart(): Promise<void> {
    await this.launch(this.port);
  }

  /** Rewrite the pack file (the next restart loads it). */
  writePack(pack: DemoPack): void {
    writeFileSync(this.packFile, JSON.stringify(pack, null, 2));
  }

  async api<T>(method: string, pathAndQuery: string, body?: unknown, token = LEAD_TOKEN): Promise<T> {
    const res = await fetch(`${this.url}/api/v1${pathAndQuery}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${pathAndQuery}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Invite URLs by annotator id. */
  async invite(ids: string[]): Promise<Map<string, string>> {
    const { invites } = await this.api<{ invites: { annotator: string; url: string }[] }>('POST', '/invites', { annotators: ids });
    return new Map(invites.map((i) => [i.annotator, i.url]));
  }

  /** The records of `annotator` on the server (their richhf-annotations file). */
  async records(annotator: string): Promise<{ itemId: string; submittedAt: string }[]> {
    return (await this.api<{ annotations: { itemId: string; submittedAt: string }[] }>('GET', `/export/annotations?annotator=${encodeURIComponent(annotator)}`)).annotations;
  }

  async progress(): Promise<{ submissions: number; completeItems: number; annotators: { id: string; submitted: number; leased: number; revoked: boolean }[] }> {
    return this.api('GET', '/progress');
  }
}
