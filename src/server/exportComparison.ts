import type { Context } from 'hono';
import { DEFAULT_RESAMPLES } from '../core/compare/bootstrap.ts';
import { planComparison } from '../core/compare/plan.ts';
import { comparisonReport, DEFAULT_SEED } from '../core/compare/report.ts';
import { buildAnnotationFile } from '../core/dataset/annotationFile.ts';
import type { AnnotationSource } from '../core/dataset/plan.ts';
import type { AnnotationRecord } from '../core/formats/annotations.ts';
import { downloadName } from '../core/text/fileName.ts';
import type { AppEnv, ServerContext } from './context.ts';
import { currentRecords } from './db/submissions.ts';
import { HttpError } from './http/errors.ts';

/**
 * `GET /api/v1/export/comparison[?seed=N&resamples=N]` (lead): the `richhf-comparison-report` of
 * the server's comparison records, made by core's engine (src/core/compare) from the annotation
 * files the server would hand out (`GET /api/v1/export/annotations`), so its bytes are those
 * `richhf compare --pack LEAD_PACK --out REPORT.json FILES…` writes from those files (same
 * defaults: seed 1, 2,000 resamples). The pack served must be the lead's, which names the systems.
 */
const MAX_RESAMPLES = 100_000;

export function exportComparison(ctx: ServerContext) {
  return async (c: Context<AppEnv>) => {
    const seedText = c.req.query('seed');
    if (seedText !== undefined && !/^\d{1,9}$/.test(seedText)) throw new HttpError(400, `seed: must be an integer from 0 to 999999999, got "${seedText}"`, 'seed');
    const resamplesText = c.req.query('resamples');
    if (resamplesText !== undefined && (!/^\d{1,6}$/.test(resamplesText) || Number(resamplesText) < 1 || Number(resamplesText) > MAX_RESAMPLES))
      throw new HttpError(400, `resamples: must be an integer from 1 to ${MAX_RESAMPLES}, got "${resamplesText}"`, 'resamples');
    if (ctx.pack.comparisons.size === 0) throw new HttpError(409, `pack "${ctx.pack.pack.name}" has no comparison items ("kind": "compare")`);
    if (!ctx.pack.namesSystems)
      throw new HttpError(
        409,
        `pack "${ctx.pack.pack.name}" names no systems (it is the annotators' pack): serve the lead's pack (richhf pack --compare --lead-pack) for this report, or run richhf compare with the key on the exported annotation files`,
      );
    const byAnnotator = new Map<string, AnnotationRecord[]>();
    for (const r of await currentRecords(ctx.db)) {
      let list = byAnnotator.get(r.annotator);
      if (!list) byAnnotator.set(r.annotator, (list = []));
      list.push(r.record);
    }
    const files: AnnotationSource[] = [...byAnnotator].map(([annotator, list]) => ({
      name: `annotations of "${annotator}"`,
      file: buildAnnotationFile(annotator, ctx.pack.pack, list, ctx.pack.order),
    }));
    const plan = planComparison(ctx.pack.pack, files, ctx.pack.file);
    if (plan.errors.length > 0) {
      const first = plan.errors.slice(0, 5).map((e) => `${e.file}: ${e.path}: ${e.message}`);
      throw new HttpError(500, `the stored submissions do not make a comparison report: ${first.join('; ')}`);
    }
    const report = comparisonReport(plan, {
      seed: seedText !== undefined ? Number(seedText) : DEFAULT_SEED,
      resamples: resamplesText !== undefined ? Number(resamplesText) : DEFAULT_RESAMPLES,
    });
    const name = downloadName([ctx.pack.pack.name, 'comparison'], 'json');
    c.header('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    return c.body(`${JSON.stringify(report, null, 2)}\n`, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  };
}
