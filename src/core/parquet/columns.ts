import type { ColumnSource, PageData } from 'hyparquet-writer/src/types.js';
import { image, list, struct, value, type Feature, type Field, type ImageValue } from './feature.ts';
import type { DatasetRow, RowAnnotation } from './datasetRow.ts';
import { flatLeaf, listLeaf, nestedListLeaf, nestedStructFieldLeaf, nestedValueLeaf, structFieldLeaf } from './levels.ts';
import type { LeveledColumn } from './rowGroup.ts';

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
  /** The column's value in a row, as hyparquet-writer takes it (what `leaves` must match). */
  readonly read: (r: RowToWrite) => unknown;
  /** Its leaves' values and levels for a row group, in schema order (levels.ts), as encodeNestedValues makes them from `read`'s values. */
  readonly leaves: (rows: readonly RowToWrite[]) => PageData[];
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

/** A column as declared below: a top-level value's leaves are made from `read` (flatLeaf). */
type ColumnSpec = Omit<Column, 'leaves'> & Partial<Pick<Column, 'leaves'>>;

const imageLeaves = (image: (r: RowToWrite) => ImageValue) => (rows: readonly RowToWrite[]) => [
  structFieldLeaf(rows, (r) => image(r).bytes),
  structFieldLeaf(rows, (r) => image(r).path),
];
const annotations = (r: RowToWrite) => r.row.annotations;
const annotationField = (get: (a: RowAnnotation, index: number, r: RowToWrite) => unknown) => (rows: readonly RowToWrite[]) => nestedValueLeaf(rows, annotations, get);
const points = (a: RowAnnotation) => a.points;

const SPECS: readonly ColumnSpec[] = [
  { name: 'id', feature: string, description: "The item's id in the task pack.", read: (r) => r.row.id },
  { name: 'prompt', feature: string, description: 'The prompt the image was generated from.', read: (r) => r.row.prompt },
  {
    name: 'tokens',
    feature: list(string),
    description: 'The prompt split into words by RichHF-18K\'s rule: split on , . ? ! " : ; and the space character, empty pieces dropped; every token index counts in this list.',
    read: (r) => r.row.tokens,
    leaves: (rows) => [listLeaf(rows, (r) => r.row.tokens)],
  },
  {
    name: 'prompt_misalignment_label',
    feature: string,
    description: 'One label per token, separated by single spaces: 0 = misaligned (a strict majority of annotators marked the word), 1 = aligned (RichHF-18K’s convention).',
    read: (r) => r.row.promptMisalignmentLabel,
  },
  {
    name: 'image',
    feature: image,
    description: "The image that was annotated: the original file's bytes and its file name.",
    read: (r) => r.image,
    leaves: imageLeaves((r) => r.image),
    bulk: true,
  },
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
    leaves: imageLeaves((r) => mapValue(r.row.artifactPng)),
    bulk: true,
  },
  {
    name: 'misalignment_map',
    feature: image,
    description: 'Misalignment heatmap, made the same way from the misalignment points.',
    read: (r) => mapValue(r.row.misalignmentPng),
    leaves: imageLeaves((r) => mapValue(r.row.misalignmentPng)),
    bulk: true,
  },
  {
    name: 'token_votes',
    feature: list(int32),
    description: 'For each token, how many annotators marked it as misaligned.',
    read: (r) => r.row.tokenVotes,
    leaves: (rows) => [listLeaf(rows, (r) => r.row.tokenVotes)],
  },
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
    leaves: (rows) =>
      [
        annotationField((_, i, r) => r.annotators[i]),
        annotationField((a) => a.scores.plausibility),
        annotationField((a) => a.scores.alignment),
        annotationField((a) => a.scores.aesthetics),
        annotationField((a) => a.scores.overall),
        (rows: readonly RowToWrite[]) => nestedListLeaf(rows, annotations, (a) => a.misalignedTokens),
        (rows: readonly RowToWrite[]) => nestedStructFieldLeaf(rows, annotations, points, (p) => p.kind),
        (rows: readonly RowToWrite[]) => nestedStructFieldLeaf(rows, annotations, points, (p) => p.x),
        (rows: readonly RowToWrite[]) => nestedStructFieldLeaf(rows, annotations, points, (p) => p.y),
        annotationField((a) => a.submittedAt),
        annotationField((a) => BigInt(a.activeMs)),
      ].map((leaf) => leaf(rows)),
  },
];

export const COLUMNS: readonly Column[] = SPECS.map((c) => ({ ...c, leaves: c.leaves ?? ((rows) => [flatLeaf(rows, c.read)]) }));

/** How each column is written: the images' bytes PLAIN and uncompressed (Column.bulk), statistics for top-level values only. */
const options = (c: Column) => (c.bulk ? { encoding: 'PLAIN' as const, codec: 'UNCOMPRESSED' as const, statistics: false } : { statistics: c.feature.kind === 'value' });

/** The columns of a row group, their leaves made from the rows (levels.ts), for writeRowGroup (its schema is parquetSchema(COLUMNS)). */
export function columnData(rows: readonly RowToWrite[]): LeveledColumn[] {
  return COLUMNS.map((c) => ({ name: c.name, rows: rows.length, leaves: () => c.leaves(rows), ...options(c) }));
}

/** The same columns as values for hyparquet-writer's own ParquetWriter.write (which levels them itself): what the tests hold columnData to. */
export function columnSources(rows: readonly RowToWrite[]): ColumnSource[] {
  return COLUMNS.map((c) => ({ name: c.name, data: rows.map(c.read), ...options(c) }));
}
