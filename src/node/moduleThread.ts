import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running one of src/node's thread modules (`itemWorker`, `parquetWorker`).
 * Compiled (build/node/), the thread runs the module's .js beside this one. Run from the
 * TypeScript sources (tests, benchmarks, scripts under tsx or vitest), the thread loads the .ts
 * through tsx, a development dependency, which only then is needed.
 */
export function startModuleThread(name: string, options: WorkerOptions = {}): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(new URL(`./${name}.js`, import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { ...options, eval: true });
}
