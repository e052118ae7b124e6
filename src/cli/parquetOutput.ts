import { mkdir, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { shardName, type SplitFiles } from '../core/parquet/parquetDataset.ts';
import type { ShardFile } from '../node/parquetThread.ts';
import { OutputError, type Outputs } from './outputs.ts';

/**
 * `--parquet DIR` on disk: `DIR/data/<split>-<i>-of-<n>.parquet` and `DIR/README.md`, written
 * through the run's Outputs (temps beside their targets, renamed into place with the other
 * outputs, all or none). Shards are opened under a provisional name and given their final name
 * once their split's count is known; shards of an earlier export that the new names do not
 * replace are removed in the same commit, so the folder holds exactly one dataset.
 */
const SHARD = /^\w+(?:\.\w+)*-\d{5}-of-\d{5}\.parquet$/;

export class ParquetFolder {
  private readonly shards: { split: string; index: number; target: string }[] = [];
  private readonly created: string[] = [];

  private constructor(
    private readonly outputs: Outputs,
    readonly dir: string,
  ) {}

  /** Makes DIR and DIR/data when missing (removed again by abandon() if nothing lands). */
  static async prepare(outputs: Outputs, dir: string): Promise<ParquetFolder> {
    const folder = new ParquetFolder(outputs, dir);
    for (const d of [dir, path.join(dir, 'data')]) {
      try {
        if ((await mkdir(d, { recursive: true })) !== undefined) folder.created.push(d);
      } catch (e) {
        throw new OutputError(d, e as NodeJS.ErrnoException);
      }
    }
    return folder;
  }

  /** A shard's temp file, for the Parquet thread to fill (node/parquetThread.ts). */
  async openShard(split: string, index: number): Promise<ShardFile> {
    const target = path.join(this.dir, 'data', `${split}-${String(index).padStart(5, '0')}.parquet`);
    this.shards.push({ split, index, target });
    return { path: await this.outputs.addFilled(target), failed: (cause) => new OutputError(target, cause) };
  }

  /** Final shard names, stale shards retired, and the card added: ready for outputs.commit(). */
  async complete(splits: readonly SplitFiles[], card: string): Promise<void> {
    const counts = new Map(splits.map((s) => [s.name, s.shards]));
    const finals = new Set<string>();
    for (const s of this.shards) {
      const final = path.join(this.dir, 'data', shardName(s.split, s.index, counts.get(s.split)!));
      this.outputs.retarget(s.target, final);
      finals.add(path.basename(final));
    }
    const data = path.join(this.dir, 'data');
    for (const name of await readdir(data)) if (SHARD.test(name) && !finals.has(name)) this.outputs.retire(path.join(data, name));
    await (await this.outputs.add(path.join(this.dir, 'README.md'))).write(card);
  }

  /** After a failed run: the folders this run made, if still empty. */
  async abandon(): Promise<void> {
    for (const d of [...this.created].reverse()) await rmdir(d).catch(() => undefined);
  }
}
