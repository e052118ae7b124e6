import { parentPort } from 'node:worker_threads';
import { answerChunk, type ChunkRequest } from '../core/dataset/itemPool.ts';
import type { ValidateReply, ValidateRequest } from './itemPool.ts';

/**
 * A worker thread of src/node/itemPool.ts: answers each chunk request it is sent, checks
 * input files against their schema when asked (zod is loaded then, not before: a thread that
 * only makes items starts without it).
 */
const port = parentPort;
if (!port) throw new Error('itemWorker must run in a worker thread');

async function validate({ id, name, bytes }: ValidateRequest['validate']): Promise<ValidateReply> {
  const [{ readJsonDocument }, { schemaKeys }, { annotationFileSchema }] = await Promise.all([
    import('../core/formats/readDocument.ts'),
    import('../core/formats/jsonDocument.ts'),
    import('../core/formats/annotations.ts'),
  ]);
  // The same bounded, located check as parseJsonBytes, without keeping the records (the caller parses them).
  const read = readJsonDocument(name, bytes, schemaKeys(annotationFileSchema));
  const checked = read.ok ? read.doc.check(annotationFileSchema) : read;
  return { validated: { id, report: checked.ok ? null : { errors: checked.errors, unlisted: checked.unlisted } } };
}

port.on('message', (message: ChunkRequest | ValidateRequest) => {
  if ('validate' in message) {
    void validate(message.validate).then((reply) => port.postMessage(reply));
    return;
  }
  const { reply, transfer } = answerChunk(message);
  port.postMessage(reply, transfer);
});
