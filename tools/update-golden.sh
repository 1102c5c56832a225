#!/usr/bin/env bash
# Regenerates the golden event traces under tests/golden/: every bundled
# scenario under each scheduler it lists, run with its own seed, keeps its
# events.jsonl as tests/golden/SCENARIO.SCHEDULER.events.jsonl.
#
# Run it only on purpose, after a change of behaviour, and read the diff
# (`git diff --stat tests/golden`, then the files): every moved event must be
# explained in the commit message.
# Usage: tools/update-golden.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
bin="$build/sim/cli/rescalesim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f tests/golden/*.events.jsonl
bash tools/golden-list.sh . | while read -r scenario scheduler; do
  name=$(basename "$scenario" .json)
  "$bin" run "$scenario" --scheduler "$scheduler" --out "$tmp/$name/$scheduler" --quiet
  cp "$tmp/$name/$scheduler/events.jsonl" "tests/golden/$name.$scheduler.events.jsonl"
done
ls tests/golden | wc -l | xargs echo "golden traces written:"
