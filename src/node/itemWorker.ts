import { parentPort } from 'node:worker_threads';
import { answerChunk, type ChunkRequest } from '../core/dataset/itemPool.ts';

/** A worker thread of src/node/itemPool.ts: answers each chunk request it is sent. */
const port = parentPort;
if (!port) throw new Error('itemWorker must run in a worker thread');
port.on('message', (request: ChunkRequest) => {
  const { reply, transfer } = answerChunk(request);
  port.postMessage(reply, transfer);
});
