import { parentPort } from 'node:worker_threads';
import { renderBatch, type BatchRequest } from './itemBatch.ts';

/** Worker side of itemPool: render each batch it is sent and post the result back. */
const port = parentPort;
if (!port) throw new Error('consolidateWorker must run in a worker thread');
port.on('message', (req: BatchRequest) => {
  const result = renderBatch(req);
  port.postMessage(result, result.records ? [result.records.buffer as ArrayBuffer] : []);
});
