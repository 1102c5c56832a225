#!/usr/bin/env bash
# Runs every fuzz target of a fuzzing build (make fuzz) over its seed
# corpus, one after the other on one core, and prints per target the
# executions, libFuzzer's coverage figure (cov:) and the outcome.
#   tests/fuzz/run.sh BUILD_DIR --seconds N   # each target N seconds
#   tests/fuzz/run.sh BUILD_DIR --runs N      # each target N executions (CI)
# With --seconds, new inputs go to BUILD_DIR/fuzz-corpus/NAME and are kept
# for the next run (never into the source tree); with --runs, to a fresh
# temporary directory, so that CI runs the same amount of work every time;
# a crash, leak or timeout leaves its input in BUILD_DIR/fuzz-artifacts/NAME/
# and makes the script exit 1. Targets: the fuzz_targets list of
# tests/fuzz/meson.build, or those named in $FUZZ_TARGETS.
set -u
build=${1:?usage: run.sh BUILD_DIR --seconds N|--runs N}
mode=${2:---seconds}
amount=${3:-60}
src=$(cd "$(dirname "$0")" && pwd)
case $mode in
  --seconds) limit="-max_total_time=$amount" ;;
  --runs) limit="-runs=$amount" ;;
  *) echo "run.sh: unknown mode $mode" >&2; exit 2 ;;
esac
targets=$(sed -n "s/^fuzz_targets = \[\(.*\)\]/\1/p" "$src/meson.build" | tr -d "'" | tr ',' ' ')
# FUZZ_TARGETS="loader merge" runs only those.
targets=${FUZZ_TARGETS:-$targets}
status=0
for t in $targets; do
  bin="$build/tests/fuzz/fuzz-$t"
  if [ ! -x "$bin" ]; then
    echo "fuzz-$t: not built (configure with -Dfuzzing=true)"
    status=1
    continue
  fi
  if [ "$mode" = --runs ]; then
    work=$(mktemp -d)
  else
    work="$build/fuzz-corpus/$t"
  fi
  artifacts="$build/fuzz-artifacts/$t"
  mkdir -p "$work" "$artifacts"
  log="$build/fuzz-$t.log"
  # Leaks are checked (ASan's LeakSanitizer); -timeout is per input.
  "$bin" -dict="$src/scenario.dict" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$limit" \
    "$work" "$src/corpus/$t" > "$log" 2>&1
  rc=$?
  [ "$mode" = --runs ] && rm -rf "$work"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
  if [ $rc -eq 0 ]; then
    echo "fuzz-$t: ${execs:-?} executions, cov ${cov:-?}, no crash"
  else
    echo "fuzz-$t: FAILED (exit $rc) after ${execs:-?} executions, cov ${cov:-?}; see $log and $artifacts/"
    grep -m 5 -E 'ERROR|SUMMARY|runtime error|Assertion' "$log"
    status=1
  fi
done
exit $status
