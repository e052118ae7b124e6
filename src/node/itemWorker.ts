import { parentPort } from 'node:worker_threads';
import { answerChunk, type ChunkRequest } from '../core/dataset/itemPool.ts';
import type { CutScoreRequest, PrepareRequest, ScoreReply, ScoreRequest, ValidateReply, ValidateRequest } from './itemPool.ts';

/**
 * A worker thread of src/node/itemPool.ts: answers each chunk request it is sent, checks
 * input files against their schema when asked (zod is loaded then, not before: a thread that
 * only makes items starts without it), and scores heatmap pairs.
 */
const port = parentPort;
if (!port) throw new Error('itemWorker must run in a worker thread');

/** The metrics and PNG code, loaded at the first pairs to score (a thread making items never needs them). */
let scoring: Promise<typeof import('./heatmapPairs.ts')> | undefined;

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

port.on('message', (message: ChunkRequest | ValidateRequest | ScoreRequest | CutScoreRequest | PrepareRequest) => {
  if ('prepare' in message) {
    const grid = message.prepare;
    void (scoring ??= import('./heatmapPairs.ts')).then(({ prepareHere }) => prepareHere(grid));
    return;
  }
  if ('score' in message) {
    const { id, grid, pairs } = message.score;
    void (scoring ??= import('./heatmapPairs.ts')).then(({ scorePairsHere }) => port.postMessage({ scored: { id, scores: scorePairsHere(grid, pairs) } } satisfies ScoreReply));
    return;
  }
  if ('scoreCuts' in message) {
    const { id, grid, file, pairs } = message.scoreCuts;
    void (scoring ??= import('./heatmapPairs.ts')).then(({ scoreCutPairsHere }) =>
      port.postMessage({ scored: { id, scores: scoreCutPairsHere(grid, file, pairs) } } satisfies ScoreReply),
    );
    return;
  }
  if ('validate' in message) {
    void validate(message.validate).then((reply) => port.postMessage(reply));
    return;
  }
  const { reply, transfer } = answerChunk(message);
  port.postMessage(reply, transfer);
});
