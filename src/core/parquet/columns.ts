import type { ColumnSource } from 'hyparquet-writer/src/types.js';
import { image, list, struct, value, type Feature, type Field, type ImageValue } from './feature.ts';
import type { DatasetRow } from './datasetRow.ts';

/**
 * The columns of the Parquet dataset, in file order: each one's name (snake_case, as the hub's
 * datasets), its feature and what it holds (the card's column table is made from these), and
 * how its value is read from a row. The names of the four scores and the label are RichHF-18K's.
 */
export interface RowToWrite {
  readonly row: DatasetRow;
  /** The item's image file. */
  readonly image: ImageValue;
  /** Pseudonyms of row.annotations' annotators, in the same order. */
  readonly annotators: readonly string[];
}

export interface Column extends Field {
  /** One sentence for the card. */
  readonly description: string;
  readonly read: (r: RowToWrite) => unknown;
  /**
   * Large byte values (images): written PLAIN and uncompressed (PNG and JPEG are compressed
   * already), without statistics (a min/max of image bytes says nothing and costs a pass).
   */
  readonly bulk?: boolean;
}

const float = value('float64');
const int32 = value('int32');
const string = value('string');

const annotationFeature: Feature = struct([
  { name: 'annotator', feature: string },
  { name: 'plausibility', feature: int32 },
  { name: 'alignment', feature: int32 },
  { name: 'aesthetics', feature: int32 },
  { name: 'overall', feature: int32 },
  { name: 'misaligned_tokens', feature: list(int32) },
  {
    name: 'points',
    feature: list(
      struct([
        { name: 'kind', feature: string },
        { name: 'x', feature: float },
        { name: 'y', feature: float },
      ]),
    ),
  },
  { name: 'submitted_at', feature: string },
  { name: 'active_ms', feature: value('int64') },
]);

const mapValue = (bytes: Uint8Array): ImageValue => ({ bytes, path: null });

export const COLUMNS: readonly Column[] = [
  { name: 'id', feature: string, description: "The item's id in the task pack.", read: (r) => r.row.id },
  { name: 'prompt', feature: string, description: 'The prompt the image was generated from.', read: (r) => r.row.prompt },
  {
    name: 'tokens',
    feature: list(string),
    description: 'The prompt split into words by RichHF-18K\'s rule: split on , . ? ! " : ; and the space character, empty pieces dropped; every token index counts in this list.',
    read: (r) => r.row.tokens,
  },
  {
    name: 'prompt_misalignment_label',
    feature: string,
    description: 'One label per token, separated by single spaces: 0 = misaligned (a strict majority of annotators marked the word), 1 = aligned (RichHF-18K’s convention).',
    read: (r) => r.row.promptMisalignmentLabel,
  },
  { name: 'image', feature: image, description: "The image that was annotated: the original file's bytes and its file name.", read: (r) => r.image, bulk: true },
  { name: 'image_width', feature: int32, description: "The image's width in pixels (points are in these pixels).", read: (r) => r.row.imageWidth },
  { name: 'image_height', feature: int32, description: "The image's height in pixels.", read: (r) => r.row.imageHeight },
  {
    name: 'artifact_score',
    feature: float,
    description: 'Plausibility, normalized: (mean − 1) / 4 in [0, 1]; higher = fewer artifacts, more plausible.',
    read: (r) => r.row.normalizedScores.plausibility,
  },
  {
    name: 'misalignment_score',
    feature: float,
    description: 'Text-image alignment, normalized: (mean − 1) / 4 in [0, 1]; higher = better aligned (despite the name, as released in RichHF-18K).',
    read: (r) => r.row.normalizedScores.alignment,
  },
  { name: 'aesthetics_score', feature: float, description: 'Aesthetics, normalized: (mean − 1) / 4 in [0, 1]; higher = better.', read: (r) => r.row.normalizedScores.aesthetics },
  { name: 'overall_score', feature: float, description: 'Overall quality, normalized: (mean − 1) / 4 in [0, 1]; higher = better.', read: (r) => r.row.normalizedScores.overall },
  {
    name: 'plausibility_mean',
    feature: float,
    description: 'The mean of the annotators’ plausibility scores, 1-5; higher = more plausible.',
    read: (r) => r.row.scores.plausibility,
  },
  { name: 'alignment_mean', feature: float, description: 'The mean of the annotators’ alignment scores, 1-5; higher = better aligned.', read: (r) => r.row.scores.alignment },
  { name: 'aesthetics_mean', feature: float, description: 'The mean of the annotators’ aesthetics scores, 1-5; higher = better.', read: (r) => r.row.scores.aesthetics },
  { name: 'overall_mean', feature: float, description: 'The mean of the annotators’ overall scores, 1-5; higher = better.', read: (r) => r.row.scores.overall },
  {
    name: 'artifact_map',
    feature: image,
    description:
      'Implausibility/artifact heatmap: an 8-bit gray PNG of the heatmap grid; level = round(255 × share of annotators whose disc of radius H/20 covers the cell); 0 = nobody marked it.',
    read: (r) => mapValue(r.row.artifactPng),
    bulk: true,
  },
  {
    name: 'misalignment_map',
    feature: image,
    description: 'Misalignment heatmap, made the same way from the misalignment points.',
    read: (r) => mapValue(r.row.misalignmentPng),
    bulk: true,
  },
  { name: 'token_votes', feature: list(int32), description: 'For each token, how many annotators marked it as misaligned.', read: (r) => r.row.tokenVotes },
  {
    name: 'annotations',
    feature: list(annotationFeature),
    description:
      'Each annotator’s own answers, one struct per annotator: a pseudonymous id (the same annotator has the same id on every item), the four Likert scores 1-5 (higher = better), the misaligned token indices, the points (kind artifact or misalignment, x and y in image pixels, origin top-left), submitted_at (ISO 8601) and active_ms (active time on the item in milliseconds, idle gaps over 60 s left out).',
    read: (r) =>
      r.row.annotations.map((a, i) => ({
        annotator: r.annotators[i],
        plausibility: a.scores.plausibility,
        alignment: a.scores.alignment,
        aesthetics: a.scores.aesthetics,
        overall: a.scores.overall,
        misaligned_tokens: a.misalignedTokens,
        points: a.points.map((p) => ({ kind: p.kind, x: p.x, y: p.y })),
        submitted_at: a.submittedAt,
        active_ms: BigInt(a.activeMs),
      })),
  },
];

/** The column data of a row group, for hyparquet-writer (its schema is parquetSchema(COLUMNS)). */
export function columnData(rows: readonly RowToWrite[]): ColumnSource[] {
  return COLUMNS.map((c) => ({
    name: c.name,
    data: rows.map(c.read),
    ...(c.bulk ? { encoding: 'PLAIN' as const, codec: 'UNCOMPRESSED' as const, statistics: false } : { statistics: c.feature.kind === 'value' }),
  }));
}

/** Bytes of a row's large values: what row groups and shards are sized by. */
export function rowBytes(r: RowToWrite): number {
  return r.image.bytes.length + r.row.artifactPng.length + r.row.misalignmentPng.length + 1024;
}
