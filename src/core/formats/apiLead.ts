import * as z from 'zod/mini';
import { isoSchema, servedImageSchema, tokenSchema } from './api.ts';
import { idSchema, indexSchema } from './common.ts';
import { taskPackSchema } from './taskpack.ts';

/** The collection server's answers that only the lead's dashboard reads (see api.ts). */
export const annotatorProgressSchema = z.object({
  id: idSchema,
  submitted: indexSchema,
  leased: indexSchema,
  lastSeenAt: z.nullable(isoSchema),
  medianActiveMs: z.nullable(z.number().check(z.minimum(0))),
  // z.literal, not z.boolean: the zod classes the lead's page uses are in the annotator's bundle too.
  revoked: z.literal([true, false]),
  /** Rejected by the lead (issue 17): their submissions do not count. Optional: older servers leave it out. */
  rejected: z.optional(z.literal([true, false])),
  /** Their submissions rejected one by one. */
  rejectedSubmissions: z.optional(indexSchema),
});
export type AnnotatorProgress = z.infer<typeof annotatorProgressSchema>;

/** `GET /progress` and each `progress` event of `/progress/stream`. */
export const progressSchema = z.object({
  items: indexSchema,
  completeItems: indexSchema,
  submissions: indexSchema,
  annotators: z.array(annotatorProgressSchema),
});
export type Progress = z.infer<typeof progressSchema>;

/** `POST /invites` with 201. */
export const invitesSchema = z.object({ invites: z.array(z.object({ annotator: idSchema, token: tokenSchema, url: z.string() })) });
export type Invite = z.infer<typeof invitesSchema>['invites'][number];

/** `DELETE /invites/{annotator}`. */
export const revokedSchema = z.object({ annotator: idSchema, revoked: z.literal(true), releasedLeases: indexSchema });

/** `GET /pack` (lead): the pack as loaded, and a loadable URL for each rating item's image and for both images of each comparison item. */
export const packAnswerSchema = z.object({
  pack: taskPackSchema,
  imageUrls: z.catchall(z.object({}), servedImageSchema),
  comparisonImageUrls: z.optional(z.catchall(z.object({}), z.tuple([servedImageSchema, servedImageSchema]))),
});
export type PackAnswer = z.infer<typeof packAnswerSchema>;

/** Longest reason for a decision, in characters. */
export const MAX_REASON_LENGTH = 2000;

/** The body of `POST /annotators/{id}/reject` and `POST /submissions/{itemId}/{annotator}/reject`: why (required); of `…/accept`: optional. */
export const rejectRequestSchema = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1, 'must say why (the annotator does not see it; the decisions export keeps it)'), z.maxLength(MAX_REASON_LENGTH)),
});
export const acceptRequestSchema = z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(MAX_REASON_LENGTH))) });

/**
 * The answer of a reject or accept: the standing now, whether this request changed it (a
 * repeated decision changes nothing and is not recorded), the items whose count of accepted
 * annotations changed (back in the queue after a reject), and the leases released.
 */
export const decisionAnswerSchema = z.object({
  annotator: idSchema,
  itemId: z.optional(idSchema),
  status: z.enum(['active', 'rejected']),
  changed: z.literal([true, false]),
  items: z.array(idSchema),
  releasedLeases: indexSchema,
});
export type DecisionAnswer = z.infer<typeof decisionAnswerSchema>;

/** `GET /quality/decisions`: every reject and accept, oldest first. `itemId` null: a decision on the annotator. */
export const decisionsSchema = z.object({
  decisions: z.array(
    z.object({
      action: z.enum(['reject', 'accept']),
      annotator: idSchema,
      itemId: z.nullable(idSchema),
      reason: z.nullable(z.string()),
      decidedBy: z.string(),
      at: isoSchema,
    }),
  ),
});
export type Decisions = z.infer<typeof decisionsSchema>;
