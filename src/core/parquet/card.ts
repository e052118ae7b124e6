import type { Size } from '../annotate/geometry.ts';
import { COLUMNS } from './columns.ts';
import { yamlFeatures } from './feature.ts';
import type { SplitFiles } from './parquetDataset.ts';
import type { SplitRule } from './split.ts';

/**
 * The dataset card (`README.md` beside `data/`): YAML front matter as the hub writes it
 * (`dataset_info` with the features, splits and download size, then `configs` naming each
 * split's files), and a body saying what every column means, which way each score runs, and how
 * the data was collected and consolidated.
 */
export interface CardInput {
  readonly pack: { readonly name: string; readonly annotatorsPerItem: number };
  readonly grid: Size;
  /** Items left out for having fewer annotators than this. */
  readonly minAnnotators: number;
  readonly skipped: number;
  /** Distinct annotators over all items written. */
  readonly annotators: number;
  readonly splits: readonly SplitFiles[];
  readonly rule: SplitRule;
  /** Items whose split the pack itself named. */
  readonly packSplitItems: number;
  readonly keepAnnotatorIds: boolean;
}

/** A YAML plain scalar when safe, else a double-quoted one (JSON's escapes are YAML's). */
function yamlString(s: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/*]*$/.test(s) ? s : JSON.stringify(s);
}

/** 17,760: thousands separated by commas (toLocaleString would load the locale data, a tenth of a second). */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Text for a Markdown table cell or line: no line breaks, `|` escaped. */
function md(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

function frontMatter(c: CardInput): string[] {
  const total = c.splits.reduce((n, s) => n + s.bytes, 0);
  return [
    '---',
    'dataset_info:',
    '  features:',
    ...yamlFeatures(COLUMNS, 2),
    '  splits:',
    ...c.splits.flatMap((s) => [`  - name: ${yamlString(s.name)}`, `    num_examples: ${s.rows}`]),
    `  download_size: ${total}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    ...c.splits.flatMap((s) => [`  - split: ${yamlString(s.name)}`, `    path: ${yamlString(`data/${s.name}-*`)}`]),
    '---',
  ];
}

function splitText(c: CardInput): string {
  const counts = c.splits.map((s) => `${s.name} ${count(s.rows)}`).join(', ');
  const rule =
    c.rule.shares.length === 1
      ? `Every item without a split of its own is in ${c.rule.shares[0]!.name}`
      : `Items without a split of their own were assigned by the rule ${c.rule.shares.map((s) => `${s.name}=${s.share}`).join(',')} with seed ${c.rule.seed}: an item's place in [0, 1) is a 32-bit hash (FNV-1a, then murmur3's finalizer) of the seed and its id, so an item keeps its split when items are added`;
  const own = c.packSplitItems > 0 ? `${count(c.packSplitItems)} items carry the split the task pack gave them; ` : '';
  return `Splits: ${counts}. ${own}${rule}.`;
}

export function datasetCard(c: CardInput): string {
  const items = c.splits.reduce((n, s) => n + s.rows, 0);
  const lines = [
    ...frontMatter(c),
    '',
    `# ${md(c.pack.name)}`,
    '',
    `Rich human feedback on generated images in the manner of RichHF-18K (Liang et al., CVPR 2024), collected with richhf-studio from the task pack "${md(c.pack.name)}". ` +
      `${count(items)} items, each with the image that was annotated (the original file's bytes), its prompt, the consolidated scores, word labels and heatmaps, and every annotator's own answers.`,
    '',
    '## How it was collected',
    '',
    `Each image was shown with its prompt to ${c.pack.annotatorsPerItem} annotators (the pack's annotators per item; ${count(c.annotators)} annotators in all). ` +
      'Each annotator, independently: clicked points on implausible or artifact regions and on regions that do not match the prompt (in image pixels, origin top-left); ' +
      "marked the prompt's words that the image does not show; and gave four 1-5 Likert scores: plausibility, alignment with the prompt, aesthetics and overall quality (higher is better on every scale). " +
      `Items with fewer than ${c.minAnnotators} annotators are left out (${count(c.skipped)} here). ` +
      (c.keepAnnotatorIds
        ? 'Annotators appear under the ids they were given.'
        : 'Annotators appear under pseudonyms (`annotator-001`, …, numbered by their ids in code-unit order); the same annotator has the same pseudonym on every item.'),
    '',
    '## How it was consolidated',
    '',
    '- **Scores:** the mean of the annotators’ Likert scores (`*_mean`, 1-5) and, under RichHF-18K’s names, the mean normalized as (mean − 1) / 4 in [0, 1]. ' +
      'Every score grows with quality: `artifact_score` is the normalized plausibility (higher = fewer artifacts) and `misalignment_score` the normalized alignment (higher = better aligned), as released in RichHF-18K despite their names.',
    '- **Words:** the prompt is split by RichHF-18K\'s rule (on , . ? ! " : ; and the space character, empty pieces dropped) into `tokens`; a token is misaligned when a strict majority of the annotators marked it (a tie counts as aligned). ' +
      '`prompt_misalignment_label` has one label per token, separated by single spaces: **0 = misaligned, 1 = aligned** (RichHF-18K’s convention).',
    `- **Heatmaps:** ${c.grid.width}×${c.grid.height} cells, 8-bit gray PNGs. Each point is a disc of radius R = H/20 (H = the image's height in pixels); cell (c, r) stands for the image point ((c + ½)·W/${c.grid.width}, (r + ½)·H/${c.grid.height}) and is covered when that point is within R of a point. ` +
      "An annotator's map is the union of their discs; the item's level is (510·k + N) div (2·N) for k of N annotators covering the cell (round(255·k/N), halves up), so 255 = everyone marked it and 0 = nobody.",
    `- ${splitText(c)}`,
    '',
    '## Columns',
    '',
    '| column | type | meaning |',
    '| --- | --- | --- |',
    ...COLUMNS.map((col) => `| \`${col.name}\` | ${featureName(col.feature)} | ${md(col.description)} |`),
    '',
    '## Loading',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    'ds = load_dataset("parquet", data_files={"train": "data/train-*.parquet"})',
    'row = ds["train"][0]',
    'row["image"], row["artifact_map"]  # PIL images, decoded by the Image feature',
    '```',
    '',
    'The Parquet files declare their features in the key-value metadata `huggingface`, so `datasets` and the hub decode the three images without being told.',
    '',
  ];
  return lines.join('\n');
}

function featureName(f: (typeof COLUMNS)[number]['feature']): string {
  switch (f.kind) {
    case 'value':
      return f.dtype;
    case 'image':
      return 'Image';
    case 'list':
      return f.of.kind === 'struct' ? 'list of struct' : `list of ${featureName(f.of)}`;
    case 'struct':
      return 'struct';
  }
}
