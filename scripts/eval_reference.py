#!/usr/bin/env python3
"""Independent reference for `richhf evaluate`: the RichHF paper's metrics in plain Python
(standard library only: no numpy), written from the definitions in issue 5, not from the
TypeScript code. It produces fixtures/evaluate/expected.json, which the golden test
(tests/unit/metrics-golden.test.ts) compares with src/core/metrics to 1e-9 relative:

    python3 scripts/eval_reference.py fixtures/evaluate/dataset.json \
        fixtures/evaluate/predictions.json > fixtures/evaluate/expected.json

Conventions shared with the TypeScript side (they are part of the definition, not of its code):
- Heatmap PNGs are decoded here with zlib and a hand-written unfilter; gray = value / 255
  (value / 65535 for 16-bit); RGB(A) to gray with PIL's convert('L') integer luma
  (19595 R + 38470 G + 7471 B + 32768) >> 16.
- Predictions of another size are resized with bilinear interpolation, half-pixel centres
  (align_corners=False), source coordinate clamped below at 0, neighbour index clamped at the
  edge, no antialiasing (as OpenCV INTER_LINEAR / PyTorch align_corners=False).
- AUC-Judd jitter: the SAME stream as the TypeScript code, mulberry32 seeded with 42, restarted
  for every map, one 32-bit output u per pixel in row-major order, jitter = u / 2**32 * 1e-7.
  (Implemented below from the published mulberry32 algorithm.)
- AUC-Judd: thresholds = the min-max-normalized jittered prediction at pixels with G > 0, sorted
  descending; for the i-th threshold t, TPR = i / n, FPR = (#pixels with S >= t - i) / (N - n);
  curve (0,0) -> points -> (1,1), trapezoid rule.
- Heatmap means are computed as x0 + sum(x - x0) / N (x0 = the first pixel), so that a constant
  map's mean is its value exactly; otherwise CC and NSS of a constant prediction would be
  rounding noise divided by 1e-8 instead of 0.
- A figure with no item behind it, or an undefined correlation, is null.
"""
import base64
import bisect
import json
import math
import struct
import sys
import zlib

EPS = 1e-8
SCORE_NAMES = ["plausibility", "alignment", "aesthetics", "overall"]
KINDS = [("artifact", "artifactHeatmap"), ("misalignment", "misalignmentHeatmap")]
FIGURES = ["mse", "mseEmpty", "cc", "kld", "sim", "nss", "aucJudd"]
SEED = 42


# ---------------------------------------------------------------- PRNG (mulberry32)
def mulberry32(seed):
    a = seed & 0xFFFFFFFF
    M = 0xFFFFFFFF
    while True:
        a = (a + 0x6D2B79F5) & M
        t = ((a ^ (a >> 15)) * (1 | a)) & M
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & M)) & M) ^ t
        yield (t ^ (t >> 14)) & M


def jitter(n, seed=SEED):
    gen = mulberry32(seed)
    return [(next(gen) / 4294967296.0) * 1e-7 for _ in range(n)]


# ---------------------------------------------------------------- PNG
def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    if pb <= pc:
        return b
    return c


def decode_png(b64):
    data = base64.b64decode(b64, validate=True)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos = 8
    idat = b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if ctype == b"IHDR":
            w, h, depth, color, _comp, _filt, interlace = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat += body
        elif ctype == b"IEND":
            break
        pos += 12 + length
    assert interlace == 0
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    bps = depth // 8  # bytes per sample (8 or 16 bits only here)
    bpp = channels * bps
    stride = w * bpp
    raw = zlib.decompress(idat)
    rows = []
    prev = bytearray(stride)
    for r in range(h):
        f = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        rows.append(line)
        prev = line
    maxv = 65535 if depth == 16 else 255
    out = []
    for line in rows:
        for x in range(w):
            s = [
                (line[(x * channels + k) * bps] << 8 | line[(x * channels + k) * bps + 1]) if bps == 2 else line[x * channels + k]
                for k in range(channels)
            ]
            if channels <= 2:
                v = s[0]
            else:
                v = (s[0] * 19595 + s[1] * 38470 + s[2] * 7471 + 32768) // 65536
            out.append(v / maxv)
    return w, h, out


def resize(src, sw, sh, dw, dh):
    if (sw, sh) == (dw, dh):
        return list(src)

    def coords(sn, dn):
        res = []
        for d in range(dn):
            x = max(0.0, (d + 0.5) * (sn / dn) - 0.5)
            x0 = min(int(math.floor(x)), sn - 1)
            res.append((x0, min(x0 + 1, sn - 1), x - x0))
        return res

    cx, cy = coords(sw, dw), coords(sh, dh)
    out = []
    for y0, y1, fy in cy:
        for x0, x1, fx in cx:
            top = (1 - fx) * src[y0 * sw + x0] + fx * src[y0 * sw + x1]
            bottom = (1 - fx) * src[y1 * sw + x0] + fx * src[y1 * sw + x1]
            out.append((1 - fy) * top + fy * bottom)
    return out


# ---------------------------------------------------------------- metrics
def pearson(x, y):
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def average_ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    ranks = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + 1 + j + 1) / 2.0
        i = j + 1
    return ranks


def spearman(x, y):
    return pearson(average_ranks(x), average_ranks(y))


