import { parentPort } from 'node:worker_threads';
import { prepareHere, scoreCutPairsHere, scorePairsHere } from './heatmapPairs.ts';
import type { CutScoreRequest, PrepareRequest, ScoreReply, ScoreRequest } from './scoringPool.ts';

/** A worker thread of src/node/scoringPool.ts: scores the heatmap pairs it is sent, and loads nothing else. */
const port = parentPort;
if (!port) throw new Error('scoringWorker must run in a worker thread');

port.on('message', (message: ScoreRequest | CutScoreRequest | PrepareRequest) => {
  if ('prepare' in message) {
    prepareHere(message.prepare);
    return;
  }
  if ('score' in message) {
    const { id, grid, pairs } = message.score;
    port.postMessage({ scored: { id, scores: scorePairsHere(grid, pairs) } } satisfies ScoreReply);
    return;
  }
  const { id, grid, file, pairs } = message.scoreCuts;
  port.postMessage({ scored: { id, scores: scoreCutPairsHere(grid, file, pairs) } } satisfies ScoreReply);
});
