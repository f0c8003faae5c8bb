"""Throughput of the official FG-CLIP 2 PyTorch code in eager mode, beside the Java port's ``bench`` command.

Builds the official hub class ``Fgclip2Model`` (modeling_fgclip2.py, unmodified) for an architecture with random
weights (the official ``_init_weights``), float32, eval mode, under ``torch.inference_mode()``, attention
implementation ``eager`` (the official ``eager_attention_forward``), and times the same cases as
``java ... org.fgclip2.app.Main bench --arch ARCH``:

* image tower: ``get_image_features(pixel_values, pixel_attention_mask, spatial_shapes)`` on B random images of
  N = h*w real patches (square grid, no padding), 768 values per patch;
* text tower: ``get_text_features(input_ids, walk_type="short")`` on B rows of 64 token ids.

Per case: warm-up runs, then timed runs; the median seconds per batch and items/s are printed as a markdown table
in the Java bench's format, then the peak RSS. The Java side also tokenizes the captions inside its timing; here
the ids are made beforehand, so the text numbers favour Python by the (small) tokenizing cost.

    /usr/bin/python3 bench/python/official_eager_bench.py --official-src /path/to/FG-CLIP/fgclip2/model/strcs --arch base
"""

import argparse
import math
import os
import resource
import statistics
import sys
import time

import torch

from official_fgclip2 import ARCHITECTURES, OfficialCode

TEXT_TOKENS = 64


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official-src", required=True, help="folder with modeling_fgclip2.py and configuration_fgclip2.py")
    parser.add_argument("--arch", default="base", choices=sorted(ARCHITECTURES))
    parser.add_argument("--image-cases", default="1x256,8x256,32x256,8x576,8x1024", help="batch x patches, comma-separated")
    parser.add_argument("--text-cases", default="1,32,128", help="caption batch sizes (short walk, 64 tokens)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed iterations per case")
    parser.add_argument("--iterations", type=int, default=5, help="timed iterations per case")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)), help="torch threads (default: all cores)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    official = OfficialCode(args.official_src)
    start = time.perf_counter()
    torch.manual_seed(0)
    model = official.model(official.config_for(args.arch))
    build_seconds = time.perf_counter() - start
    print(official.describe())
    print(f"torch {torch.__version__}, BLAS {blas_library()}")
    print(
        f"model official Fgclip2Model (arch {args.arch}, random weights) on cpu (float32, eager attention), "
        f"{torch.get_num_threads()} threads, built in {build_seconds:.2f} s, RSS {current_rss_mib()} MiB"
    )
    print()
    print("| tower | batch | patches/tokens | median s/batch | items/s |")
    print("|---|---:|---:|---:|---:|")
    vision = model.config.vision_config
    patch_values = vision.num_channels * vision.patch_size**2
    with torch.inference_mode():
        for case in args.image_cases.split(","):
            batch, patches = parse_image_case(case)
            side = math.isqrt(patches)
            generator = torch.Generator().manual_seed(batch * 31 + patches)
            pixel_values = torch.rand(batch, patches, patch_values, generator=generator) * 2 - 1
            mask = torch.ones(batch, patches, dtype=torch.int32)
            spatial_shapes = torch.tensor([[side, side]] * batch, dtype=torch.int64)
            median = median_seconds(
                lambda: model.get_image_features(pixel_values=pixel_values, pixel_attention_mask=mask, spatial_shapes=spatial_shapes),
                args.warmup,
                args.iterations,
            )
            print(f"| image | {batch} | {patches} | {median:.4f} | {batch / median:.2f} |")
        for batch in (int(b) for b in args.text_cases.split(",")):
            generator = torch.Generator().manual_seed(batch)
            input_ids = torch.randint(0, model.config.text_config.vocab_size, (batch, TEXT_TOKENS), generator=generator)
            median = median_seconds(
                lambda: model.get_text_features(input_ids, walk_type="short"), args.warmup, args.iterations
            )
            print(f"| text | {batch} | {TEXT_TOKENS} | {median:.4f} | {batch / median:.2f} |")
    print()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    return 0


def parse_image_case(case: str) -> tuple:
    parts = case.lower().split("x")
    if len(parts) != 2:
        raise SystemExit(f"image case '{case}' must look like 8x256 (batch x patches)")
    batch, patches = int(parts[0]), int(parts[1])
    if math.isqrt(patches) ** 2 != patches:
        raise SystemExit(f"patch count {patches} must be a square (e.g. 256, 576, 1024)")
    return batch, patches


def median_seconds(step, warmup: int, iterations: int) -> float:
    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def blas_library() -> str:
    """The BLAS library PyTorch has loaded: Debian's torch uses whatever libblas.so.3 points to, and the reference
    (netlib) BLAS is ~60x slower than OpenBLAS for these matrix products, which would make the baseline unfair."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]})
    if not paths:
        return "not found in /proc/self/maps"
    if not any("openblas" in p for p in paths):
        print(
            "WARNING: PyTorch runs on the reference BLAS; install OpenBLAS first "
            "(apt-get install libopenblas0-openmp) or the numbers mean nothing",
            file=sys.stderr,
        )
    return ", ".join(paths)


def current_rss_mib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


if __name__ == "__main__":
    sys.exit(main())
