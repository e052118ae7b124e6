"""The `huggingface` metadata and card YAML that the `datasets` library itself writes for the
columns of richhf's Parquet export (src/core/parquet/columns.ts), as a golden file for
tests/unit/parquet.test.ts. Run with a Python that has `datasets` (5.x) installed:

    python3 scripts/hf_features_reference.py > fixtures/parquet/features.json
"""
import json

import datasets
from datasets import Features, Image, List, Value
from huggingface_hub import DatasetCardData

point = {"kind": Value("string"), "x": Value("float64"), "y": Value("float64")}
annotation = {
    "annotator": Value("string"),
    "plausibility": Value("int32"),
    "alignment": Value("int32"),
    "aesthetics": Value("int32"),
    "overall": Value("int32"),
    "misaligned_tokens": List(Value("int32")),
    "points": List(point),
    "submitted_at": Value("string"),
    "active_ms": Value("int64"),
}
score = Value("float64")
features = Features(
    {
        "id": Value("string"),
        "prompt": Value("string"),
        "tokens": List(Value("string")),
        "prompt_misalignment_label": Value("string"),
        "image": Image(),
        "image_width": Value("int32"),
        "image_height": Value("int32"),
        "artifact_score": score,
        "misalignment_score": score,
        "aesthetics_score": score,
        "overall_score": score,
        "plausibility_mean": score,
        "alignment_mean": score,
        "aesthetics_mean": score,
        "overall_mean": score,
        "artifact_map": Image(),
        "misalignment_map": Image(),
        "token_votes": List(Value("int32")),
        "annotations": List(annotation),
    }
)
print(
    json.dumps(
        {
            "datasets": datasets.__version__,
            # what ArrowWriter stores under the key "huggingface" (features.arrow_schema's metadata)
            "huggingface": features.arrow_schema.metadata[b"huggingface"].decode(),
            # the card's YAML for dataset_info.features, as the hub's card writer dumps it
            "yaml": DatasetCardData(dataset_info={"features": features._to_yaml_list()}).to_yaml(),
        },
        indent=2,
    )
)
