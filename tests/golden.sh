#!/usr/bin/env bash
# Golden event traces (TAP): every bundled scenario under each scheduler it
# lists must write exactly the events.jsonl kept in tests/golden/. A
# difference prints the first lines that differ; after an intended change of
# behaviour, regenerate with tools/update-golden.sh and explain the diff in
# the commit.
# Usage: tests/golden.sh SOURCE_ROOT RESCALESIM_BINARY
set -u
root=$1
bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t cases < <(bash "$root/tools/golden-list.sh" "$root")
echo "1..${#cases[@]}"
i=0
status=0
for c in "${cases[@]}"; do
  i=$((i + 1))
  scenario=${c% *}
  scheduler=${c##* }
  name=$(basename "$scenario" .json)
  golden="$root/tests/golden/$name.$scheduler.events.jsonl"
  out="$tmp/$name/$scheduler"
  if ! "$bin" run "$scenario" --scheduler "$scheduler" --out "$out" --quiet \
       > "$tmp/log" 2>&1; then
    echo "not ok $i - $name $scheduler: the run failed"
    sed 's/^/# /' "$tmp/log"
    status=1
  elif [ ! -f "$golden" ]; then
    echo "not ok $i - $name $scheduler: no golden trace $golden"
    status=1
  elif cmp -s "$golden" "$out/events.jsonl"; then
    echo "ok $i - $name $scheduler"
  else
    echo "not ok $i - $name $scheduler: events.jsonl differs from the golden trace"
    diff "$golden" "$out/events.jsonl" | head -n 10 | sed 's/^/# /'
    status=1
  fi
done
exit $status
