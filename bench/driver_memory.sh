#!/usr/bin/env bash
# The driver's own memory over a long run (docs/performance.md, "Driver memory over a long run").
# Runs `generate` and, every 2 s, prints the driver's VmRSS and VmHWM (KiB) from /proc and the
# number of records committed so far.
#
#   bench/driver_memory.sh [JITSYNTH] [COUNT] [OUT] > samples.txt
set -euo pipefail
bin=${1:-build/jitsynth}
count=${2:-2000}
out=${3:-/tmp/jitsynth-driver-memory}
rm -rf "$out"
"$bin" generate --count "$count" --seed 0 --workers 2 --quiet --out "$out" >/dev/null &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  lines=$(cat "$out"/data-*.jsonl 2>/dev/null | wc -l)
  echo "$(( $(date +%s) - start )) rss_kib=$rss hwm_kib=$hwm lines=$lines"
  sleep 2
done
wait "$pid"
