#!/usr/bin/env python3
"""The naive numpy reference for `richhf consolidate` (issue 12), run beside it by
bench/consolidate.bench.ts on the same generated input.

The same rules, written the obvious way:
- per item, the latest record of each annotator (annotators sorted by id);
- per item, kind and annotator: each point's disc evaluated over the full grid by
  broadcasting (cell centre u = (c + 0.5) * W / Wg, v = (r + 0.5) * H / Hg, covered iff
  (u - x)^2 + (v - y)^2 <= R^2 with R = H / 20), OR-ed into that annotator's mask;
- the annotators' masks summed, levels by the integer formula (510 k + n) // (2 n);
- each map encoded with Pillow's PNG encoder, then base64;
- scores averaged, normalized, words by strict majority; one JSON object per item.

Usage: consolidate_numpy.py PACK OUT ANNOTATION_FILES...   (writes OUT, a JSON dataset)
"""
import base64
import io
import json
import sys

import numpy as np
from PIL import Image

SCORES = ("plausibility", "alignment", "aesthetics", "overall")


def tokenize(prompt):
    # Enough for the generated prompts (lower-case words separated by spaces).
    return prompt.split()


def heatmap(per_annotator, kind, width, height, gw, gh):
    us = (np.arange(gw) + 0.5) * width / gw
    vs = (np.arange(gh) + 0.5) * height / gh
    r = height / 20
    r2 = r * r
    counts = np.zeros((gh, gw), dtype=np.int64)
    for points in per_annotator:
        mask = np.zeros((gh, gw), dtype=bool)
        for p in points:
            if p["kind"] != kind:
                continue
            dx = us - p["x"]
            dy = vs - p["y"]
            mask |= (dx * dx)[None, :] + (dy * dy)[:, None] <= r2
        counts += mask
    n = len(per_annotator)
    levels = ((510 * counts + n) // (2 * n)).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(levels, mode="L").save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def main():
    pack_file, out_file, *files = sys.argv[1:]
    with open(pack_file) as f:
        pack = json.load(f)
    latest = {}  # item id -> annotator -> record
    for name in files:
        with open(name) as f:
            data = json.load(f)
        for rec in data["annotations"]:
            by = latest.setdefault(rec["itemId"], {})
            old = by.get(data["annotator"])
            if old is None or rec["submittedAt"] >= old["submittedAt"]:
                by[data["annotator"]] = rec
    gw = gh = 512
    items = []
    for item in pack["items"]:
        by = latest.get(item["id"], {})
        if len(by) < pack["annotatorsPerItem"]:
            continue
        annotators = sorted(by)
        records = [by[a] for a in annotators]
        n = len(records)
        w, h = item["width"], item["height"]
        tokens = tokenize(item["prompt"])
        votes = [0] * len(tokens)
        for rec in records:
            for t in rec["misalignedTokens"]:
                votes[t] += 1
        means = {s: sum(rec["scores"][s] for rec in records) / n for s in SCORES}
        points = [rec["points"] for rec in records]
        items.append({
            "id": item["id"],
            "image": item["image"],
            "prompt": item["prompt"],
            "annotators": annotators,
            "scores": means,
            "normalizedScores": {s: (means[s] - 1) / 4 for s in SCORES},
            "tokens": tokens,
            "tokenVotes": votes,
            "promptMisalignmentLabel": " ".join("0" if 2 * v > n else "1" for v in votes),
            "artifactHeatmap": heatmap(points, "artifact", w, h, gw, gh),
            "misalignmentHeatmap": heatmap(points, "misalignment", w, h, gw, gh),
        })
    with open(out_file, "w") as f:
        json.dump({"pack": pack["name"], "heatmapWidth": gw, "heatmapHeight": gh, "items": items}, f)


if __name__ == "__main__":
    main()
