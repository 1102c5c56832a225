#!/usr/bin/env bash
# Runs the Criterion suites of one build through `meson test` and prints the
# totals over all Criterion tests (meson's own summary counts binaries).
# Usage: tools/run-tests.sh BUILD_DIR. Exits non-zero on any failure.
set -u
build=${1:-build}
meson test -C "$build" --print-errorlogs --num-processes 2
rc=$?
log="$build/meson-logs/testlog.json"
if [ -f "$log" ]; then
  # One JSON object per test result line from the TAP protocol.
  read -r passed failed skipped < <(python3 - "$log" <<'PY'
import json, re, sys
# Count Criterion's TAP lines per binary; a binary that failed without
# reporting (a crash) or reported fewer tests than its plan counts the
# missing ones as failed.
p = f = s = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line)
    out = r.get("stdout", "") or ""
    plan = None
    bp = bf = bs = 0
    for l in out.splitlines():
        m = re.match(r"^1\.\.(\d+)", l)
        if m:
            plan = int(m.group(1))
        elif l.startswith("not ok"):
            bf += 1
        elif l.startswith("ok"):
            if "# SKIP" in l:
                bs += 1
            else:
                bp += 1
    seen = bp + bf + bs
    if plan is not None and seen < plan:
        bf += plan - seen
    if r.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and bf == 0:
        bf += 1
    p += bp; f += bf; s += bs
print(p, f, s)
PY
)
fi
echo
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$rc" -ne 0 ] || [ "${failed:-1}" -ne 0 ]; then
  exit 1
fi
