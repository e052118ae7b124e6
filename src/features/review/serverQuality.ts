/**
 * On a collection server's dashboard the quality table is the server's (`GET /api/v1/quality`:
 * the same model on every record, rejected annotators included), with reject and accept
 * buttons and thresholds kept on the server. The dashboard (features/dashboard/leadStore.ts)
 * sets this source; the review page on files leaves it empty and computes the table itself.
 */
import { create } from 'zustand';
import type { Quality, QualityThresholds } from '../../core/formats/quality.ts';

export interface ServerQuality {
  readonly quality: Quality | null;
  /** A decision under way, by annotator: its button waits. */
  readonly deciding: ReadonlySet<string>;
  readonly reject: (annotator: string, reason: string) => Promise<unknown>;
  readonly accept: (annotator: string) => Promise<unknown>;
  readonly setThresholds: (t: QualityThresholds) => Promise<unknown>;
}

export const useServerQuality = create<{ source: ServerQuality | null }>(() => ({ source: null }));
