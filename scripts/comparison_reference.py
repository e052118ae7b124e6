#!/usr/bin/env python3
"""Independent reference for `richhf compare`: the comparison report computed from its
definitions (README "Blind side-by-side comparisons"), not from the TypeScript code, with
Debian's scipy and numpy (apt-get install -y python3-scipy; run with /usr/bin/python3 so that
Debian's packages are the ones used). It reads fixtures/compare/cases.json (made by
scripts/make-compare-golden.ts) and writes one report per case; the golden test
(tests/unit/compareGolden.test.ts) compares them with src/core/compare:

    /usr/bin/python3 scripts/comparison_reference.py fixtures/compare/cases.json > fixtures/compare/expected.json

Independent parts: the sign tests are scipy.stats.binomtest (two-sided, p = 1/2), the
percentiles numpy.quantile (linear), the Bradley-Terry fit maximizes the likelihood with
scipy.optimize.minimize (BFGS) instead of the MM iteration. Shared conventions (part of the
definition, not of the code): the bootstrap's generator is mulberry32 (published algorithm,
implemented below), seeded with a 32-bit hash of (seed, what, ...) -- FNV-1a over the UTF-16
code units of the parts joined by U+0000, then MurmurHash3's fmix32 --, and a resample draws
its m indices in order as floor(u * m / 2^32).
"""
import json
import sys

import numpy as np
from scipy import optimize, stats

CRITERIA = ["plausibility", "alignment", "aesthetics", "overall"]
M32 = 0xFFFFFFFF


def mulberry32(seed):
    state = [seed & M32]

    def imul(a, b):
        return (a * b) & M32

    def nxt():
        state[0] = (state[0] + 0x6D2B79F5) & M32
        a = state[0]
        t = imul(a ^ (a >> 15), 1 | a)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & M32) ^ t
        return (t ^ (t >> 14)) & M32

    return nxt


def hash_seed(parts):
    h = 0x811C9DC5
    text = "\u0000".join(parts).encode("utf-16-le")
    for i in range(0, len(text), 2):
        h ^= text[i] | (text[i + 1] << 8)
        h = (h * 0x01000193) & M32
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & M32
    h ^= h >> 16
    return h


def resamples(m, count, seed):
    nxt = mulberry32(seed)
    for _ in range(count):
        yield [(nxt() * m) >> 32 for _ in range(m)]


def interval(values):
    lo, hi = np.quantile(np.array(values, dtype=float), [0.025, 0.975])
    return [float(lo), float(hi)]


def sign_p(k, n):
    return 1.0 if n == 0 else float(stats.binomtest(k, n, 0.5).pvalue)


def newest(records):
    """One record per annotator and item: the latest submittedAt (the cases have no duplicates)."""
    return records


