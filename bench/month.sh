#!/usr/bin/env bash
# Long horizons and many seeds (not a test): wall-clock figures of this
# machine, each compared with another figure of the same run of this script.
#   1. a month: 30 simulated days of 1,000 TaskManagers with one killed every
#      6 hours (bench/month-1000tm.json), in the analytic heartbeat model and
#      in the per-heartbeat model (--exact-heartbeats): wall time, events the
#      engine ran, peak RSS, timeseries.csv size, and the ratio of the two;
#      both runs' report.json and events.jsonl must be identical;
#   2. scaling: one simulated day with 10, 100, 1,000 and 10,000
#      TaskManagers and nothing failing (a job at parallelism 20): events per
#      simulated day in both models (the analytic count must not grow with
#      the number of TaskManagers) and peak RSS, whose growth from 10 to
#      10,000 TaskManagers divided by 9,990 is the memory per TaskManager;
#   3. Monte Carlo: `rescalesim sweep` of the month scenario with a
#      TaskManager MTBF in place of the timeline, 1,000 seeds on 2 threads:
#      wall time and runs per second.
# Usage: bench/month.sh [BUILD_DIR] [--quick]
#   --quick: 100 seeds, and the per-heartbeat model only up to 1,000
#            TaskManagers.
set -eu
build=${1:-build}
quick=${2:-}
bin="$build/sim/cli/rescalesim"
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run SCENARIO DIR [OPTIONS...]: prints "wall_s events rss_kib"
run () {
  local scen=$1 dir=$2
  shift 2
  /usr/bin/time -f '%e %M' -o "$dir.time" "$bin" run "$scen" --out "$dir" \
    --quiet --stats "$@" 2> "$dir.stats"
  local events wall rss
  events=$(sed -n 's/.* s wall clock, \([0-9]*\) events.*/\1/p' "$dir.stats")
  read -r wall rss < <(tail -n 1 "$dir.time")
  echo "$wall $events $rss"
}

echo "== a month: 30 d x 1,000 TaskManagers, a kill every 6 h (119 kills)"
read -r wa ea ra < <(run "$here/month-1000tm.json" "$out/analytic")
read -r we ee re < <(run "$here/month-1000tm.json" "$out/exact" --exact-heartbeats)
size=$(stat -c %s "$out/analytic/timeseries.csv")
printf '  analytic : %7.2f s wall, %11s events, peak RSS %6s KiB, timeseries.csv %s bytes\n' \
  "$wa" "$ea" "$ra" "$size"
printf '  exact    : %7.2f s wall, %11s events, peak RSS %6s KiB\n' "$we" "$ee" "$re"
awk -v a="$wa" -v b="$we" -v x="$ea" -v y="$ee" \
  'BEGIN { printf "  exact / analytic: %.1fx wall, %.1fx events\n", b / a, y / x }'
for f in report.json events.jsonl timeseries.csv; do
  cmp -s "$out/analytic/$f" "$out/exact/$f" \
    || { echo "  MISMATCH: $f differs between the models" >&2; exit 1; }
done
echo "  report.json, events.jsonl and timeseries.csv identical in both models"

echo
echo "== scaling: 1 simulated day, nothing fails, a job at parallelism 20"
printf '  %8s %14s %14s %12s %12s\n' TMs "analytic ev/d" "exact ev/d" "RSS KiB" "wall s"
declare -A rss
for n in 10 100 1000 10000; do
  scen="$out/scale-$n.json"
  python3 - "$here/large-1000tm.json" "$scen" "$n" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
d["name"] = "scale-%d" % n
d["cluster"]["taskmanagers"] = n
for v in d["job"]["vertices"]:
    v["parallelism"] = 20
d["job"]["vertices"][1]["state"] = "2 GB"
d["workload"] = {"rate": "8000 rec/s"}
d["timeline"] = []
json.dump(d, open(dst, "w"))
PY
  read -r w e r < <(run "$scen" "$out/scale-a-$n")
  rss[$n]=$r
  if [ -z "$quick" ] || [ "$n" -le 1000 ]; then
    read -r _ ex _ < <(run "$scen" "$out/scale-e-$n" --exact-heartbeats)
  else
    ex="-"
  fi
  printf '  %8s %14s %14s %12s %12s\n' "$n" "$e" "$ex" "$r" "$w"
done
awk -v a="${rss[10]}" -v b="${rss[10000]}" \
  'BEGIN { printf "  memory per TaskManager: (%d - %d) KiB / 9,990 = %.0f bytes\n", b, a, (b - a) * 1024 / 9990 }'

echo
seeds=1000
[ -n "$quick" ] && seeds=100
echo "== Monte Carlo: the month with a TaskManager MTBF of 250 d, $seeds seeds, 2 threads"
mc="$out/month-mtbf.json"
python3 - "$here/month-1000tm.json" "$mc" "$seeds" <<'PY'
import json, sys
src, dst, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
d["name"] = "month-1000tm-mtbf"
# One failure about every 6 h over 1,000 TaskManagers.
d["failures"] = {"taskmanager_mtbf": "250 d"}
d["timeline"] = []
d["sweep"] = {"axes": {"flink.config.heartbeat.timeout": ["50 s"]},
               "seeds": {"base": 1, "count": seeds}}
json.dump(d, open(dst, "w"))
PY
t0=$(date +%s.%N)
"$bin" sweep "$mc" --out "$out/mc" --quiet --jobs 2
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$seeds" \
  'BEGIN { printf "  %d runs in %.1f s wall: %.2f runs/s\n", n, b - a, n / (b - a) }'
