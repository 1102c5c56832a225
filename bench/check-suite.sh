#!/usr/bin/env bash
# The regression gate over the suite in bench/suite/: runs every scenario
# there under the default scheduler (its own seed) into a temporary
# directory and compares the results with bench/suite/baseline.json through
# `rescalesim check`. Exits with check's status: 0 when every result is
# within its tolerances, 1 on a regression, 2-4 on other errors.
#   bench/check-suite.sh BUILD_DIR [--json]     check against the baseline
#   bench/check-suite.sh BUILD_DIR --write      rewrite the baseline
# Takes well under a second: every suite scenario is small.
set -eu
build=${1:-build}
mode=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/sim/cli/rescalesim"
if [ ! -x "$bin" ]; then
  echo "check-suite: $bin not found (build first: ninja -C $build)" >&2
  exit 2
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

dirs=()
for scen in "$here"/suite/*.json; do
  name=$(basename "$scen" .json)
  [ "$name" = baseline ] && continue
  "$bin" run "$scen" --scheduler default --out "$out/$name" --quiet
  dirs+=("$out/$name")
done

case "$mode" in
  --write) exec "$bin" check --write-baseline "$here/suite/baseline.json" "${dirs[@]}" ;;
  --json) exec "$bin" check --json --baseline "$here/suite/baseline.json" "${dirs[@]}" ;;
  *) exec "$bin" check --baseline "$here/suite/baseline.json" "${dirs[@]}" ;;
esac
