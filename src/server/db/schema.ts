import type { Generated, Kysely } from 'kysely';

/**
 * The tables as Kysely sees them (the same on SQLite and PostgreSQL). Times are epoch
 * milliseconds (bigint columns, read back as numbers); booleans are 0/1 integers so that
 * both dialects store them alike. Migrations in ./migrations create exactly this.
 */
export interface Schema {
  richhf_migrations: MigrationRow;
  settings: SettingRow;
  items: ItemRow;
  annotators: AnnotatorRow;
  invite_tokens: InviteTokenRow;
  assignments: AssignmentRow;
  submissions: SubmissionRow;
  submission_log: SubmissionLogRow;
  quality_decisions: QualityDecisionRow;
  studies: StudyRow;
  participants: ParticipantRow;
}

export interface MigrationRow {
  version: number;
  name: string;
  applied_at: number;
}

/** Server-wide values: see SETTING below. */
export interface SettingRow {
  key: string;
  value: string;
}

/**
 * One pack item. `position` is its index in the pack (pack order). `held` counts assignments
 * holding the item without a submission (live leases, and expired ones not yet swept), and
 * `submitted` the distinct annotators with a submission; `state` is derived from both and K
 * (see assignment.ts) and orders the claim: started items first, then fresh ones.
 */
export interface ItemRow {
  id: string;
  position: number;
  image: string;
  prompt: string;
  /** The pack's size (image pixels) when it gives one. */
  width: number | null;
  height: number | null;
  held: Generated<number>;
  submitted: Generated<number>;
  state: Generated<number>;
  /** 1 for a gold item (the pack's `gold`): served by its own rule, counters never move. */
  gold: Generated<number>;
}

export interface AnnotatorRow {
  id: string;
  created_at: number;
  /** Items with a current submission of theirs (kept with each first submission, so progress needs no count over all submissions). */
  submitted: Generated<number>;
  revoked_at: number | null;
  last_seen_at: number | null;
  /** Set while the lead rejects the annotator (issue 17): no work for them, their submissions do not count. */
  rejected_at: number | null;
  rejected_reason: string | null;
}

/** Every token ever issued to an annotator, by its SHA-256; revoked ones stay so the refusal can say why. */
export interface InviteTokenRow {
  hash: string;
  annotator: string;
  created_at: number;
  revoked_at: number | null;
  /** 'revoked' (by the lead) or 'replaced' (a newer invite for the same annotator). */
  revoked_reason: string | null;
}

/**
 * An item handed to an annotator: one row per (item, annotator) ever. A lease is live while
 * `submitted = 0 and released = 0 and expires_at > now`; `released = 1` once an expired lease
 * has been swept (the item then no longer counts it).
 */
export interface AssignmentRow {
  item_id: string;
  annotator: string;
  leased_at: number;
  expires_at: number;
  released: number;
  submitted: number;
  /** 1 when the submission does not count toward K: rejected on its own or with its annotator. */
  excluded: Generated<number>;
  /** 1 for a gold item given as a training item (its acknowledgement carries the reference). */
  training: Generated<number>;
  /** A comparison item's side drawn for this annotator (0 or 1: images[left_image] on the left); null for rating items. */
  left_image: number | null;
}

/** The current record of each (item, annotator): the latest submittedAt wins, as in files. */
export interface SubmissionRow {
  item_id: string;
  annotator: string;
  client_id: string;
  submitted_at_ms: number;
  active_ms: number;
  /** The validated record as JSON (richhf-annotations record, no clientId). */
  record: string;
  received_at: number;
  /** Set while the lead rejects this one submission (its annotator's rejection is on the annotator). */
  rejected_at: number | null;
  rejected_reason: string | null;
}

/** Every accepted body, revisions included, by clientId: the idempotency key and an audit trail. */
export interface SubmissionLogRow {
  client_id: string;
  annotator: string;
  item_id: string;
  record: string;
  received_at: number;
}

/** Every reject and accept by the lead, kept for good (`GET /api/v1/quality/decisions`). */
export interface QualityDecisionRow {
  id: string;
  at: number;
  /** 'reject' or 'accept'. */
  action: string;
  annotator: string;
  /** Null for a decision on the annotator; the item for one on a single submission. */
  item_id: string | null;
  reason: string | null;
  /** 'lead' today (one lead token). */
  decided_by: string;
}

/** A crowd study (issue 16): one link for many participants. Limits are null when unset. */
export interface StudyRow {
  /** "s1", "s2", …: short, as it is part of each participant's annotator id. */
  id: string;
  name: string;
  /** SHA-256 of the study link's token, as for invites. */
  token_hash: string;
  created_at: number;
  /** Set while the study is closed: its link enrols nobody new. */
  closed_at: number | null;
  /** The most items one participant submits. */
  quota: number | null;
  max_participants: number | null;
  completion_code: string;
  completion_url: string | null;
  /** Overrides of the pack's quality settings for this study's participants (null: the pack's). */
  training: number | null;
  gold_every: number | null;
}

/** One participant of a study, and the annotator made for them (`study:STUDY:PARTICIPANT`). */
export interface ParticipantRow {
  annotator: string;
  study_id: string;
  participant: string;
  /** The platform's parameters as JSON (core/formats/study.ts platformSchema). */
  platform: string;
  enrolled_at: number;
  /** When the server found them finished (quota reached, or nothing left for them); then the completion code is theirs. */
  completed_at: number | null;
  /** 1 for the lead's preview (`preview-N`): works as a participant, but nothing of theirs counts (0040_study_previews.ts). */
  preview: Generated<number>;
}

export type Tx = Kysely<Schema>;

/** Every table, for the integrity check at start (a table added to Schema must be listed: the type says so). */
const TABLE_SET: Record<keyof Schema, true> = {
  richhf_migrations: true,
  settings: true,
  items: true,
  annotators: true,
  invite_tokens: true,
  assignments: true,
  submissions: true,
  submission_log: true,
  quality_decisions: true,
  studies: true,
  participants: true,
};
export const TABLES = Object.keys(TABLE_SET) as (keyof Schema)[];

export const SETTING = {
  packName: 'pack_name',
  annotatorsPerItem: 'annotators_per_item',
  leadTokenHash: 'lead_token_hash',
  imageUrlSecret: 'image_url_secret',
  qualityThresholds: 'quality_thresholds',
  /** The pack's `quality` with defaults, as JSON (qualitySettings.ts). */
  /** The loaded pack's `quality` as JSON ({} when it has none): the defaults studies override. */
  packQuality: 'pack_quality',
} as const;
