/**
 * The review page on a pack of comparison items (issue 18): the lead imports the annotators'
 * files and, for the annotators' pack (which names no systems), the key that `richhf pack
 * --compare` wrote; the report is core's (src/core/compare), as `richhf compare` makes it from
 * the same files. Files are read where they enter, with the format schemas; problems are shown
 * as `file: path: message`. Like the rating review's files, each one imported is kept in this
 * browser (storage/reviewFiles.ts, under the pack's name) and read again, by its format, after a
 * reload, until it is removed.
 *
 * On a pack of both kinds (`shared`) the annotators' files are the rating review's (one import
 * feeds both: each file holds both kinds, as the annotator's page exports it); this panel reads
 * their bytes again and keeps only the comparison key, on a shelf of its own so that the rating
 * review never takes the key for an annotations file.
 */
import { useEffect, useMemo, useState } from 'react';
import type * as zc from 'zod/v4/core';
import { parseJsonBytes } from '../../core/formats/readDocument.ts';
import { joinKey, namesSystems } from '../../core/compare/blind.ts';
import { planComparison } from '../../core/compare/plan.ts';
import { comparisonReport } from '../../core/compare/report.ts';
import type { AnnotationSource } from '../../core/dataset/plan.ts';
import { annotationFileSchema } from '../../core/formats/annotations.ts';
import { comparisonKeySchema, type ComparisonKey } from '../../core/formats/comparisonKey.ts';
import type { ComparisonReport } from '../../core/formats/comparisonReport.ts';
import { formatLocatedError, type LocatedError } from '../../core/formats/located.ts';
import { comparisonItems, type TaskPack } from '../../core/formats/taskpack.ts';
import { deleteReviewFile, listReviewFiles, putReviewFile } from '../../storage/reviewFiles.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { ComparisonPanel } from './ComparisonPanel.tsx';
import { ImportedFiles } from './ImportedFiles.tsx';

async function readJson<S extends zc.$ZodType>(name: string, blob: Blob, schema: S) {
  return parseJsonBytes(name, new Uint8Array(await blob.arrayBuffer()), schema);
}

type Read = { kind: 'annotations'; source: AnnotationSource } | { kind: 'key'; name: string; key: ComparisonKey } | { kind: 'errors'; errors: readonly LocatedError[] };

/** A kept file read back: an annotations file or a comparison key, whichever its format says. */
async function readKept(name: string, blob: Blob): Promise<Read> {
  const annotations = await readJson(name, blob, annotationFileSchema);
  if (annotations.ok) return { kind: 'annotations', source: { name, file: annotations.value } };
  const key = await readJson(name, blob, comparisonKeySchema);
  if (key.ok) return { kind: 'key', name, key: key.value };
  return { kind: 'errors', errors: annotations.errors };
}

/** The rating review's files as read here, by their bytes: each import adds files, and the ones read before are not read again. */
const sharedReads = new WeakMap<Blob, ReturnType<typeof readJson<typeof annotationFileSchema>>>();
function readShared(name: string, blob: Blob) {
  let read = sharedReads.get(blob);
  if (!read) sharedReads.set(blob, (read = readJson(name, blob, annotationFileSchema)));
  return read;
}

/** Where a pack of both kinds keeps its comparison key (the pack's own shelf holds the annotations files). */
const keyShelf = (pack: string) => `${pack} (comparison key)`;

