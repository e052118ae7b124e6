/**
 * `reviewFiles` store, key [pack name, file name]: an annotation file imported on the review
 * page, as the lead picked it (a Blob, so the page never holds the text of a large file). Its
 * contents are validated again when the review worker reads it, like a fresh file. Version 1
 * has no `version` field; a later shape adds `version: 2`.
 */
import * as z from 'zod/mini';
import { storedRecordType } from '../storedRecord.ts';

export const REVIEW_FILE_VERSION = 1;

export const reviewFileSchema = z.strictObject({
  pack: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string().check(z.minLength(1), z.maxLength(4096)),
  blob: z.instanceof(Blob),
  /** ISO 8601 time of the import. */
  importedAt: z.string().check(z.maxLength(40)),
});
export type ReviewFile = z.infer<typeof reviewFileSchema>;

export const reviewFileRecord = /* @__PURE__ */ storedRecordType({ name: 'review file', version: REVIEW_FILE_VERSION, schema: reviewFileSchema, versionOf: (r) => r.version ?? 1 });
