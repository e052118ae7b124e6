/**
 * `submitted` store, key [annotator, pack, itemId]: a submitted item, stored as the record of
 * the `richhf-annotations` format (core/formats/annotations.ts), which has no `version` field.
 * Version 1 is that bare record; a later stored shape adds `version: 2`, and a value without
 * a version is version 1.
 */
import { ratingRecordSchema } from '../../core/formats/index.ts';
import { storedRecordType } from '../storedRecord.ts';

export const SUBMITTED_VERSION = 1;

export const submittedRecord = /* @__PURE__ */ storedRecordType({
  name: 'submitted record',
  version: SUBMITTED_VERSION,
  schema: ratingRecordSchema,
  versionOf: (r) => r.version ?? 1,
});
