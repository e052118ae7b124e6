import * as z from 'zod/mini';
import { isoSchema, tokenSchema } from './api.ts';
import { idSchema, indexSchema } from './common.ts';
import { qualitySettingsSchema } from './taskpack.ts';
import { storedParticipantIdSchema } from './study.ts';

/** Crowd studies as the lead's API and dashboard see them (the participant's side is study.ts). */

const positiveCount = z.number().check(z.int('must be an integer'), z.minimum(1, 'must be at least 1'), z.maximum(1_000_000, 'must be at most 1000000'));

/** A completion code as platforms take them: Prolific's are upper-case letters and digits; any printable ASCII without spaces is kept. */
export const completionCodeSchema = z
  .string()
  .check(z.minLength(1, 'must not be empty'), z.maxLength(100, 'must be at most 100 characters'), z.regex(/^[!-~]+$/, 'must be printable ASCII without spaces'));

/** Where the finished screen's button goes: an http(s) URL; `{code}` in it is replaced by the completion code. */
export const completionUrlSchema = z.string().check(
  z.maxLength(2000, 'must be at most 2000 characters'),
  z.refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);

const studyNameSchema = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(200, 'must be at most 200 characters'),
  // eslint-disable-next-line no-control-regex
  z.regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
);

/** `POST /studies`. Without `completionCode` the server makes one. */
export const studyCreateSchema = z.strictObject({
  name: studyNameSchema,
  quota: z.optional(z.nullable(positiveCount)),
  completionCode: z.optional(completionCodeSchema),
  completionUrl: z.optional(z.nullable(completionUrlSchema)),
  maxParticipants: z.optional(z.nullable(positiveCount)),
  /** Overrides of the pack's `quality` for this study's participants. */
  quality: z.optional(qualitySettingsSchema),
});
export type StudyCreate = z.infer<typeof studyCreateSchema>;

/** `PATCH /studies/{id}`: any subset; `null` clears a limit; `newLink: true` replaces the study's token (the old link stops enrolling). */
export const studyPatchSchema = z.strictObject({
  name: z.optional(studyNameSchema),
  open: z.optional(z.boolean()),
  quota: z.optional(z.nullable(positiveCount)),
  completionCode: z.optional(completionCodeSchema),
  completionUrl: z.optional(z.nullable(completionUrlSchema)),
  maxParticipants: z.optional(z.nullable(positiveCount)),
  quality: z.optional(qualitySettingsSchema),
  newLink: z.optional(z.literal(true)),
});
export type StudyPatch = z.infer<typeof studyPatchSchema>;

/** A study in answers. `token` and `url` only when it was just made (the server keeps only the token's hash). */
export const studySchema = z.object({
  id: idSchema,
  name: z.string(),
  open: z.literal([true, false]),
  quota: z.nullable(indexSchema),
  maxParticipants: z.nullable(indexSchema),
  completionCode: z.string(),
  completionUrl: z.nullable(z.string()),
  quality: z.object({ training: z.optional(indexSchema), goldEvery: z.optional(indexSchema) }),
  createdAt: isoSchema,
  closedAt: z.nullable(isoSchema),
  participants: indexSchema,
  completed: indexSchema,
  token: z.optional(tokenSchema),
  url: z.optional(z.string()),
});
export type Study = z.infer<typeof studySchema>;

export const studyAnswerSchema = z.object({ study: studySchema });
export const studiesAnswerSchema = z.object({ studies: z.array(studySchema) });

/** `POST /studies/{id}/preview`: the lead's preview participant (`preview-N`) and the link that signs them in. */
export const previewAnswerSchema = z.object({ participant: storedParticipantIdSchema, annotator: idSchema, token: tokenSchema, url: z.string() });
export type PreviewAnswer = z.infer<typeof previewAnswerSchema>;

export const PARTICIPANT_STATUSES = ['working', 'completed', 'revoked', 'rejected'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** One row of `GET /export/participants` (JSON), and of the dashboard's participants table. */
export const participantRowSchema = z.object({
  participant: storedParticipantIdSchema,
  annotator: idSchema,
  study: idSchema,
  studyName: z.string(),
  prolificPid: z.nullable(z.string()),
  prolificStudyId: z.nullable(z.string()),
  prolificSessionId: z.nullable(z.string()),
  workerId: z.nullable(z.string()),
  assignmentId: z.nullable(z.string()),
  hitId: z.nullable(z.string()),
  itemsSubmitted: indexSchema,
  startedAt: isoSchema,
  completedAt: z.nullable(isoSchema),
  activeMs: indexSchema,
  status: z.enum(PARTICIPANT_STATUSES),
});
export type ParticipantRow = z.infer<typeof participantRowSchema>;

export const participantsAnswerSchema = z.object({ participants: z.array(participantRowSchema) });

/** The CSV columns, in order: the JSON row's fields. */
export const PARTICIPANT_COLUMNS = [
  'participant',
  'annotator',
  'study',
  'studyName',
  'prolificPid',
  'prolificStudyId',
  'prolificSessionId',
  'workerId',
  'assignmentId',
  'hitId',
  'itemsSubmitted',
  'startedAt',
  'completedAt',
  'activeMs',
  'status',
] as const satisfies readonly (keyof ParticipantRow)[];

/** A CSV cell (RFC 4180); text a spreadsheet would run as a formula is prefixed with `'`. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The participants export as CSV: a header line, then one line per row, CRLF line ends (RFC 4180). */
export function participantsCsv(rows: readonly ParticipantRow[]): string {
  const lines = [PARTICIPANT_COLUMNS.join(',')];
  for (const row of rows) lines.push(PARTICIPANT_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The reserved form of a participant's annotator id (see the server's db/studies.ts). */
export const STUDY_ANNOTATOR_PREFIX = 'study:';
export function studyAnnotatorId(studyId: string, participant: string): string {
  return `${STUDY_ANNOTATOR_PREFIX}${studyId}:${participant}`;
}
