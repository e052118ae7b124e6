#!/usr/bin/env python3
"""The numpy/scipy reference for `richhf evaluate` (issue 20), run beside it by
bench/evaluate.bench.ts on the same generated files, each as a whole process.

The metrics are computed the way the RichHF paper's published reference code does (its
metrics.py, which follows the MIT saliency benchmark): whole-map array expressions in float64,
one map at a time.
- Heatmaps read with Pillow from base64, gray = level / 255 (16-bit: / 65535, other modes via
  convert('L')); predictions of another size resized bilinearly, half-pixel centres.
- MSE = mean (P - G)^2; CC = sum(dP dG) / (sqrt(sum dP^2) sqrt(sum dG^2) + 1e-8) with the
  plain means; KLD and SIM on P / (sum P + 1e-8) and G / (sum G + 1e-8); NSS with the
  unbiased standard deviation over the pixels with G > 0.
- AUC-Judd: P + jitter, min-max normalized to S, thresholds S at the pixels with G > 0 in
  descending order, TPR = i / n, FPR = (#(S >= t_i) - i) / (N - n) for the i-th threshold
  (1-based, as in the MATLAB original; the Python port subtracts the 0-based index, one
  pixel's worth of FPR), area by np.trapz. The reference counts #(S >= t) with one pass
  over the map per threshold, O(n N): about 0.1 ms per threshold, so minutes per map with
  thousands of positives. Here the same counts come from one sort and np.searchsorted.
- The jitter is not np.random's but richhf's fixed stream (mulberry32, seed 42, one draw per
  pixel in row-major order, restarted for every map, u / 2^32 * 1e-7), computed in closed
  form with uint32 arithmetic, so both sides rank the same S and AUC-Judd can be compared.
- PLCC and SRCC with scipy.stats.pearsonr and spearmanr; misaligned words as per-item and
  micro precision, recall and F1 (0 where undefined).

Usage: evaluate_numpy.py DATASET.json PREDICTIONS.json > REPORT.json
Figures that richhf reports as null (no item behind them, an undefined correlation) are null.
"""
import base64
import io
import json
import math
import sys

import numpy as np
from PIL import Image
from scipy import stats

EPS = 1e-8
SCORES = ("plausibility", "alignment", "aesthetics", "overall")
KINDS = (("artifact", "artifactHeatmap"), ("misalignment", "misalignmentHeatmap"))
FIGURES = ("mse", "mseEmpty", "cc", "kld", "sim", "nss", "aucJudd")


def jitter_field(n, seed=42):
    """mulberry32's first n outputs: state a_k = seed + k * 0x6D2B79F5 (mod 2^32), k = 1..n."""
    k = np.arange(1, n + 1, dtype=np.uint64)
    a = ((np.uint64(seed) + k * np.uint64(0x6D2B79F5)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
    t = (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))) ^ t
    u = t ^ (t >> np.uint32(14))
    return u.astype(np.float64) / 4294967296.0 * 1e-7


def read_map(b64):
    img = Image.open(io.BytesIO(base64.b64decode(b64)))
    if img.mode == "L":
        return np.asarray(img, dtype=np.float64) / 255.0
    if img.mode.startswith("I;16") or img.mode == "I":
        return np.asarray(img, dtype=np.float64) / 65535.0
    return np.asarray(img.convert("L"), dtype=np.float64) / 255.0


def resize(src, h, w):
    sh, sw = src.shape
    if (sh, sw) == (h, w):
        return src

    def axis(sn, dn):
        x = np.maximum(0.0, (np.arange(dn) + 0.5) * (sn / dn) - 0.5)
        x0 = np.minimum(np.floor(x).astype(np.int64), sn - 1)
        return x0, np.minimum(x0 + 1, sn - 1), x - x0

    y0, y1, fy = axis(sh, h)
    x0, x1, fx = axis(sw, w)
    fx, fy = fx[None, :], fy[:, None]
    top = (1 - fx) * src[y0][:, x0] + fx * src[y0][:, x1]
    bottom = (1 - fx) * src[y1][:, x0] + fx * src[y1][:, x1]
    return (1 - fy) * top + fy * bottom


def auc_judd(pred, gt, jitter):
    fix = gt.ravel() > 0
    n_fix = int(fix.sum())
    n_pix = fix.size
    if n_fix == 0 or n_fix == n_pix:
        return None
    s = pred.ravel() + jitter
    s = (s - s.min()) / (s.max() - s.min())
    thresholds = np.sort(s[fix])[::-1]
    above = n_pix - np.searchsorted(np.sort(s), thresholds, side="left")
    i = np.arange(1, n_fix + 1)
    tp = np.concatenate(([0.0], i / n_fix, [1.0]))
    fp = np.concatenate(([0.0], (above - i) / (n_pix - n_fix), [1.0]))
    return float(np.trapz(tp, x=fp))


