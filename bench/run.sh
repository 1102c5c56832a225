#!/usr/bin/env bash
# Benchmarks (`make bench`): figures are ratios within one run or wall time of
# one process on this machine; nothing here is a test.
#   1. engine events/s on a heartbeat workload versus a bare binary-heap hold
#      model in the same binary (10^3 and 10^5 TaskManagers);
#   2. one large run (1,000 TaskManagers, 10 s heartbeats, one simulated day):
#      wall time, events/s and peak memory, and the same run over four days to
#      show that memory stays flat over simulated time;
#   3. the operator autoscaler over a daily sine load (autoscaler-long.json),
#      2 and 8 simulated days: wall time, controller actions and peak memory
#      (the autoscaler's metric window and scale-down history are bounded);
#   4. a forward job of 2,500 pipelined regions (many-regions.json): wall
#      time of the default scheduler's deployments and restarts.
# Usage: bench/run.sh BUILD_DIR [--quick]
set -eu
build=${1:-build}
quick=${2:-}
bin="$build/sim/cli/rescalesim"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== engine versus bare heap"
"$build/bench/bench-engine" $quick

run_large () {
  local days=$1
  local scen="$out/large-${days}d.json"
  sed "s/\"duration\": \"1 d\"/\"duration\": \"${days} d\"/" bench/large-1000tm.json > "$scen"
  /usr/bin/time -f '%M' -o "$out/rss" "$bin" run "$scen" --out "$out/run-$days" \
    --quiet --stats 2> "$out/stats"
  local stats rss
  stats=$(grep 'stats:' "$out/stats" | sed 's/^rescalesim: stats: //')
  rss=$(tail -n 1 "$out/rss")
  printf '%-6s %-60s peak RSS %s KiB\n' "${days} d" "$stats" "$rss"
  echo "$rss" > "$out/rss-$days"
}

echo
echo "== large run: 1,000 TaskManagers, 2,000 x 2 tasks, 10 s heartbeats"
run_large 1
if [ -z "$quick" ]; then
  run_large 4
  r1=$(cat "$out/rss-1"); r4=$(cat "$out/rss-4")
  awk -v a="$r1" -v b="$r4" 'BEGIN { printf "peak memory 4 d / 1 d: %.2f\n", b / a }'
fi

run_autoscaler () {
  local days=$1
  local scen="$out/autoscaler-${days}d.json"
  sed "s/\"duration\": \"2 d\"/\"duration\": \"${days} d\"/" bench/autoscaler-long.json > "$scen"
  /usr/bin/time -f '%e %M' -o "$out/as-rss" "$bin" run "$scen" \
    --out "$out/as-$days" --quiet
  local wall rss actions
  read -r wall rss < <(tail -n 1 "$out/as-rss")
  actions=$(grep -o '"controller_actions": [0-9]*' "$out/as-$days/report.json" \
            | grep -o '[0-9]*$')
  printf '%-6s %6s s wall, %4s controller actions, peak RSS %s KiB\n' \
    "${days} d" "$wall" "$actions" "$rss"
  echo "$rss" > "$out/as-rss-$days"
}

echo
echo "== operator autoscaler, daily sine load, full upgrades"
run_autoscaler 2
if [ -z "$quick" ]; then
  run_autoscaler 8
  r2=$(cat "$out/as-rss-2"); r8=$(cat "$out/as-rss-8")
  awk -v a="$r2" -v b="$r8" 'BEGIN { printf "peak memory 8 d / 2 d: %.2f\n", b / a }'
fi

echo
echo "== many regions: 2 x 2,500 forward tasks, a TaskManager killed"
/usr/bin/time -f '%e s wall, peak RSS %M KiB' "$bin" run bench/many-regions.json \
  --out "$out/regions" --quiet