def heat_metrics(P, G, jit):
    N = len(P)
    mse = sum((p - g) ** 2 for p, g in zip(P, G)) / N
    npos = sum(1 for g in G if g > 0)
    if npos == 0:
        return {"mse": mse, "empty": True}
    # Means as x0 + sum(x - x0) / N: exact for a constant map (see the docstring).
    mp = P[0] + sum(p - P[0] for p in P) / N
    mg = G[0] + sum(g - G[0] for g in G) / N
    num = sum((p - mp) * (g - mg) for p, g in zip(P, G))
    den = math.sqrt(sum((p - mp) ** 2 for p in P) * sum((g - mg) ** 2 for g in G)) + EPS
    cc = num / den
    sp, sg = sum(P) + EPS, sum(G) + EPS
    Pn = [p / sp for p in P]
    Gn = [g / sg for g in G]
    kld = sum(g * math.log(g / (p + EPS) + EPS) for p, g in zip(Pn, Gn))
    sim = sum(min(p, g) for p, g in zip(Pn, Gn))
    std = math.sqrt(sum((p - mp) ** 2 for p in P) / (N - 1))
    nss = sum((p - mp) / (std + EPS) for p, g in zip(P, G) if g > 0) / npos
    # AUC-Judd
    auc = None
    if npos < N:
        S = [p + j for p, j in zip(P, jit)]
        lo, hi = min(S), max(S)
        S = [(s - lo) / (hi - lo) if hi > lo else 0.0 for s in S]
        thresholds = sorted((s for s, g in zip(S, G) if g > 0), reverse=True)
        all_sorted = sorted(S)
        xs, ys = [0.0], [0.0]
        for i, t in enumerate(thresholds, start=1):
            above = N - bisect.bisect_left(all_sorted, t)
            ys.append(i / npos)
            xs.append((above - i) / (N - npos))
        xs.append(1.0)
        ys.append(1.0)
        auc = sum((xs[k + 1] - xs[k]) * (ys[k + 1] + ys[k]) / 2 for k in range(len(xs) - 1))
    return {"mse": mse, "empty": False, "cc": cc, "kld": kld, "sim": sim, "nss": nss, "aucJudd": auc}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(dataset_path, predictions_path):
    ds = json.load(open(dataset_path))
    pr = json.load(open(predictions_path))
    W, H = ds["heatmapWidth"], ds["heatmapHeight"]
    jit = jitter(W * H)
    preds = {it["id"]: it for it in pr["items"]}
    pairs = {s: ([], []) for s in SCORE_NAMES}
    sums = {k: {f: 0.0 for f in FIGURES} for k, _ in KINDS}
    counts = {k: {f: 0 for f in FIGURES} for k, _ in KINDS}
    words, missing, tokens = [], [], 0
    for item in ds["items"]:
        p = preds.get(item["id"])
        if p is None:
            missing.append(item["id"])
            continue
        for s in SCORE_NAMES:
            if s in p.get("scores", {}):
                pairs[s][0].append(p["scores"][s])
                pairs[s][1].append(item["normalizedScores"][s])
        for kind, field in KINDS:
            if field not in p:
                continue
            gw, gh, G = decode_png(item[field])
            assert (gw, gh) == (W, H)
            pw, ph, P = decode_png(p[field])
            P = resize(P, pw, ph, W, H)
            m = heat_metrics(P, G, jit)
            sums[kind]["mse"] += m["mse"]
            counts[kind]["mse"] += 1
            if m["empty"]:
                sums[kind]["mseEmpty"] += m["mse"]
                counts[kind]["mseEmpty"] += 1
            else:
                for f in ["cc", "kld", "sim", "nss", "aucJudd"]:
                    if m[f] is not None:
                        sums[kind][f] += m[f]
                        counts[kind][f] += 1
        if "misalignedTokens" in p:
            labels = item["promptMisalignmentLabel"].split(" ") if item["promptMisalignmentLabel"] else []
            truth = [l == "0" for l in labels]
            pred = set(p["misalignedTokens"])
            tp = sum(1 for i, t in enumerate(truth) if t and i in pred)
            fp = sum(1 for i, t in enumerate(truth) if not t and i in pred)
            fn = sum(1 for i, t in enumerate(truth) if t and i not in pred)
            words.append((tp, fp, fn))
            tokens += len(truth)

    def mean(xs):
        return sum(xs) / len(xs) if xs else None

    per = [prf(*w) for w in words]
    micro = prf(sum(w[0] for w in words), sum(w[1] for w in words), sum(w[2] for w in words)) if words else (None, None, None)
    report = {
        "_comment": "Computed by scripts/eval_reference.py (independent pure-Python implementation, same mulberry32 jitter stream, seed 42); see its docstring.",
        "model": pr.get("model"),
        "pack": ds["pack"],
        "scores": {s: {"plcc": pearson(*pairs[s]), "srcc": spearman(*pairs[s]) if len(pairs[s][0]) > 1 else None} for s in SCORE_NAMES},
        "heatmaps": {k: {f: (sums[k][f] / counts[k][f] if counts[k][f] else None) for f in FIGURES} for k, _ in KINDS},
        "words": {
            "precision": mean([x[0] for x in per]),
            "recall": mean([x[1] for x in per]),
            "f1": mean([x[2] for x in per]),
            "micro": {"precision": micro[0], "recall": micro[1], "f1": micro[2]},
        },
        "counts": {
            "datasetItems": len(ds["items"]),
            "predictionItems": len(pr["items"]),
            "evaluatedItems": len(ds["items"]) - len(missing),
            "scores": {s: len(pairs[s][0]) for s in SCORE_NAMES},
            "heatmaps": counts,
            "words": len(words),
            "tokens": tokens,
        },
        "missing": {"predictions": missing},
        "jitterFirstOutputs": [u for u, _ in zip(mulberry32(SEED), range(4))],
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
