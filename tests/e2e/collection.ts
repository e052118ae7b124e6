/**
 * A real `richhf serve` for end-to-end tests, as a lead runs it: a small pack (the demo pack's
 * first items and images, copied into a temporary folder with its SQLite database), the built
 * app from dist/ (Playwright's webServer builds it first), port 0 on the first start and the
 * same port on a restart (the pages keep their origin). The lead's token is set by the test.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listening, spawnServe, stopServe, type ServeProcess } from '../unit/server/serveProcess.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const LEAD_TOKEN = 'e2e-lead-token-0123456789abcdef';

interface DemoPack {
  version?: number;
  name: string;
  annotatorsPerItem: number;
  instructions?: string;
  quality?: { training?: number; goldEvery?: number };
  items: { id: string; image: string; prompt: string; width: number; height: number; gold?: unknown }[];
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

  /**
   * A pack of the demo's first `items` items with K = `k`, served by a fresh server; `ids` renames the first items;
   * `gold` gives items (by index) a reference answer, served by `quality`.
   */
  static async start(options: {
    items: number;
    k: number;
    name?: string;
    args?: string[];
    ids?: readonly string[];
    gold?: ReadonlyMap<number, unknown>;
    quality?: DemoPack['quality'];
  }): Promise<Collection> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-e2e-collect-'));
    const demo = JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as DemoPack;
    const items = demo.items
      .slice(0, options.items)
      .map((item, i) => ({ ...item, id: options.ids?.[i] ?? item.id, ...(options.gold?.has(i) ? { gold: options.gold.get(i) } : {}) }));
    const pack: DemoPack = {
      ...demo,
      name: options.name ?? 'e2e',
      annotatorsPerItem: options.k,
      items,
      ...(options.gold || options.quality ? { version: 2, quality: options.quality ?? {} } : {}),
    };
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

/** A rating item as `GET /next` hands it out. */
export interface ApiItem {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** The annotator's answer to an item, without the fields `submitByApi` fills in. */
export interface ApiAnswer {
  readonly points: readonly { kind: 'artifact' | 'misalignment'; x: number; y: number }[];
  readonly misalignedTokens: readonly number[];
  readonly scores: { plausibility: number; alignment: number; aesthetics: number; overall: number };
  readonly submittedAt: string;
  readonly activeMs: number;
}

/** The next item for `token`, through the API (quicker than a page, for the others' work). */
export async function nextByApi(c: Collection, token: string): Promise<ApiItem> {
  const res = await fetch(`${c.url}/api/v1/next`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /next: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { item: ApiItem }).item;
}

/** `answer` to `item` as `token`, through the API, with a fresh clientId; throws unless stored. */
export async function submitByApi(c: Collection, token: string, item: ApiItem, answer: ApiAnswer): Promise<void> {
  const record = { itemId: item.id, imageWidth: item.width, imageHeight: item.height, ...answer, clientId: randomUUID() };
  const sent = await fetch(`${c.url}/api/v1/submissions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(record),
  });
  if (sent.status !== 200) throw new Error(`POST /submissions: ${sent.status} ${await sent.text()}`);
}
