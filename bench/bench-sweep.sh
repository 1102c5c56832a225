#!/usr/bin/env bash
# Sweep throughput (not a test): wall-clock figures of `rescalesim sweep` on
# this machine.
#   1. runs per second of a small sweep (the bundled heartbeat-timeout
#      example with 250 seeds per point: 1,000 runs of 20 simulated minutes)
#      on 1 and on 2 worker threads, and the speed-up ratio;
#   2. one 10,000-run sweep (20 heartbeat timeouts x 500 seeds) on every
#      core: wall time and runs per second.
# It also checks that the 1- and 2-thread outputs are byte-identical.
# Usage: bench/bench-sweep.sh [BUILD_DIR]
set -eu
build=${1:-build}
bin="$build/sim/cli/rescalesim"
src=$(cd "$(dirname "$0")/.." && pwd)
example="$src/scenarios/sweep-heartbeat-timeout.json"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now () { date +%s.%N; }

# Wall seconds of one sweep: sweep SCENARIO OUT [OPTIONS...]
timed_sweep () {
  local scen=$1 dir=$2
  shift 2
  local t0 t1
  t0=$(now)
  "$bin" sweep "$scen" --out "$dir" --quiet "$@"
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

small="$out/small.json"
sed 's/"count": 5 }/"count": 250 }/' "$example" > "$small"
runs=1000

echo "== small sweep: $runs runs (4 points x 250 seeds, 20 simulated minutes each)"
s1=$(timed_sweep "$small" "$out/j1" --jobs 1)
s2=$(timed_sweep "$small" "$out/j2" --jobs 2)
printf '  1 thread : %6.2f s  %8.1f runs/s\n' "$s1" "$(echo "$runs / $s1" | bc -l)"
printf '  2 threads: %6.2f s  %8.1f runs/s\n' "$s2" "$(echo "$runs / $s2" | bc -l)"
printf '  speed-up : %6.2fx\n' "$(echo "$s1 / $s2" | bc -l)"
for f in sweep.csv summary.csv summary.json; do
  cmp -s "$out/j1/$f" "$out/j2/$f" || { echo "  $f differs between 1 and 2 threads"; exit 1; }
done
echo "  outputs byte-identical across thread counts"

big="$out/big.json"
axis='"8 s", "10 s", "12 s", "14 s", "16 s", "18 s", "20 s", "22 s", "24 s", "26 s", "28 s", "30 s", "32 s", "34 s", "36 s", "38 s", "40 s", "42 s", "46 s", "50 s"'
sed -e "s/\\[\"8 s\", \"15 s\", \"30 s\", \"50 s\"\\]/[$axis]/" \
    -e 's/"count": 5 }/"count": 500 }/' "$example" > "$big"
cores=$(nproc)
echo "== large sweep: 10000 runs (20 points x 500 seeds) on $cores threads"
sb=$(timed_sweep "$big" "$out/big")
rows=$(($(wc -l < "$out/big/sweep.csv") - 1))
printf '  %d runs in %.2f s: %.1f runs/s\n' "$rows" "$sb" "$(echo "$rows / $sb" | bc -l)"
