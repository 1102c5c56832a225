#!/usr/bin/env bash
# docs/pandas.md run as written, and a pandas round trip of the CSV files
# (TAP). Skipped with a message when Python's pandas is not installed
# (Debian: apt-get install python3-pandas); the plotting part also needs
# matplotlib (python3-matplotlib) and is skipped without it.
# Usage: tests/pandas.sh SOURCE_ROOT RESCALESIM
set -u
src=$1
bin=$2
# Debian's python3-pandas is for the system Python, which may not be the
# first python3 on PATH.
py=
for p in python3 /usr/bin/python3; do
  if command -v "$p" > /dev/null && "$p" -c 'import pandas' 2> /dev/null; then
    py=$p
    break
  fi
done
if [ -z "$py" ]; then
  echo "1..0 # SKIP python3-pandas is not installed (apt-get install python3-pandas)"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsim-pandas-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
ln -s "$src/scenarios" scenarios
echo "1..4"
failed=0

# The fenced blocks of docs/pandas.md: shell blocks run with `rescalesim`
# standing for the binary under test; Python blocks run as one script, the
# ones that import matplotlib only when it is there.
"$py" - "$src/docs/pandas.md" "$tmp" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```(sh|python)\n(.*?)```", text, re.S)
with open(sys.argv[2] + "/doc.sh", "w") as sh, \
     open(sys.argv[2] + "/doc.py", "w") as py, \
     open(sys.argv[2] + "/doc-plot.py", "w") as plot:
    for kind, code in blocks:
        if kind == "sh":
            sh.write(code)
        elif "matplotlib" in code:
            plot.write(code)
        else:
            py.write(code)
PY
if out=$(RSIM_BIN=$bin bash -c 'rescalesim () { "$RSIM_BIN" "$@"; }; set -e; source ./doc.sh' 2>&1 > /dev/null) \
   && out=$("$py" doc.py 2>&1); then
  echo "ok 1 - docs/pandas.md's commands and pandas code run"
else
  echo "not ok 1 - docs/pandas.md's commands and pandas code run"
  echo "$out" | sed 's/^/# /'
  failed=1
fi
if ! "$py" -c 'import matplotlib' 2> /dev/null; then
  echo "ok 2 - docs/pandas.md's plot # SKIP python3-matplotlib is not installed"
elif out=$(cat doc.py doc-plot.py | "$py" - 2>&1) && [ -s out/hb/downtime.png ]; then
  echo "ok 2 - docs/pandas.md's plot"
else
  echo "not ok 2 - docs/pandas.md's plot"
  echo "$out" | sed 's/^/# /'
  failed=1
fi

# A sweep over versions, schedulers and a duration, read back.
cat > versions.json <<'JSON'
{ "name": "versions", "duration": "3 min",
  "flink": { "version": "1.20",
             "config": { "taskmanager.numberOfTaskSlots": 2,
                         "execution.checkpointing.interval": "10 s" } },
  "cluster": { "taskmanagers": 2 },
  "job": { "vertices": [ { "name": "source", "parallelism": 4, "capacity": "2000 rec/s" },
                         { "name": "window", "parallelism": 4, "capacity": "1500 rec/s" } ],
           "edges": [ { "from": "source", "to": "window", "ship": "hash" } ] },
  "workload": { "rate": "1000 rec/s" },
  "timeline": [ { "at": "1 min", "action": "kill_taskmanagers", "count": 1 },
                { "at": "90 s", "action": "add_taskmanagers", "count": 1 } ],
  "schedulers": ["default", "adaptive"],
  "sweep": { "axes": { "scheduler": ["default", "adaptive"],
                       "flink.version": ["1.19", "1.20"],
                       "flink.config.heartbeat.timeout": ["15 s", "1 min"] },
             "seeds": { "base": 1, "count": 2 } } }
JSON
if ! out=$("$bin" sweep versions.json --out out/v --quiet 2>&1); then
  echo "not ok 3 - a sweep's files round-trip through pandas"
  echo "$out" | sed 's/^/# /'
  failed=1
elif out=$("$py" - <<'PY' 2>&1
import pandas as pd
text = {"flink.version": str, "scheduler": str, "final_state": str}
runs = pd.read_csv("out/v/sweep.csv", dtype=text)
assert list(runs.columns[:6]) == ["run", "point", "flink.version",
    "flink.config.heartbeat.timeout", "flink.config.heartbeat.timeout_s",
    "scheduler"], list(runs.columns[:6])
assert list(runs.columns).count("scheduler") == 1
assert sorted(runs["flink.version"].unique()) == ["1.19", "1.20"], runs["flink.version"].unique()
assert runs["flink.config.heartbeat.timeout_s"].dtype.kind in "if"
pairs = set(zip(runs["flink.config.heartbeat.timeout"], runs["flink.config.heartbeat.timeout_s"]))
assert pairs == {("15 s", 15.0), ("1 min", 60.0)}, pairs
assert set(runs["scheduler"]) == {"default", "adaptive"}
assert len(runs) == 16
# Without the hint the version becomes a number: the hint is needed.
plain = pd.read_csv("out/v/sweep.csv")
assert plain["flink.version"].dtype.kind == "f"
summary = pd.read_csv("out/v/summary.csv", dtype=text)
keys = ["flink.version", "flink.config.heartbeat.timeout_s", "scheduler"]
for metric in ["downtime_s", "job_stops", "max_lag_records"]:
    mine = runs.groupby(keys)[metric].mean()
    theirs = summary[summary["metric"] == metric].set_index(keys)["mean"]
    diff = (mine - theirs.reindex(mine.index)).abs().max()
    assert diff < 1e-6 * max(1.0, mine.abs().max()), (metric, diff)
PY
); then
  echo "ok 3 - a sweep's files round-trip through pandas"
else
  echo "not ok 3 - a sweep's files round-trip through pandas"
  echo "$out" | sed 's/^/# /'
  failed=1
fi

# One run's time series: per-vertex columns and the phase.
if out=$("$bin" run scenarios/manual-rescale-savepoint.json --out out/mr2 --quiet 2>&1) \
   && out=$("$py" - <<'PY' 2>&1
import pandas as pd
s = pd.read_csv("out/mr2/timeseries.csv")
cols = [c for c in s.columns if c.startswith("parallelism.")]
assert cols == ["parallelism.source", "parallelism.window"], cols
assert (s["parallelism"] == s[cols].max(axis=1)).all()
assert set(s["parallelism.window"]) == {0, 8, 12}, set(s["parallelism.window"])
phases = set(s["phase"])
assert {"RUNNING", "RUNNING/RESTORING", "FINISHED"} <= phases, phases
restoring = s[s["phase"] == "RUNNING/RESTORING"]
assert (restoring["job_state"] == "RUNNING").all()
assert (restoring["capacity"] == 0).all()
PY
); then
  echo "ok 4 - a run's time series through pandas: per-vertex parallelism and phase"
else
  echo "not ok 4 - a run's time series through pandas: per-vertex parallelism and phase"
  echo "$out" | sed 's/^/# /'
  failed=1
fi
exit $failed