export function ComparisonReview({ pack, shared }: { pack: TaskPack; shared?: readonly { readonly name: string; readonly blob: Blob }[] }) {
  const [key, setKey] = useState<{ name: string; key: ComparisonKey } | null>(null);
  const [own, setOwn] = useState<AnnotationSource[]>([]);
  const [sharedFiles, setSharedFiles] = useState<AnnotationSource[]>([]);
  const files = shared ? sharedFiles : own;
  const [errors, setErrors] = useState<LocatedError[]>([]);
  const needsKey = !namesSystems(pack);
  const shelf = shared ? keyShelf(pack.name) : pack.name;
  const pairs = comparisonItems(pack).length;

  // The rating review's files, read again here (it accepted them: they parse; one that does not is shown).
  useEffect(() => {
    if (!shared) return;
    let live = true;
    void Promise.all(shared.map((f) => readShared(f.name, f.blob))).then((reads) => {
      if (!live) return;
      setSharedFiles(reads.flatMap((r, i) => (r.ok ? [{ name: shared[i]!.name, file: r.value }] : [])));
      setErrors(reads.flatMap((r) => (r.ok ? [] : r.errors)));
    });
    return () => {
      live = false;
    };
  }, [shared]);

  type Result = { kind: 'errors'; errors: readonly LocatedError[] } | { kind: 'report'; report: ComparisonReport; warnings: readonly string[] } | null;
  const result = useMemo((): Result => {
    if (files.length === 0) return null;
    let lead = pack;
    if (needsKey) {
      if (!key)
        return {
          kind: 'errors',
          errors: [{ file: 'the key', path: '', message: 'this pack names no systems: import the comparison key that goes with it (richhf pack --compare wrote it)' }],
        };
      const joined = joinKey(pack, key.key, { pack: 'the pack', key: key.name });
      if (!joined.ok) return { kind: 'errors', errors: joined.errors };
      lead = joined.pack;
    }
    const plan = planComparison(lead, files, 'the pack');
    if (plan.errors.length > 0) return { kind: 'errors', errors: plan.errors };
    return { kind: 'report', report: comparisonReport(plan), warnings: plan.warnings };
  }, [pack, key, files, needsKey]);

  const [storage, setStorage] = useState<string | null>(null);
  // The files kept from earlier visits, read again (nothing read from storage is trusted more than a fresh file).
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const kept = await listReviewFiles(shelf);
        const reads = await Promise.all(kept.files.map((f) => readKept(f.name, f.blob)));
        if (!live) return;
        setOwn(reads.flatMap((r) => (r.kind === 'annotations' ? [r.source] : [])));
        const k = reads.find((r) => r.kind === 'key');
        if (k) setKey({ name: k.name, key: k.key });
        setErrors(reads.flatMap((r) => (r.kind === 'errors' ? r.errors : [])));
        if (kept.setAside.length > 0) setStorage(`Kept files that could not be read back were set aside (not deleted): ${kept.setAside.join('; ')}`);
      } catch (e) {
        if (live) setStorage(`The files imported before could not be read from this browser's storage: ${describeStorageError(e)}`);
      }
    })();
    return () => {
      live = false;
    };
  }, [shelf]);

  /** Keeps an accepted file in this browser; says so when it cannot (it still counts until a reload). */
  const keep = async (file: File) => {
    try {
      await putReviewFile({ pack: shelf, name: file.name, blob: file, importedAt: new Date().toISOString() });
    } catch (e) {
      setStorage(`${file.name}: imported, but not kept in this browser (it will be gone after a reload): ${describeStorageError(e)}`);
    }
  };
  const importKey = async (file: File | undefined) => {
    if (!file) return;
    const read = await readJson(file.name, file, comparisonKeySchema);
    if (read.ok) {
      setKey({ name: file.name, key: read.value });
      setErrors([]);
      await keep(file);
    } else setErrors([...read.errors]);
  };
  const importFiles = async (picked: File[]) => {
    const read: AnnotationSource[] = [];
    const problems: LocatedError[] = [];
    for (const f of picked) {
      const r = await readJson(f.name, f, annotationFileSchema);
      if (r.ok) {
        read.push({ name: f.name, file: r.value });
        await keep(f);
      } else problems.push(...r.errors);
    }
    // A file imported again replaces the earlier one of that name.
    setOwn((had) => [...had.filter((h) => !read.some((r) => r.name === h.name)), ...read]);
    setErrors(problems);
  };
  const remove = async (name: string) => {
    try {
      await deleteReviewFile(shelf, name);
    } catch (e) {
      setStorage(`${name} could not be removed from this browser's storage: ${describeStorageError(e)}`);
      return;
    }
    setOwn((had) => had.filter((h) => h.name !== name));
    if (key?.name === name) setKey(null);
  };

  const shown = [...errors, ...(result?.kind === 'errors' ? result.errors : [])];
  return (
    <>
      <section className="rv-panel" aria-labelledby="rv-comparison-files">
        <h2 id="rv-comparison-files">Comparison files</h2>
        <p>
          {pairs} pairs. {files.length} annotation file{files.length === 1 ? '' : 's'} {shared ? 'imported above' : 'imported'}
          {needsKey ? (key ? `; key ${key.name}.` : '; this pack names no systems: import its key.') : '; the pack names its systems.'}
        </p>
        {needsKey && (
          <label className="file-button">
            Import comparison key
            <input type="file" accept=".json" onChange={(e) => void importKey(e.currentTarget.files?.[0])} />
          </label>
        )}
        {!shared && (
          <label className="file-button">
            Import annotations
            <input type="file" multiple accept=".json" onChange={(e) => void importFiles([...(e.currentTarget.files ?? [])])} />
          </label>
        )}
        {((files.length > 0 && !shared) || key) && (
          <ImportedFiles
            rows={[
              ...(key ? [{ name: key.name, who: 'the comparison key', records: '' }] : []),
              ...(shared ? [] : files.map((f) => ({ name: f.name, who: f.file.annotator, records: String(f.file.annotations.length) }))),
            ]}
            onRemove={(name) => void remove(name)}
          />
        )}
        {storage && (
          <p role="alert" className="rv-errors">
            {storage}
          </p>
        )}
        {shown.length > 0 && (
          <ul role="alert" className="rv-errors">
            {shown.slice(0, 50).map((e, i) => (
              <li key={i}>{formatLocatedError(e)}</li>
            ))}
          </ul>
        )}
        {result?.kind === 'report' && result.warnings.length > 0 && (
          <details>
            <summary>{result.warnings.length} warnings</summary>
            <ul>
              {result.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </details>
        )}
      </section>
      {result?.kind === 'report' && <ComparisonPanel report={result.report} />}
    </>
  );
}
