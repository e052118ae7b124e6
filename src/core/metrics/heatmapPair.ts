import { lenientBase64ToBytes } from '../encode/base64.ts';
import { decodeBase64GrayPng, decodeGrayPngOrNull, type Base64Decoder, type GrayImage, type Inflate } from '../encode/pngDecode.ts';
import { jitterField, jitterRanks, type JitterField } from './jitter.ts';
import { resizeBilinear } from './resize.ts';
import { createWorkspace, heatmapMetrics, heatmapMetrics8, isZeroLevels, type HeatmapMetrics, type HeatmapWorkspace } from './saliency.ts';

/**
 * One pair of heatmaps scored: the dataset's map and the model's, both base64 PNG text,
 * decoded and measured on the dataset's grid. It is the unit of work of `richhf evaluate`,
 * plain data in and out, so it runs the same in the calling thread and in worker threads.
 */
export interface MapPair {
  /** The dataset's map. */
  readonly truth: string;
  readonly predicted: string;
}

/** The grid and the AUC-Judd jitter seed every pair of a run is scored with. */
export interface PairGrid {
  readonly width: number;
  readonly height: number;
  readonly seed: number;
}

/** The figures, or why the pair could not be scored: which map, and the message for its field. */
export type PairScore = { readonly ok: true; readonly metrics: HeatmapMetrics } | { readonly ok: false; readonly map: 'truth' | 'predicted'; readonly message: string };

/** value / 255 for every 8-bit level: the same doubles as the division, without dividing per pixel. */
const LEVEL = Float64Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Scores pairs one after another, reusing its buffers: the jitter field and the scratch space
 * (about 20 MB at 512x512) are made at the first pair. Datasets repeat one all-zero PNG for
 * empty maps, so the first few all-zero truths are remembered by their text and not decoded again.
 */
export class PairScorer {
  private buffers?: { jitter: JitterField; ws: HeatmapWorkspace; p: Float64Array; g: Float64Array; zeroTruth: GrayImage; pLevels: Uint8Array; gLevels: Uint8Array };
  private readonly emptyTruths = new Map<string, true>();

  /** `inflate` and `base64` decode the PNGs' text (the command line passes Node's native ones). */
  constructor(
    private readonly grid: PairGrid,
    private readonly inflate: Inflate,
    private readonly base64: Base64Decoder = lenientBase64ToBytes,
  ) {}

  private get b() {
    if (!this.buffers) {
      const { width, height, seed } = this.grid;
      const pixels = width * height;
      this.buffers = {
        jitter: jitterField(pixels, seed),
        ws: createWorkspace(pixels),
        p: new Float64Array(pixels),
        g: new Float64Array(pixels),
        zeroTruth: { width, height, data: new Uint8Array(pixels), maxValue: 255 },
        // Where the two maps are decoded, pair after pair.
        pLevels: new Uint8Array(pixels),
        gLevels: new Uint8Array(pixels),
      };
    }
    return this.buffers;
  }

  /** Makes the jitter field, its ranks and the buffers now, not at the first pair (a thread that waits anyway). */
  prepare(): void {
    jitterRanks(this.b.jitter);
  }

  /** The prediction is decoded first: when it is not a PNG, the truth is not looked at. */
  score(pair: MapPair): PairScore {
    return this.scoreDecoded(this.base64(pair.predicted), pair.truth);
  }

  /** score with the predicted map's base64 text already decoded: its bytes, or null when the text is not base64. */
  scoreDecoded(predicted: Uint8Array | null, truth: string): PairScore {
    const { width: gw, height: gh } = this.grid;
    const b = this.b;
    const pDec = decodeGrayPngOrNull(predicted, this.inflate, b.pLevels);
    if (!pDec.ok) return { ok: false, map: 'predicted', message: `not a valid PNG (${pDec.reason})` };
    let gImg: GrayImage | undefined = this.emptyTruths.has(truth) ? b.zeroTruth : undefined;
    if (!gImg) {
      const gDec = decodeBase64GrayPng(truth, this.inflate, this.base64, b.gLevels);
      if (!gDec.ok) return { ok: false, map: 'truth', message: `not a valid PNG (${gDec.reason})` };
      gImg = gDec.image;
      if (gImg.width !== gw || gImg.height !== gh) return { ok: false, map: 'truth', message: `map is ${gImg.width}x${gImg.height}, the dataset's grid is ${gw}x${gh}` };
      if (this.emptyTruths.size < 16 && isZero(gImg.data)) this.emptyTruths.set(truth, true);
    }
    const pImg = pDec.image;
    if (pImg.width === gw && pImg.height === gh && is8bit(pImg) && is8bit(gImg)) {
      return { ok: true, metrics: heatmapMetrics8(pImg.data, gImg.data, b.jitter, b.ws) };
    }
    toValues(gImg, b.g);
    if (pImg.width === gw && pImg.height === gh) toValues(pImg, b.p);
    else {
      const src = new Float64Array(pImg.width * pImg.height);
      toValues(pImg, src);
      resizeBilinear(src, pImg.width, pImg.height, gw, gh, b.p);
    }
    return { ok: true, metrics: heatmapMetrics(b.p, b.g, b.jitter, b.ws) };
  }
}

function is8bit(img: GrayImage): img is GrayImage & { data: Uint8Array } {
  return img.maxValue === 255 && img.data instanceof Uint8Array;
}

function isZero(data: Uint8Array | Uint16Array): boolean {
  if (data instanceof Uint8Array) return isZeroLevels(data);
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}

/** Fill `out` with data / maxValue. */
function toValues(img: GrayImage, out: Float64Array): void {
  const { data, maxValue } = img;
  const n = img.width * img.height;
  if (maxValue === 255) for (let i = 0; i < n; i++) out[i] = LEVEL[data[i]!]!;
  else for (let i = 0; i < n; i++) out[i] = data[i]! / maxValue;
}
