import { parentPort, workerData } from 'node:worker_threads';
import { measureQuality, type QualityInput } from '../core/quality/qualityFigures.ts';

/** A one-shot thread of qualityThread.ts: measures the quality figures of its input and posts them. */
const port = parentPort;
if (!port) throw new Error('qualityWorker must run in a worker thread');
port.postMessage(measureQuality(workerData as QualityInput));
