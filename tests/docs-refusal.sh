#!/usr/bin/env bash
# tools/check-docs.py refuses notes from outside the repository (as TAP):
# in Markdown and in the files of sim/, include/, bench/, plots/,
# scenarios/, tests/ and tools/, naming the file and the line; its own file
# is exempt. The names are put together at run time, so that this script
# does not name them itself.
# Usage: tests/docs-refusal.sh SOURCE_ROOT
set -u
root=$1
check="$root/tools/check-docs.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..6"

behaviour="flink-behav"; behaviour="${behaviour}iour.md"
design="DESI"; design="${design}GN.md"
calibration="calibra"; calibration="${calibration}tion §"
shared="shared/"; shared="${shared}reference"

# A minimal tree that passes: the scenarios table, a few sources, and the
# checker itself in tools/ (which names every note).
tree () {
  rm -rf "$tmp/t"
  mkdir -p "$tmp/t/scenarios" "$tmp/t/sim/model" "$tmp/t/include/rescalesim" \
           "$tmp/t/tools" "$tmp/t/plots"
  printf '# Scenarios\n\n## Bundled scenarios\n\n| file | what |\n|---|---|\n| `x.json` | x |\n' \
    > "$tmp/t/scenarios/README.md"
  printf '{\n  "name": "x",\n  "description": "x"\n}\n' > "$tmp/t/scenarios/x.json"
  printf '/* The model.\n * HeartbeatManagerSenderImpl. */\nint x;\n' \
    > "$tmp/t/sim/model/cluster.c"
  printf '#pragma once\n' > "$tmp/t/include/rescalesim/cluster.h"
  printf 'set terminal png\n' > "$tmp/t/plots/timeline.gp"
  cp "$check" "$tmp/t/tools/check-docs.py"
}

expect_fail () {   # number, description, expected text
  out=$(python3 "$check" "$tmp/t" 2>/dev/null)
  rc=$?
  if [ $rc -ne 0 ] && printf '%s' "$out" | grep -qF "$3"; then
    echo "ok $1 - $2"
  else
    echo "not ok $1 - $2 (exit $rc)"
    printf '%s\n' "$out" | sed 's/^/# /'
  fi
}

tree
if out=$(python3 "$check" "$tmp/t" 2>&1); then
  echo "ok 1 - a tree without such notes passes, the checker's own file included"
else
  echo "not ok 1 - a tree without such notes passes, the checker's own file included"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

tree
printf '/* Timeouts (%s §4). */\n' "$behaviour" >> "$tmp/t/sim/model/cluster.c"
expect_fail 2 "a C comment naming the behaviour notes fails at its line" \
  "sim/model/cluster.c:4: names notes outside the repository (\"$behaviour\")"

tree
printf '#pragma once\n/* Outputs (%s). */\n' "$design" \
  > "$tmp/t/include/rescalesim/cluster.h"
expect_fail 3 "a public header naming the design notes fails at its line" \
  "include/rescalesim/cluster.h:2: names notes outside the repository (\"$design\")"

tree
printf '{\n  "name": "x",\n  "description": "as in %s1"\n}\n' "$calibration" \
  > "$tmp/t/scenarios/x.json"
expect_fail 4 "a scenario's string naming the calibration notes fails" \
  "scenarios/x.json:3: names notes outside the repository (\"$calibration\")"

tree
printf '# see %s/x\n' "$shared" >> "$tmp/t/plots/timeline.gp"
expect_fail 5 "a plot template naming the shared notes fails" \
  "plots/timeline.gp:2: names notes outside the repository (\"$shared\")"

tree
printf '\nSee %s.\n' "$design" >> "$tmp/t/scenarios/README.md"
expect_fail 6 "Markdown naming the notes still fails" \
  "scenarios/README.md:9: names notes outside the repository"
