#!/usr/bin/env bash
# Java port vs the official PyTorch eager code, same architecture, same cases, one after the other on this machine.
#   bench/compare-eager.sh OFFICIAL_SRC [ARCH]
# OFFICIAL_SRC: a folder with the official modeling_fgclip2.py and configuration_fgclip2.py (FG-CLIP @ b1af1cd);
# needs Debian's python3-torch (+ libopenblas0-openmp) and a built target/fgclip2-streams.jar. Prints both tables and
# the ratio per case (Java / Python items per second).
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:?usage: bench/compare-eager.sh OFFICIAL_SRC [ARCH]}"
arch="${2:-base}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -jar target/fgclip2-streams.jar make-tiny-model "$work/model" --arch "$arch" 2>/dev/null
echo "## Java (fgclip2-streams bench), $(date -u +%FT%TZ)"
java -jar target/fgclip2-streams.jar bench --model "$work/model" --device cpu 2>/dev/null | tee "$work/java.txt"
echo
echo "## Python (official code, eager), $(date -u +%FT%TZ)"
/usr/bin/python3 bench/python/official_eager_bench.py --official-src "$src" --arch "$arch" 2>/dev/null | tee "$work/python.txt"
echo
echo "## Ratio (Java items/s / Python items/s)"
python3 - "$work/java.txt" "$work/python.txt" <<'PY'
import sys
def rows(path):
    out = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ("image", "text"):
            out[(cells[0], cells[1], cells[2])] = float(cells[4])
    return out
java, python = rows(sys.argv[1]), rows(sys.argv[2])
print("| tower | batch | patches/tokens | Java items/s | Python items/s | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for key in java:
    if key in python:
        print(f"| {key[0]} | {key[1]} | {key[2]} | {java[key]:.2f} | {python[key]:.2f} | {java[key] / python[key]:.2f} |")
PY
