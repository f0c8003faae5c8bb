"""Checks that the official code, as this folder runs it (shim + Debian PyTorch), reproduces the golden fixture.

Loads the tiny fixture checkpoint (src/test/resources/fixtures/fgclip2-tiny-public) into the official hub class
``Fgclip2Model``, feeds it the fixture's inputs and compares its outputs with the references the fixture's
README describes (made with the official code at commit b1af1cd). Image features come from
``get_image_features(pixel_values, pixel_attention_mask, spatial_shapes)`` for the three processor cases (with and
without padding); text features from ``get_text_features(input_ids, walk_type=...)`` for the walks short, box,
long, and short with its attention mask. Exit status 0 when every difference is within the tolerance.

    /usr/bin/python3 bench/python/check_against_fixture.py --official-src /path/to/FG-CLIP/fgclip2/model/strcs
"""

import argparse
import json
import sys
from pathlib import Path

import torch

from official_fgclip2 import OfficialCode
from safetensors_numpy import read_safetensors

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FIXTURE = REPO_ROOT / "src/test/resources/fixtures/fgclip2-tiny-public"
TOLERANCE = 1e-4


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official-src", required=True, help="folder with modeling_fgclip2.py and configuration_fgclip2.py")
    parser.add_argument("--fixture", default=str(DEFAULT_FIXTURE), help="fixture folder (default: the one in this repo)")
    args = parser.parse_args()

    official = OfficialCode(args.official_src)
    print(official.describe())
    fixture = Path(args.fixture)
    model = official.model(official.config_from_dict(json.loads((fixture / "config.json").read_text())))
    weights = {name: torch.from_numpy(array) for name, array in read_safetensors(fixture / "model.safetensors").items()}
    model.load_state_dict(weights, strict=True)
    goldens = {name: torch.from_numpy(array) for name, array in read_safetensors(fixture / "goldens.safetensors").items()}

    results = []
    with torch.no_grad():
        for case in ("mnp64", "mnp256", "dynamic"):
            prefix = f"vision/{case}/"
            features = model.get_image_features(
                pixel_values=goldens[prefix + "pixel_values"],
                pixel_attention_mask=goldens[prefix + "pixel_attention_mask"],
                spatial_shapes=goldens[prefix + "spatial_shapes"],
            )
            results.append((prefix + "image_features", features, goldens[prefix + "image_features"]))
        for walk in ("short", "box", "long"):
            features = model.get_text_features(goldens[f"text/{walk}/input_ids"], walk_type=walk)
            results.append((f"text/{walk}/features", features, goldens[f"text/{walk}/features"]))
        features = model.get_text_features(
            goldens["text/short/input_ids"], attention_mask=goldens["text/short/attention_mask"], walk_type="short"
        )
        results.append(("text/short_masked/features", features, goldens["text/short_masked/features"]))

    failed = 0
    for name, actual, expected in results:
        if actual.shape != expected.shape:
            print(f"FAIL {name}: shape {tuple(actual.shape)}, expected {tuple(expected.shape)}")
            failed += 1
            continue
        difference = (actual - expected).abs().max().item()
        ok = difference <= TOLERANCE
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name} {tuple(actual.shape)}: max abs diff {difference:.2e}")
    print(f"{len(results) - failed}/{len(results)} within {TOLERANCE:g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
