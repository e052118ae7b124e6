import { describe, expect, it } from 'vitest';
import { DatasetWriter, datasetItemJson, serializeDataset } from '../../src/core/dataset/datasetJson.ts';
import { datasetSchema, type Dataset, type DatasetItem } from '../../src/core/formats/dataset.ts';

const item: DatasetItem = {
  id: '0001',
  image: 'images/0001.png',
  prompt: 'a "yellow" cat',
  imageWidth: 512,
  imageHeight: 256,
  annotators: ['10', '9', '__proto__'],
  scores: { plausibility: 11 / 3, alignment: 2, aesthetics: 4, overall: 3 },
  normalizedScores: { plausibility: (11 / 3 - 1) / 4, alignment: 0.25, aesthetics: 0.75, overall: 0.5 },
  maxScoreDiff: { plausibility: 1, alignment: 0, aesthetics: 2, overall: 1 },
  tokens: ['a', 'yellow', 'cat'],
  tokenVotes: [0, 2, 1],
  promptMisalignmentLabel: '1 0 1',
  labeledPrompt: 'a yellow_0 cat',
  artifactHeatmap: 'AA==',
  misalignmentHeatmap: 'AQ==',
  points: Object.fromEntries([
    ['10', [{ kind: 'artifact', x: 1, y: 2.5 }]],
    ['9', []],
    ['__proto__', [{ kind: 'misalignment', x: 0, y: 256 }]],
  ]),
};

describe('dataset JSON byte layout', () => {
  it('one item: compact JSON, keys in the documented order, points keyed in annotator order', () => {
    expect(datasetItemJson(item)).toBe(
      '{"id":"0001","image":"images/0001.png","prompt":"a \\"yellow\\" cat","imageWidth":512,"imageHeight":256,' +
        '"annotators":["10","9","__proto__"],' +
        '"scores":{"plausibility":3.6666666666666665,"alignment":2,"aesthetics":4,"overall":3},' +
        '"normalizedScores":{"plausibility":0.6666666666666666,"alignment":0.25,"aesthetics":0.75,"overall":0.5},' +
        '"maxScoreDiff":{"plausibility":1,"alignment":0,"aesthetics":2,"overall":1},' +
        '"tokens":["a","yellow","cat"],"tokenVotes":[0,2,1],"promptMisalignmentLabel":"1 0 1","labeledPrompt":"a yellow_0 cat",' +
        '"artifactHeatmap":"AA==","misalignmentHeatmap":"AQ==",' +
        // JSON.stringify would put "9" before "10" (integer-like keys first); the layout keeps code-unit order.
        '"points":{"10":[{"kind":"artifact","x":1,"y":2.5}],"9":[],"__proto__":[{"kind":"misalignment","x":0,"y":256}]}}',
    );
  });

  const dataset: Dataset = {
    format: 'richhf-dataset',
    version: 1,
    pack: 'demo',
    heatmapWidth: 512,
    heatmapHeight: 512,
    items: [item, { ...item, id: '0002' }],
    skipped: [{ id: '0042', reason: '2 of 3 annotators' }],
    warnings: ['w "1"'],
  };

  it('the whole file: header line, one item per line, footer; the same as DatasetWriter in chunks; parses back', () => {
    const text = serializeDataset(dataset);
    const lines = text.split('\n');
    expect(lines[0]).toBe('{"format":"richhf-dataset","version":1,"pack":"demo","heatmapWidth":512,"heatmapHeight":512,"items":[');
    expect(lines[1]).toBe(`${datasetItemJson(item)},`);
    expect(lines[2]).toBe(datasetItemJson({ ...item, id: '0002' }));
    expect(lines[3]).toBe('],"skipped":[{"id":"0042","reason":"2 of 3 annotators"}],"warnings":["w \\"1\\""]}');
    expect(lines[4]).toBe('');
    const chunks: string[] = [];
    const w = new DatasetWriter((c) => chunks.push(c), dataset);
    w.item(dataset.items[0]!);
    w.item(datasetItemJson(dataset.items[1]!));
    w.finish(dataset.skipped, dataset.warnings);
    expect(chunks.join('')).toBe(text);
    const back = datasetSchema.safeParse(JSON.parse(text));
    expect(back.success).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(dataset)));
  });

  it('no items', () => {
    expect(serializeDataset({ ...dataset, items: [], skipped: [], warnings: [] })).toBe(
      '{"format":"richhf-dataset","version":1,"pack":"demo","heatmapWidth":512,"heatmapHeight":512,"items":[\n],"skipped":[],"warnings":[]}\n',
    );
  });
});
