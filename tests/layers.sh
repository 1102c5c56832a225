#!/usr/bin/env bash
# The include-layering check (tools/check-layers.py) as TAP: the source tree
# passes, and small trees that break a rule fail with the file, the line and
# the rule named.
# Usage: tests/layers.sh SOURCE_ROOT
set -u
root=$1
check="$root/tools/check-layers.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..5"

# A minimal tree: one public header per layer it needs, one file per layer.
tree () {
  rm -rf "$tmp/t"
  mkdir -p "$tmp/t/include/rescalesim" "$tmp/t/sim/model" "$tmp/t/sim/sched" \
           "$tmp/t/sim/report"
  printf '#pragma once\n' > "$tmp/t/include/rescalesim/engine.h"
  printf '#pragma once\n#include <rescalesim/engine.h>\n' \
    > "$tmp/t/include/rescalesim/cluster.h"
  printf '#pragma once\n' > "$tmp/t/include/rescalesim/report.h"
  printf '#pragma once\n#include <rescalesim/cluster.h>\n' > "$tmp/t/sim/model/model.h"
  printf '#pragma once\n' > "$tmp/t/sim/model/model-private.h"
  printf '#include "model/model.h"\n#include "model-private.h"\n' \
    > "$tmp/t/sim/model/cluster.c"
  printf '#include "model/model.h"\n' > "$tmp/t/sim/sched/default.c"
  printf '#include <rescalesim/report.h>\n#include "sched/sched.h"\n' \
    > "$tmp/t/sim/report/plot.c"
  printf '#pragma once\n' > "$tmp/t/sim/sched/sched.h"
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

if out=$(python3 "$check" "$root" 2>&1); then
  echo "ok 1 - the source tree keeps its layers"
else
  echo "not ok 1 - the source tree keeps its layers"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

tree
if python3 "$check" "$tmp/t" > /dev/null 2>&1; then
  echo "ok 2 - a tree that keeps the rules passes"
else
  echo "not ok 2 - a tree that keeps the rules passes"
fi

tree
printf '#include "sched/sched.h"\n' >> "$tmp/t/sim/model/cluster.c"
expect_fail 3 "a model file including a sched header fails" \
  'sim/model/cluster.c:3: includes "sched/sched.h" of the sched layer, above the model layer'

tree
printf '#include "model/model-private.h"\n' >> "$tmp/t/sim/sched/default.c"
expect_fail 4 "another layer's private header fails" \
  'sim/sched/default.c:2: includes "model/model-private.h", a private header of the model layer'

tree
printf '#include <rescalesim/report.h>\n' >> "$tmp/t/include/rescalesim/cluster.h"
expect_fail 5 "a public header including one of a layer above fails" \
  'include/rescalesim/cluster.h:3: includes <rescalesim/report.h> of the report layer, above this header'"'"'s model layer'
