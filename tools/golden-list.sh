#!/usr/bin/env bash
# Prints "SCENARIO SCHEDULER" for every bundled scenario under each scheduler
# it lists (its "schedulers" key; "default" when absent). Shared by
# tools/update-golden.sh and tests/golden.sh so both see the same list.
set -eu
root=${1:-.}
for f in "$root"/scenarios/*.json; do
  python3 - "$f" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as fh:
    doc = json.load(fh)
for s in doc.get("schedulers", ["default"]):
    print(path, s)
PY
done
