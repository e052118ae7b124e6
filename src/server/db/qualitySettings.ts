import { sql } from 'kysely';
import type { QualitySettings } from '../../core/formats/taskpack.ts';
import type { Db } from './database.ts';
import { SETTING, type Tx } from './schema.ts';

/**
 * How gold items are served to one annotator: the first `training` items of theirs are gold,
 * then about one in `goldEvery` (0: none after training). The one place the serving rule
 * (goldServing.ts) reads them: today the pack's `quality`, stored by packSync; crowd studies
 * (issue 16) override them per study here.
 */
export interface ServingSettings {
  readonly training: number;
  readonly goldEvery: number;
}

export const DEFAULT_SERVING: ServingSettings = { training: 0, goldEvery: 10 };

/** The pack's settings with the defaults filled in (what packSync stores). */
export function servingFromPack(quality: QualitySettings | undefined): ServingSettings {
  return { training: quality?.training ?? DEFAULT_SERVING.training, goldEvery: quality?.goldEvery ?? DEFAULT_SERVING.goldEvery };
}

export async function qualitySettingsFor(tx: Tx | Db['kysely'], _annotator: string): Promise<ServingSettings> {
  const row = (await sql<{ value: string }>`select value from settings where key = ${SETTING.packQuality}`.execute(tx)).rows[0];
  if (!row) return DEFAULT_SERVING;
  // Written by packSync from a validated pack.
  const stored = JSON.parse(row.value) as Partial<ServingSettings>;
  return { training: stored.training ?? DEFAULT_SERVING.training, goldEvery: stored.goldEvery ?? DEFAULT_SERVING.goldEvery };
}
