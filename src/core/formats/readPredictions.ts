import type { Parsed } from './located.ts';
import { PREDICTIONS_FORMAT, PREDICTIONS_VERSION, predictionsSchema, type Predictions } from './predictions.ts';
import { parseFormatBytes } from './readDocument.ts';

/**
 * Parse a predictions file, saying plainly when it is some other kind of file (a dataset
 * passed by mistake) instead of listing every field that does not match.
 */
export function parsePredictionsBytes(file: string, bytes: Uint8Array): Parsed<Predictions> {
  return parseFormatBytes(file, bytes, predictionsSchema, { format: PREDICTIONS_FORMAT, version: PREDICTIONS_VERSION });
}

export function parsePredictionsText(file: string, text: string): Parsed<Predictions> {
  return parsePredictionsBytes(file, new TextEncoder().encode(text));
}
