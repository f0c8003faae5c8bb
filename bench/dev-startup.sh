#!/usr/bin/env bash
# Start-up of `dev` after the build: seconds from launch to the addresses, to "ready", to the first and the last
# sample labelled, then how long Ctrl-C takes and whether anything is left behind. One row per run.
#   bench/dev-startup.sh MODEL [RUNS]
set -euo pipefail
set -m  # job control: a background job started by a script would otherwise ignore SIGINT
cd "$(dirname "$0")/.."
model="${1:?usage: bench/dev-startup.sh MODEL [RUNS]}"
runs="${2:-3}"
samples=$(ls src/main/resources/org/fgclip2/app/dev/samples/*.png | wc -l)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
stamp() { awk -v t0="$1" -v pat="$2" -v nth="${3:-1}" '$0 ~ pat { if (++n == nth) { printf "%.1f", $1 - t0; exit } }' "$out"; }
echo "| run | addresses s | ready s | first labels s | all $samples samples s | Ctrl-C to exit s | left behind |"
echo "|---:|---:|---:|---:|---:|---:|---|"
for run in $(seq "$runs"); do
  t0=$(date +%s.%N)
  java -jar target/fgclip2-streams.jar dev --model "$model" 2>/dev/null \
    | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done > "$out" &
  pipeline=$!
  for _ in $(seq 600); do
    [ "$(grep -c '^[0-9.]* labels ' "$out" || true)" -ge "$samples" ] && break
    sleep 0.5
  done
  pid=$(pgrep -f "fgclip2-streams.jar dev --model $model" | head -1)
  s0=$(date +%s.%N)
  kill -INT "$pid"
  wait "$pipeline" || true
  stop=$(echo "$(date +%s.%N) - $s0" | bc)
  left=$(pgrep -f 'fgclip2-(streams|schema-registry).jar' || true)
  echo "| $run | $(stamp "$t0" SCHEMA_REGISTRY_URL=) | $(stamp "$t0" 'ready in') | $(stamp "$t0" '^[0-9.]+ labels ') \
| $(stamp "$t0" '^[0-9.]+ labels ' "$samples") | $(printf '%.1f' "$stop") | ${left:-nothing} |"
done
