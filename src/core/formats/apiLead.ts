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
