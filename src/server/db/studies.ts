import { sql } from 'kysely';
import { PREVIEW_PREFIX, type Platform } from '../../core/formats/study.ts';
import { STUDY_ANNOTATOR_PREFIX, studyAnnotatorId, type StudyCreate, type StudyPatch } from '../../core/formats/studyLead.ts';
import { standingOf, type Standing } from './annotators.ts';
import type { Db } from './database.ts';
import type { StudyRow, Tx } from './schema.ts';
import { addToken } from './tokens.ts';

/**
 * Crowd studies: making, changing and listing them, and enrolling participants through a
 * study's link. Tokens arrive here already hashed (the auth service makes and hashes them).
 *
 * A participant's annotator id is `study:STUDY:PARTICIPANT`: invites refuse new ids of that
 * form, and a study's id ("s1", "s2", …) is never one that an existing annotator's id starts
 * with (`study:s1:` …), so an invited annotator from before studies existed keeps their id and
 * no participant can ever become them.
 */

/** Serializes the making of studies on PostgreSQL (two at once would pick the same id). */
const PG_STUDY_LOCK = 0x73747564;

export interface StudyWithCounts extends StudyRow {
  readonly participants: number;
  readonly completed: number;
}

function likePrefix(studyId: string): string {
  // Study ids are "s" and digits: nothing to escape for LIKE.
  return `${STUDY_ANNOTATOR_PREFIX}${studyId}:%`;
}

