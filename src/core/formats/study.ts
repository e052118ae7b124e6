import * as z from 'zod/mini';
import { tokenSchema } from './api.ts';
import { idSchema } from './common.ts';

/**
 * Crowd studies as the participant's page sees them (README "Running a crowd study"): the study
 * link's parameters, `POST /studies/enrol`, and the `study` part of `GET /me`. The lead's side
 * (creating and listing studies, the participants export) is in studyLead.ts.
 */

/**
 * A participant id as a crowd platform sends it: Prolific's PROLIFIC_PID (24 hex digits),
 * MTurk's workerId (upper-case letters and digits), or an id the lead hands out. Letters,
 * digits, `.`, `_` and `-` only, so it is safe in a URL, a file name and a CSV cell as it is.
 */
export const MAX_PARTICIPANT_LENGTH = 64;
export const PARTICIPANT_ID = /^[A-Za-z0-9._-]+$/;
/** Ids of the lead's previews of a study (`preview-1`, …), made by the server, never sent by a platform. */
export const PREVIEW_PREFIX = 'preview-';
/** A participant id as stored (the participants export): a platform's, or a preview's. */
export const storedParticipantIdSchema = z
  .string()
  .check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(MAX_PARTICIPANT_LENGTH, `must be at most ${MAX_PARTICIPANT_LENGTH} characters`),
    z.regex(PARTICIPANT_ID, 'may hold only letters, digits, ".", "_" and "-"'),
  );
/** A participant id as a platform sends it: a preview's id is not one (stored ids from before previews may be: the export still reads them). */
export const participantIdSchema = storedParticipantIdSchema.check(
  z.refine((id) => !id.startsWith(PREVIEW_PREFIX), `ids starting with "${PREVIEW_PREFIX}" are kept for the researcher's previews`),
);

/** A platform's own ids, kept on the participant's record as they came (same characters, up to 100). */
const platformIdSchema = z
  .string()
  .check(z.minLength(1, 'must not be empty'), z.maxLength(100, 'must be at most 100 characters'), z.regex(PARTICIPANT_ID, 'may hold only letters, digits, ".", "_" and "-"'));

/** The URL parameters a platform appends to the study link, kept on the participant's record. */
export const platformSchema = z.strictObject({
  PROLIFIC_PID: z.optional(platformIdSchema),
  STUDY_ID: z.optional(platformIdSchema),
  SESSION_ID: z.optional(platformIdSchema),
  workerId: z.optional(platformIdSchema),
  assignmentId: z.optional(platformIdSchema),
  hitId: z.optional(platformIdSchema),
});
export type Platform = z.infer<typeof platformSchema>;

/** `POST /studies/enrol` (no Authorization header: the study's token is the permission). */
export const enrolRequestSchema = z.strictObject({
  study: tokenSchema,
  participant: participantIdSchema,
  platform: z.optional(platformSchema),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

/** Its answer: 201 for a new participant, 200 for one already enrolled (the same annotator, a fresh token). */
export const enrolAnswerSchema = z.object({ annotator: idSchema, token: tokenSchema });

/** The `study` part of `GET /me` is in api.ts (meStudySchema), beside the rest of /me; the link's parameters in studyLink.ts. */
