/**
 * The review page on a pack of comparison items (issue 18): the lead imports the annotators'
 * files and, for the annotators' pack (which names no systems), the key that `richhf pack
 * --compare` wrote; the report is core's (src/core/compare), as `richhf compare` makes it from
 * the same files. Files are read where they enter, with the format schemas; problems are shown
 * as `file: path: message`.
 */
import { useMemo, useState } from 'react';
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
import type { TaskPack } from '../../core/formats/taskpack.ts';
import { ComparisonPanel } from './ComparisonPanel.tsx';

async function readJson<S extends zc.$ZodType>(file: File, schema: S) {
  return parseJsonBytes(file.name, new Uint8Array(await file.arrayBuffer()), schema);
}

export function ComparisonReview({ pack }: { pack: TaskPack }) {
  const [key, setKey] = useState<{ name: string; key: ComparisonKey } | null>(null);
  const [files, setFiles] = useState<AnnotationSource[]>([]);
  const [errors, setErrors] = useState<LocatedError[]>([]);
  const needsKey = !namesSystems(pack);

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

  const importKey = async (file: File | undefined) => {
    if (!file) return;
    const read = await readJson(file, comparisonKeySchema);
    if (read.ok) {
      setKey({ name: file.name, key: read.value });
      setErrors([]);
    } else setErrors([...read.errors]);
  };
  const importFiles = async (picked: File[]) => {
    const read: AnnotationSource[] = [];
    const problems: LocatedError[] = [];
    for (const f of picked) {
      const r = await readJson(f, annotationFileSchema);
      if (r.ok) read.push({ name: f.name, file: r.value });
      else problems.push(...r.errors);
    }
    // A file imported again replaces the earlier one of that name.
    setFiles((had) => [...had.filter((h) => !read.some((r) => r.name === h.name)), ...read]);
    setErrors(problems);
  };

  const shown = [...errors, ...(result?.kind === 'errors' ? result.errors : [])];
  return (
    <>
      <section className="rv-panel" aria-labelledby="rv-comparison-files">
        <h2 id="rv-comparison-files">Comparison files</h2>
        <p>
          {pack.items.length} pairs. {files.length} annotation file{files.length === 1 ? '' : 's'} imported
          {needsKey ? (key ? `; key ${key.name}.` : '; this pack names no systems: import its key.') : '; the pack names its systems.'}
        </p>
        {needsKey && (
          <label className="file-button">
            Import comparison key
            <input type="file" accept=".json" onChange={(e) => void importKey(e.currentTarget.files?.[0])} />
          </label>
        )}
        <label className="file-button">
          Import annotations
          <input type="file" multiple accept=".json" onChange={(e) => void importFiles([...(e.currentTarget.files ?? [])])} />
        </label>
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