def heat_metrics(p, g, jitter):
    mse = float(np.mean((p - g) ** 2))
    if not (g > 0).any():
        return {"mse": mse, "empty": True}
    dp = p - p.mean()
    dg = g - g.mean()
    cc = np.sum(dp * dg) / (np.sqrt(np.sum(dp**2)) * np.sqrt(np.sum(dg**2)) + EPS)
    pn = p / (p.sum() + EPS)
    gn = g / (g.sum() + EPS)
    kld = np.sum(gn * np.log(gn / (pn + EPS) + EPS))
    sim = np.sum(np.minimum(pn, gn))
    z = dp / (p.std(ddof=1) + EPS)
    nss = z[g > 0].sum() / (g > 0).sum()
    return {"mse": mse, "empty": False, "cc": float(cc), "kld": float(kld), "sim": float(sim), "nss": float(nss), "aucJudd": auc_judd(p, g, jitter)}


def correlation(fn, x, y):
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    r = fn(x, y)[0]
    return None if math.isnan(r) else float(r)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(dataset_file, predictions_file):
    with open(dataset_file) as f:
        ds = json.load(f)
    with open(predictions_file) as f:
        pr = json.load(f)
    h, w = ds["heatmapHeight"], ds["heatmapWidth"]
    jitter = jitter_field(w * h)
    preds = {item["id"]: item for item in pr["items"]}
    pairs = {s: ([], []) for s in SCORES}
    sums = {k: dict.fromkeys(FIGURES, 0.0) for k, _ in KINDS}
    counts = {k: dict.fromkeys(FIGURES, 0) for k, _ in KINDS}
    words, missing, tokens = [], [], 0
    for item in ds["items"]:
        p = preds.get(item["id"])
        if p is None:
            missing.append(item["id"])
            continue
        for s in SCORES:
            if s in p.get("scores", {}):
                pairs[s][0].append(p["scores"][s])
                pairs[s][1].append(item["normalizedScores"][s])
        for kind, field in KINDS:
            if field not in p:
                continue
            g = read_map(item[field])
            m = heat_metrics(resize(read_map(p[field]), h, w), g, jitter)
            sums[kind]["mse"] += m["mse"]
            counts[kind]["mse"] += 1
            if m["empty"]:
                sums[kind]["mseEmpty"] += m["mse"]
                counts[kind]["mseEmpty"] += 1
            else:
                for f in ("cc", "kld", "sim", "nss", "aucJudd"):
                    if m[f] is not None:
                        sums[kind][f] += m[f]
                        counts[kind][f] += 1
        if "misalignedTokens" in p:
            label = item["promptMisalignmentLabel"]
            truth = np.array([l == "0" for l in label.split(" ")] if label else [], dtype=bool)
            marked = np.zeros(truth.size, dtype=bool)
            marked[p["misalignedTokens"]] = True
            words.append((int(np.sum(truth & marked)), int(np.sum(~truth & marked)), int(np.sum(truth & ~marked))))
            tokens += truth.size

    per = np.array([prf(*c) for c in words]) if words else None
    micro = prf(*np.sum(words, axis=0).tolist()) if words else (None, None, None)
    report = {
        "model": pr.get("model"),
        "pack": ds["pack"],
        "scores": {
            s: {"plcc": correlation(stats.pearsonr, np.array(x), np.array(y)), "srcc": correlation(stats.spearmanr, np.array(x), np.array(y))}
            for s, (x, y) in pairs.items()
        },
        "heatmaps": {k: {f: (sums[k][f] / counts[k][f] if counts[k][f] else None) for f in FIGURES} for k, _ in KINDS},
        "words": {
            "precision": float(per[:, 0].mean()) if words else None,
            "recall": float(per[:, 1].mean()) if words else None,
            "f1": float(per[:, 2].mean()) if words else None,
            "micro": {"precision": micro[0], "recall": micro[1], "f1": micro[2]},
        },
        "counts": {
            "datasetItems": len(ds["items"]),
            "predictionItems": len(pr["items"]),
            "evaluatedItems": len(ds["items"]) - len(missing),
            "scores": {s: len(pairs[s][0]) for s in SCORES},
            "heatmaps": counts,
            "words": len(words),
            "tokens": tokens,
        },
        "missing": {"predictions": missing},
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