export async function createStudy(db: Db, input: StudyCreate & { completionCode: string }, tokenHash: string, now: number): Promise<StudyRow> {
  return db.write(async (tx) => {
    if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_STUDY_LOCK})`.execute(tx);
    const [count] = (await sql<{ n: number }>`select count(*) as n from studies`.execute(tx)).rows;
    let n = Number(count!.n) + 1;
    for (;;) {
      const id = `s${n}`;
      const taken = await sql<{ one: number }>`select 1 as one from studies where id = ${id}
        union all select 1 as one from annotators where id like ${likePrefix(id)}`.execute(tx);
      if (taken.rows.length === 0) break;
      n++;
    }
    const row: StudyRow = {
      id: `s${n}`,
      name: input.name,
      token_hash: tokenHash,
      created_at: now,
      closed_at: null,
      quota: input.quota ?? null,
      max_participants: input.maxParticipants ?? null,
      completion_code: input.completionCode,
      completion_url: input.completionUrl ?? null,
      training: input.quality?.training ?? null,
      gold_every: input.quality?.goldEvery ?? null,
    };
    await tx.insertInto('studies').values(row).execute();
    return row;
  });
}

export async function listStudies(db: Db, id?: string): Promise<StudyWithCounts[]> {
  const where = id === undefined ? sql`1 = 1` : sql`s.id = ${id}`;
  const rows = await sql<StudyRow & { participants: number; completed: number }>`select s.*,
      (select count(*) from participants p where p.study_id = s.id and p.preview = 0) as participants,
      (select count(*) from participants p where p.study_id = s.id and p.preview = 0 and p.completed_at is not null) as completed
    from studies s where ${where} order by s.created_at, s.id`.execute(db.kysely);
  return rows.rows.map((r) => ({
    ...r,
    created_at: Number(r.created_at),
    closed_at: r.closed_at === null ? null : Number(r.closed_at),
    quota: r.quota === null ? null : Number(r.quota),
    max_participants: r.max_participants === null ? null : Number(r.max_participants),
    training: r.training === null ? null : Number(r.training),
    gold_every: r.gold_every === null ? null : Number(r.gold_every),
    participants: Number(r.participants),
    completed: Number(r.completed),
  }));
}

/** Applies a PATCH (and a new token's hash when `newLink`); false when there is no such study. */
export async function updateStudy(db: Db, id: string, patch: StudyPatch, newTokenHash: string | undefined, now: number): Promise<boolean> {
  return db.write(async (tx) => {
    const set: Partial<StudyRow> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.quota !== undefined) set.quota = patch.quota;
    if (patch.maxParticipants !== undefined) set.max_participants = patch.maxParticipants;
    if (patch.completionCode !== undefined) set.completion_code = patch.completionCode;
    if (patch.completionUrl !== undefined) set.completion_url = patch.completionUrl;
    if (patch.quality?.training !== undefined) set.training = patch.quality.training;
    if (patch.quality?.goldEvery !== undefined) set.gold_every = patch.quality.goldEvery;
    if (newTokenHash !== undefined) set.token_hash = newTokenHash;
    const found = await tx.selectFrom('studies').select(['closed_at']).where('id', '=', id).executeTakeFirst();
    if (!found) return false;
    if (patch.open === true) set.closed_at = null;
    // Closing keeps the first closing time.
    if (patch.open === false && found.closed_at === null) set.closed_at = now;
    if (Object.keys(set).length > 0) await tx.updateTable('studies').set(set).where('id', '=', id).execute();
    return true;
  });
}

export type EnrolOutcome =
  | { readonly kind: 'enrolled'; readonly annotator: string; readonly isNew: boolean }
  | { readonly kind: 'unknownStudy' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'full' }
  /** They were in this study and may no longer work (revoked by the lead). */
  | { readonly kind: 'refused'; readonly standing: Exclude<Standing, 'active'> };

/**
 * Enrols a participant through a study link, or lets one already enrolled back in (another
 * browser, a reload): one transaction that also stores `tokenHash` as one more working token
 * of theirs. On PostgreSQL the study's row is locked first, so enrolments in one study run one
 * at a time and maxParticipants holds under concurrency (SQLite's write transaction already
 * excludes every other writer).
 */
export async function enrolParticipant(
  tx: Tx,
  dialect: Db['dialect'],
  e: { studyHash: string; participant: string; platform: Platform; tokenHash: string; now: number },
): Promise<EnrolOutcome> {
  const lock = dialect === 'postgres' ? sql.raw('for update') : sql.raw('');
  const [study] = (
    await sql<{
      id: string;
      closed_at: number | null;
      max_participants: number | null;
    }>`select id, closed_at, max_participants from studies where token_hash = ${e.studyHash} ${lock}`.execute(tx)
  ).rows;
  if (!study) return { kind: 'unknownStudy' };
  const [existing] = (await sql<{ annotator: string }>`select annotator from participants where study_id = ${study.id} and participant = ${e.participant}`.execute(tx)).rows;
  if (existing) {
    const standing = await standingOf(tx, existing.annotator);
    if (standing !== 'active') return { kind: 'refused', standing };
    await addToken(tx, existing.annotator, e.tokenHash, e.now);
    return { kind: 'enrolled', annotator: existing.annotator, isNew: false };
  }
  if (study.closed_at !== null) return { kind: 'closed' };
  if (study.max_participants !== null) {
    const [count] = (await sql<{ n: number }>`select count(*) as n from participants where study_id = ${study.id} and preview = 0`.execute(tx)).rows;
    if (Number(count!.n) >= Number(study.max_participants)) return { kind: 'full' };
  }
  const annotator = studyAnnotatorId(study.id, e.participant);
  await tx.insertInto('annotators').values({ id: annotator, created_at: e.now, revoked_at: null, last_seen_at: null }).execute();
  await tx
    .insertInto('participants')
    .values({ annotator, study_id: study.id, participant: e.participant, platform: JSON.stringify(e.platform), enrolled_at: e.now, completed_at: null })
    .execute();
  await addToken(tx, annotator, e.tokenHash, e.now);
  return { kind: 'enrolled', annotator, isNew: true };
}

/**
 * Makes the lead's next preview of a study (`preview-1`, `preview-2`, …: ids no platform may send,
 * core/formats/study.ts) with `tokenHash` as its token; undefined when there is no such study.
 * A closed study may be previewed too. On PostgreSQL the study's row is locked, so two previews
 * made at once take different numbers.
 */
export async function createPreview(
  tx: Tx,
  dialect: Db['dialect'],
  studyId: string,
  tokenHash: string,
  now: number,
): Promise<{ participant: string; annotator: string } | undefined> {
  const lock = dialect === 'postgres' ? sql.raw('for update') : sql.raw('');
  const [study] = (await sql<{ id: string }>`select id from studies where id = ${studyId} ${lock}`.execute(tx)).rows;
  if (!study) return undefined;
  const [count] = (await sql<{ n: number }>`select count(*) as n from participants where study_id = ${studyId} and preview = 1`.execute(tx)).rows;
  // The next number no participant of the study has: before previews, a lead may have enrolled
  // `preview-1` through the link (as the README then advised).
  let n = Number(count!.n) + 1;
  while ((await sql`select 1 as one from participants where study_id = ${studyId} and participant = ${`${PREVIEW_PREFIX}${n}`}`.execute(tx)).rows.length > 0) n++;
  const participant = `${PREVIEW_PREFIX}${n}`;
  const annotator = studyAnnotatorId(studyId, participant);
  await tx.insertInto('annotators').values({ id: annotator, created_at: now, revoked_at: null, last_seen_at: null }).execute();
  await tx.insertInto('participants').values({ annotator, study_id: studyId, participant, platform: '{}', enrolled_at: now, completed_at: null, preview: 1 }).execute();
  await addToken(tx, annotator, tokenHash, now);
  return { participant, annotator };
}

/** Of `ids`, those of the reserved participant form that may not be invited: every one except an invited annotator from before studies (kept as they were). */
export async function reservedInviteIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const reserved = ids.filter((id) => id.startsWith(STUDY_ANNOTATOR_PREFIX));
  if (reserved.length === 0) return new Set();
  const legacy = await sql<{ id: string }>`select id from annotators a where id in (${sql.join(reserved)})
    and not exists (select 1 from participants p where p.annotator = a.id)`.execute(db.kysely);
  const allowed = new Set(legacy.rows.map((r) => r.id));
  return new Set(reserved.filter((id) => !allowed.has(id)));
}
