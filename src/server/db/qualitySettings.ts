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

/**
 * An annotator's serving settings: the loaded pack's `quality` (stored by packSync with the
 * defaults filled in), each field overridden by their study's when they are a study's
 * participant and the study sets it (issue 16).
 */
export async function qualitySettingsFor(q: Tx | Db | Db['kysely'], annotator: string): Promise<ServingSettings> {
  const k = 'kysely' in q ? q.kysely : q;
  const [row] = (
    await sql<{ pack: string | null; training: number | null; gold_every: number | null }>`select
        (select value from settings where key = ${SETTING.packQuality}) as pack,
        (select s.training from participants p join studies s on s.id = p.study_id where p.annotator = ${annotator}) as training,
        (select s.gold_every from participants p join studies s on s.id = p.study_id where p.annotator = ${annotator}) as gold_every`.execute(k)
  ).rows;
  // Written by packSync from a validated pack.
  const pack = row?.pack ? (JSON.parse(row.pack) as Partial<ServingSettings>) : {};
  return {
    training: row?.training != null ? Number(row.training) : (pack.training ?? DEFAULT_SERVING.training),
    goldEvery: row?.gold_every != null ? Number(row.gold_every) : (pack.goldEvery ?? DEFAULT_SERVING.goldEvery),
  };
}
