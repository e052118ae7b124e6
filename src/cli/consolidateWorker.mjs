// Entry of a consolidation worker thread. Workers do not inherit the main thread's module
// hooks, so each one registers tsx itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./consolidateWorker.ts');
