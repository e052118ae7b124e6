import { sql } from 'kysely';
import type { Platform } from '../../core/formats/study.ts';
import { STUDY_ANNOTATOR_PREFIX, type ParticipantRow as ExportRow, type ParticipantStatus } from '../../core/formats/studyLead.ts';
import { releaseLeasesOf, setCounted } from './assignment.ts';
import type { Db } from './database.ts';
import type { Tx } from './schema.ts';

/** Why a preview's submissions do not count (the quality page shows it as the rejection's reason). */
const PREVIEW_REASON = "the researcher's preview of the study";

/**
 * Study participants once enrolled: their quota (read by the claim, assignment.ts), their
 * completion (recorded here, by the server, never on the browser's word), what GET /me tells
 * them, and the rows of the participants export. Invited annotators have no participant row:
 * every function here is then a no-op or answers undefined.
 */

export interface ParticipantLimit {
  readonly quota: number | null;
  readonly submitted: number;
  readonly completed: boolean;
  /** The lead's preview (0040_study_previews.ts): nothing of theirs counts. */
  readonly preview: boolean;
}

/**
 * The quota and standing of a participant's work, or undefined for an invited annotator. Call
 * inside the claim's transaction. Only an id of the form `study:STUDY:PARTICIPANT` can have a
 * participant row (studies.ts: enrolment makes exactly those ids, invites refuse them), so an
 * invited annotator's claims and submissions skip the query (two per submission).
 */
export async function participantLimit(tx: Tx, annotator: string): Promise<ParticipantLimit | undefined> {
  if (!annotator.startsWith(STUDY_ANNOTATOR_PREFIX)) return undefined;
  const [row] = (
    await sql<{ quota: number | null; submitted: number; completed_at: number | null; preview: number }>`select s.quota, a.submitted, p.completed_at, p.preview
      from participants p join studies s on s.id = p.study_id join annotators a on a.id = p.annotator where p.annotator = ${annotator}`.execute(tx)
  ).rows;
  if (!row) return undefined;
  return { quota: row.quota === null ? null : Number(row.quota), submitted: Number(row.submitted), completed: row.completed_at !== null, preview: Number(row.preview) === 1 };
}

/** Records that a participant finished (the first time only). */
export async function markCompleted(tx: Tx, annotator: string, now: number): Promise<void> {
  await sql`update participants set completed_at = ${now} where annotator = ${annotator} and completed_at is null`.execute(tx);
}

/**
 * After a first submission on `itemId`: a preview's submission stops counting at once (rejected
 * as a submission, so the item goes back to the queue and the exports leave it out, as after
 * the lead's rejection); a participant who reached their quota is complete, and any lease they
 * still hold (possible only when the lead lowered the quota meanwhile) goes back to others.
 */
export async function noteFirstSubmission(tx: Tx, dialect: Db['dialect'], annotator: string, itemId: string, now: number, k: number): Promise<void> {
  const limit = await participantLimit(tx, annotator);
  if (!limit) return;
  if (limit.preview) {
    await sql`update submissions set rejected_at = ${now}, rejected_reason = ${PREVIEW_REASON} where item_id = ${itemId} and annotator = ${annotator}`.execute(tx);
    await setCounted(tx, dialect, annotator, itemId, false, k);
  }
  if (limit.completed || limit.quota === null || limit.submitted < limit.quota) return;
  await markCompleted(tx, annotator, now);
  await releaseLeasesOf(tx, dialect, annotator, k);
}

export interface ParticipantState {
  readonly studyId: string;
  readonly studyName: string;
  readonly quota: number | null;
  readonly completedAt: number | null;
  readonly completionCode: string;
  readonly completionUrl: string | null;
}

/** What GET /me tells a participant about their study; undefined for an invited annotator. */
export async function participantState(db: Db, annotator: string): Promise<ParticipantState | undefined> {
  const [row] = (
    await sql<{
      study_id: string;
      name: string;
      quota: number | null;
      completed_at: number | null;
      completion_code: string;
      completion_url: string | null;
    }>`select p.study_id, s.name, s.quota, p.completed_at, s.completion_code, s.completion_url
      from participants p join studies s on s.id = p.study_id where p.annotator = ${annotator}`.execute(db.kysely)
  ).rows;
  if (!row) return undefined;
  return {
    studyId: row.study_id,
    studyName: row.name,
    quota: row.quota === null ? null : Number(row.quota),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
    completionCode: row.completion_code,
    completionUrl: row.completion_url,
  };
}

/** Rows of GET /export/participants (and the dashboard's table), by study then enrolment. */
export async function participantRows(db: Db, studyId?: string): Promise<ExportRow[]> {
  const where = studyId === undefined ? sql`1 = 1` : sql`p.study_id = ${studyId}`;
  const rows = (
    await sql<{
      annotator: string;
      study_id: string;
      name: string;
      participant: string;
      platform: string;
      enrolled_at: number;
      completed_at: number | null;
      submitted: number;
      revoked_at: number | null;
      rejected_at: number | null;
      active_ms: number | null;
    }>`select p.annotator, p.study_id, s.name, p.participant, p.platform, p.enrolled_at, p.completed_at, a.submitted, a.revoked_at, a.rejected_at,
        (select sum(m.active_ms) from submissions m where m.annotator = p.annotator) as active_ms
      from participants p join studies s on s.id = p.study_id join annotators a on a.id = p.annotator
      where ${where} and p.preview = 0 order by s.created_at, p.study_id, p.enrolled_at, p.participant`.execute(db.kysely)
  ).rows;
  return rows.map((r) => {
    const platform = JSON.parse(r.platform) as Platform;
    // Rejection (issue 17) is told before revocation, as sign-in does.
    const status: ParticipantStatus = r.rejected_at !== null ? 'rejected' : r.revoked_at !== null ? 'revoked' : r.completed_at !== null ? 'completed' : 'working';
    return {
      participant: r.participant,
      annotator: r.annotator,
      study: r.study_id,
      studyName: r.name,
      prolificPid: platform.PROLIFIC_PID ?? null,
      prolificStudyId: platform.STUDY_ID ?? null,
      prolificSessionId: platform.SESSION_ID ?? null,
      workerId: platform.workerId ?? null,
      assignmentId: platform.assignmentId ?? null,
      hitId: platform.hitId ?? null,
      itemsSubmitted: Number(r.submitted),
      startedAt: new Date(Number(r.enrolled_at)).toISOString(),
      completedAt: r.completed_at === null ? null : new Date(Number(r.completed_at)).toISOString(),
      activeMs: r.active_ms === null ? 0 : Number(r.active_ms),
      status,
    };
  });
}
