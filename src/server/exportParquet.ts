import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { buildAnnotationFile } from '../core/dataset/annotationFile.ts';
import { DEFAULT_GRID } from '../core/dataset/grid.ts';
import { writeDataset } from '../core/dataset/pipeline.ts';
import { planConsolidation, type AnnotationSource } from '../core/dataset/plan.ts';
import { ZipStream } from '../core/encode/zipStream.ts';
import type { AnnotationRecord } from '../core/formats/annotations.ts';
import { shardName, type SplitFiles } from '../core/parquet/parquetDataset.ts';
import { packSplits, planCard } from '../core/parquet/exportPlan.ts';
import { ImageFileError } from '../core/parquet/imageFile.ts';
import { ALL_TRAIN, parseSplitRule } from '../core/parquet/split.ts';
import { startItemPool } from '../node/itemPool.ts';
import { startParquetExport, type ParquetThread } from '../node/parquetThread.ts';
import type { AppEnv, ServerContext } from './context.ts';
import { currentRecords } from './db/submissions.ts';
import { HttpError } from './http/errors.ts';

/**
 * `GET /api/v1/export/parquet[?split=train=0.9,test=0.1&seed=N]` (lead): the files of
 * `richhf consolidate --parquet DIR` for the server's submissions, as a ZIP stream
 * (`data/<split>-0000i-of-0000N.parquet` and `README.md`, stored: the shards are compressed
 * already; ZIP64, so it may pass 4 GiB). A shard's name needs its split's shard count, known
 * only once every item is written, so the shards are written to a temp folder first (an image
 * that cannot be read is then a 409 answer naming it, not a cut ZIP), and then streamed; the
 * folder is removed afterwards whatever happens.
 */
class ExportAborted extends Error {}

/** Below this many records, worker threads cost more than they save (as exportDataset.ts). */
const MIN_RECORDS_FOR_WORKERS = 1000;
const READ_CHUNK = 1 << 20;

function attachment(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function exportParquet(ctx: ServerContext) {
  return async (c: Context<AppEnv>) => {
    const seedText = c.req.query('seed');
    if (seedText !== undefined && (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff))
      throw new HttpError(400, `seed: must be an integer from 0 to 4294967295, got "${seedText}"`, 'seed');
    const seed = seedText !== undefined ? Number(seedText) : 0;
    let rule = ALL_TRAIN;
    const splitText = c.req.query('split');
    if (splitText !== undefined) {
      const parsed = parseSplitRule(splitText, seed);
      if (!parsed.ok) throw new HttpError(400, `split: ${parsed.message}`, 'split');
      rule = parsed.rule;
    }
    const pack = ctx.pack.pack;
    const records = await currentRecords(ctx.db, undefined, 'accepted');
    const byAnnotator = new Map<string, AnnotationRecord[]>();
    for (const r of records) {
      let list = byAnnotator.get(r.annotator);
      if (!list) byAnnotator.set(r.annotator, (list = []));
      list.push(r.record);
    }
    const files: AnnotationSource[] = [...byAnnotator].map(([annotator, list]) => ({ name: `annotations of "${annotator}"`, file: buildAnnotationFile(annotator, pack, list) }));
    const plan = planConsolidation({ pack, files });
    if (plan.errors.length > 0) throw new HttpError(500, `the stored submissions do not consolidate: ${plan.errors[0]!.file}: ${plan.errors[0]!.path}: ${plan.errors[0]!.message}`);

    // The shards first, to a temp folder: a missing image is then an error answer, not a cut ZIP.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'richhf-parquet-'));
    const shards: { split: string; index: number; file: string }[] = [];
    let splits: SplitFiles[];
    const pool = startItemPool(records.length >= MIN_RECORDS_FOR_WORKERS ? os.availableParallelism() : 1);
    let exporter: ParquetThread | undefined;
    try {
      exporter = startParquetExport({
        plan,
        rule,
        packSplits: packSplits(pack),
        packDir: ctx.pack.dir,
        openShard: async (split, index) => {
          const file = path.join(dir, `${shards.length}.parquet`);
          await (await open(file, 'wx')).close();
          shards.push({ split, index, file });
          return { path: file };
        },
      });
      const rows = exporter;
      await writeDataset(pool, { plan, grid: DEFAULT_GRID }, { rows: (r) => rows.rows(r) });
      splits = await exporter.finish();
    } catch (e) {
      await exporter?.close(); // before the folder goes: the thread writes into it
      await rm(dir, { recursive: true, force: true });
      if (e instanceof ImageFileError) throw new HttpError(409, `the pack's images cannot be exported: ${e.message}`);
      throw e;
    } finally {
      await exporter?.close();
      await pool.close();
    }

    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', attachment(`${pack.name}-parquet.zip`));
    return stream(
      c,
      async (out) => {
        try {
          const counts = new Map(splits.map((s) => [s.name, s.shards]));
          const zip = new ZipStream(async (bytes) => {
            if (out.aborted) throw new ExportAborted();
            await out.write(bytes);
          });
          const order = splits.map((s) => s.name);
          shards.sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split) || a.index - b.index);
          for (const s of shards) {
            await zip.begin(`data/${shardName(s.split, s.index, counts.get(s.split)!)}`);
            const h = await open(s.file, 'r');
            try {
              for (;;) {
                const buf = new Uint8Array(READ_CHUNK);
                const { bytesRead } = await h.read(buf, 0, READ_CHUNK);
                if (bytesRead === 0) break;
                await zip.write(bytesRead === READ_CHUNK ? buf : buf.slice(0, bytesRead));
              }
            } finally {
              await h.close();
            }
            await zip.end();
          }
          const card = planCard(pack, plan, { grid: DEFAULT_GRID, minAnnotators: pack.annotatorsPerItem, splits, rule, keepAnnotatorIds: false });
          await zip.file('README.md', new TextEncoder().encode(card));
          await zip.finish();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      async (e) => {
        if (!(e instanceof ExportAborted)) ctx.log(JSON.stringify({ time: new Date().toISOString(), event: 'export failed', message: e.message }));
      },
    );
  };
}