def bradley_terry(units, s):
    """Log-strengths (sum 0) maximizing sum w_ij log(p_i / (p_i + p_j)), one virtual tie per pair."""
    w = np.zeros((s, s))
    for a, b, fa, fb in units:
        w[a, b] += fa
        w[b, a] += fb
    w += 0.5 * (1 - np.eye(s))

    def nll(free):
        beta = np.concatenate([[0.0], free])
        d = beta[:, None] - beta[None, :]
        return float(np.sum(w * np.logaddexp(0.0, -d)))

    def grad(free):
        beta = np.concatenate([[0.0], free])
        d = beta[:, None] - beta[None, :]
        p = 1.0 / (1.0 + np.exp(d))  # P(j beats i) for entry (i, j)
        g = np.sum(w * p, axis=1) - np.sum(w * p, axis=0)
        return -g[1:]

    r = optimize.minimize(nll, np.zeros(s - 1), jac=grad, method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
    beta = np.concatenate([[0.0], r.x])
    return beta - beta.mean()


def report(case):
    pack = case["pack"]
    seed = str(case["seed"])
    count = case["resamples"]
    items = [it for it in pack["items"] if it.get("kind") == "compare"]
    records = {}
    for f in case["files"]:
        for r in f["annotations"]:
            records.setdefault(r["itemId"], []).append((f["annotator"], r))
    systems = sorted({im["system"] for it in items for im in it["images"]})

    results = []
    for c in CRITERIA:
        pairs = {}
        for it in items:
            if c not in it.get("criteria", ["plausibility"]):
                continue
            a, b = it["images"][0]["system"], it["images"][1]["system"]
            x, y = sorted([a, b])
            per = [0, 0, 0, 0, 0]
            for _, r in records.get(it["id"], []):
                v = r["answers"].get(c)
                if v is None:
                    continue
                per[v + 2 if a == x else 2 - v] += 1
            pairs.setdefault((x, y), [])
            if sum(per):
                pairs[(x, y)].append(per)
        for (x, y) in sorted(pairs):
            its = pairs[(x, y)]
            counts = [sum(p[k] for p in its) for k in range(5)]
            n = sum(counts)
            xw, t, yw = counts[0] + counts[1], counts[2], counts[3] + counts[4]
            row = {
                "criterion": c,
                "systems": [x, y],
                "n": n,
                "counts": counts,
                "percent": [100 * k / n if n else 0 for k in counts],
                "xWins": xw,
                "ties": t,
                "yWins": yw,
                "signTestP": sign_p(xw, xw + yw),
                "winRate": None,
                "winRateCI95": None,
            }
            if n:
                row["winRate"] = (xw + t / 2) / n
                stat = []
                for draw in resamples(len(its), count, hash_seed([seed, "winRate", c, x, y])):
                    sw = sum(its[i][0] + its[i][1] for i in draw)
                    st = sum(its[i][2] for i in draw)
                    sn = sum(sum(its[i]) for i in draw)
                    stat.append((sw + st / 2) / sn)
                row["winRateCI95"] = interval(stat)
            results.append(row)

    annotators = {}
    for it in items:
        for who, r in records.get(it["id"], []):
            a = annotators.setdefault(who, {"id": who, "n": 0, "leftWins": 0, "rightWins": 0, "ties": 0})
            for c in it.get("criteria", ["plausibility"]):
                v = r["answers"].get(c)
                if v is None:
                    continue
                a["n"] += 1
                # The image chosen (0 or 1), if any, against the image shown on the left.
                if v == 0:
                    a["ties"] += 1
                elif (0 if v < 0 else 1) == r["left"]:
                    a["leftWins"] += 1
                else:
                    a["rightWins"] += 1
    annotators = [annotators[k] for k in sorted(annotators)]
    lw = sum(a["leftWins"] for a in annotators)
    rw = sum(a["rightWins"] for a in annotators)
    out = {
        "format": "richhf-comparison-report",
        "version": 1,
        "pack": pack["name"],
        "systems": systems,
        "results": results,
        "positionBias": {"leftWins": lw, "rightWins": rw, "ties": sum(a["ties"] for a in annotators), "p": sign_p(lw, lw + rw)},
        "annotators": annotators,
    }
    if len(systems) >= 3:
        index = {s: i for i, s in enumerate(systems)}
        bt = []
        for c in CRITERIA:
            units = []
            for it in items:
                if c not in it.get("criteria", ["plausibility"]):
                    continue
                fa = fb = 0.0
                answered = 0
                for _, r in records.get(it["id"], []):
                    v = r["answers"].get(c)
                    if v is None:
                        continue
                    answered += 1
                    fa += 1 if v < 0 else 0.5 if v == 0 else 0
                    fb += 1 if v > 0 else 0.5 if v == 0 else 0
                if answered:
                    units.append((index[it["images"][0]["system"]], index[it["images"][1]["system"]], fa, fb))
            if not units:
                continue
            full = bradley_terry(units, len(systems))
            draws = [bradley_terry([units[i] for i in d], len(systems)) for d in resamples(len(units), count, hash_seed([seed, "bradleyTerry", c]))]
            bt.append(
                {
                    "criterion": c,
                    "strengths": [
                        {"system": s, "strength": float(full[i]), "ci95": interval([d[i] for d in draws])} for i, s in enumerate(systems)
                    ],
                }
            )
        out["bradleyTerry"] = bt
    return out


def main():
    cases = json.load(open(sys.argv[1], encoding="utf-8"))
    json.dump({c["name"]: report(c) for c in cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
