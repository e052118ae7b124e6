import { Worker } from 'node:worker_threads';
import { measureQuality, type AnnotatorFigures, type QualityInput } from '../core/quality/qualityFigures.ts';

/**
 * The quality figures (src/core/quality) measured on a worker thread, so the server keeps
 * answering meanwhile: on a 20,000-item pack measuring takes seconds of CPU (README, "Quality
 * on the server"). Small inputs are measured in the calling thread, cheaper than starting one.
 */
const MIN_RECORDS_FOR_THREAD = 2000;

/** As itemPool.ts: the compiled worker, or the TypeScript one through tsx (tests, benchmarks). */
function newWorker(input: QualityInput): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./qualityWorker.js', import.meta.url), { workerData: input });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./qualityWorker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: input });
}

export function measureQualityOffThread(input: QualityInput): Promise<AnnotatorFigures[]> {
  const records = input.items.reduce((n, item) => n + item.records.length, 0);
  if (records < MIN_RECORDS_FOR_THREAD) return Promise.resolve(measureQuality(input));
  return new Promise((resolve, reject) => {
    const worker = newWorker(input);
    worker.once('message', (figures: AnnotatorFigures[]) => {
      resolve(figures);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the quality thread stopped (exit code ${code}) before answering`)));
  });
}
