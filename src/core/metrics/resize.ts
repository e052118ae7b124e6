/**
 * Bilinear resize of a predicted heatmap to the dataset's grid, with half-pixel centres
 * (align_corners = False), no antialiasing, edges clamped. This is the convention of OpenCV's
 * INTER_LINEAR, PyTorch's F.interpolate(mode='bilinear', align_corners=False, antialias=False)
 * and TF2's tf.image.resize(method='bilinear', antialias=False). (It is not PIL's BILINEAR,
 * which widens its filter when shrinking.)
 *
 * Output pixel (c, r) samples the source at x = (c + 0.5) * Ws / Wd - 0.5, y likewise, with x and y
 * clamped below at 0; x0 = floor(x), x1 = min(x0 + 1, Ws - 1), fx = x - x0, and
 * out = (1 - fy) ((1 - fx) s[y0][x0] + fx s[y0][x1]) + fy ((1 - fx) s[y1][x0] + fx s[y1][x1]).
 * Values are not re-quantized. Same size returns a copy.
 */
export function resizeBilinear(src: Float64Array, srcW: number, srcH: number, dstW: number, dstH: number, out?: Float64Array): Float64Array {
  if (src.length !== srcW * srcH) throw new Error(`resizeBilinear: ${src.length} values for ${srcW}x${srcH}`);
  const dst = out ?? new Float64Array(dstW * dstH);
  if (srcW === dstW && srcH === dstH) {
    dst.set(src);
    return dst;
  }
  const cx = axis(srcW, dstW);
  const cy = axis(srcH, dstH);
  for (let r = 0; r < dstH; r++) {
    const row0 = cy.i0[r]! * srcW;
    const row1 = cy.i1[r]! * srcW;
    const fy = cy.f[r]!;
    const gy = 1 - fy;
    const base = r * dstW;
    for (let c = 0; c < dstW; c++) {
      const x0 = cx.i0[c]!;
      const x1 = cx.i1[c]!;
      const fx = cx.f[c]!;
      const gx = 1 - fx;
      dst[base + c] = gy * (gx * src[row0 + x0]! + fx * src[row0 + x1]!) + fy * (gx * src[row1 + x0]! + fx * src[row1 + x1]!);
    }
  }
  return dst;
}

/** Per output index along one axis: the two source indices and the weight of the second. */
function axis(srcN: number, dstN: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const i0 = new Int32Array(dstN);
  const i1 = new Int32Array(dstN);
  const f = new Float64Array(dstN);
  const scale = srcN / dstN;
  for (let d = 0; d < dstN; d++) {
    const x = Math.max(0, (d + 0.5) * scale - 0.5);
    const x0 = Math.min(Math.floor(x), srcN - 1);
    i0[d] = x0;
    i1[d] = Math.min(x0 + 1, srcN - 1);
    f[d] = x - x0;
  }
  return { i0, i1, f };
}
