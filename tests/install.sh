#!/usr/bin/env bash
# The installed tree, used as a user would (TAP): `meson install` into a
# temporary DESTDIR, then from a directory outside the source tree, with
# nothing pointing back at it (no RSIM_PLOTS_DIR, no RSIM_SOURCE_ROOT):
# the program runs a scenario and plots it with the installed templates;
# without them it fails naming the installed place (so it never read the
# source tree's); the manual page and the completion are there; and a
# small C program builds with `pkg-config --cflags --libs rescalesim` alone
# and gives the program's own numbers.
# Usage: tests/install.sh SOURCE_ROOT BUILD_DIR [SANITIZERS]
# SANITIZERS is meson's b_sanitize of the build ("address,undefined" for
# make test-asan, "none" or absent otherwise): a program linking a
# sanitized library needs the same -fsanitize.
set -u
src=$1
build=$2
sanitize=${3:-none}
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  for l in "$@"; do printf '%s\n' "$l" | head -n 20 | sed 's/^/# /'; done
}
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

echo "1..8"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsim-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
if out=$(meson install -C "$build" --no-rebuild --quiet --destdir "$dest" 2>&1); then
  ok "meson install into a DESTDIR"
else
  not_ok "meson install into a DESTDIR" "$out"
  exit 1
fi
bin=$(find "$dest" -path '*/bin/rescalesim' -type f | head -n 1)
root=${bin%/bin/rescalesim}
pc=$(find "$dest" -name rescalesim.pc | head -n 1)

# A scenario copied out of the source tree; the work happens in $tmp/work.
mkdir -p "$tmp/work"
cp "$src/scenarios/manual-rescale-savepoint.json" "$tmp/work/s.json"
cd "$tmp/work" || exit 1
clean_env=(env -u RSIM_PLOTS_DIR -u RSIM_SOURCE_ROOT -u RSIM_BINARY)

if out=$("${clean_env[@]}" "$bin" run s.json --out run --quiet 2>&1) \
   && [ -f run/report.json ] && [ -f run/timeseries.csv ]; then
  ok "the installed program runs a scenario"
else
  not_ok "the installed program runs a scenario" "$out"
fi

if ! command -v "${RSIM_GNUPLOT:-gnuplot}" > /dev/null; then
  skip "plot with the installed templates" "gnuplot is not installed"
  skip "plot refuses without installed templates" "gnuplot is not installed"
else
  out=$("${clean_env[@]}" "$bin" plot run --format png 2>&1)
  if [ $? -eq 0 ] && [ -s run/timeline.png ] \
     && [ "$out" = "run/timeline.png" ]; then
    ok "plot with the installed templates"
  else
    not_ok "plot with the installed templates" "$out"
  fi
  # Without the installed templates the source tree's are not a fallback:
  # the error names the installed place.
  mv "$root/share/rescalesim/plots" "$tmp/plots-away"
  out=$("${clean_env[@]}" "$bin" plot run --format png --out again 2>&1)
  rc=$?
  mv "$tmp/plots-away" "$root/share/rescalesim/plots"
  if [ $rc -eq 4 ] && [[ $out == *"$root/share/rescalesim/plots/timeline.gp not found"* ]] \
     && [ ! -e again/timeline.png ]; then
    ok "plot refuses without installed templates"
  else
    not_ok "plot refuses without installed templates" "exit $rc" "$out"
  fi
fi

man=$root/share/man/man1/rescalesim.1
comp=$root/share/bash-completion/completions/rescalesim
if [ -f "$man" ] && head -n 5 "$man" | grep -q '^\.TH RESCALESIM 1' \
   && words=$(bash -c 'source "$1"; COMP_WORDS=(rescalesim com); COMP_CWORD=1; _rescalesim; echo "${COMPREPLY[*]}"; COMP_WORDS=(rescalesim run x --sched); COMP_CWORD=3; _rescalesim; echo "${COMPREPLY[*]}"; COMP_WORDS=(rescalesim run x --scheduler a); COMP_CWORD=4; _rescalesim; echo "${COMPREPLY[*]}"' _ "$comp") \
   && [ "$words" = $'compare\n--scheduler\nadaptive' ]; then
  ok "manual page and bash completion"
else
  not_ok "manual page and bash completion" "man: $man" "completion gave: ${words:-}"
fi

missing=""
for h in "$src"/include/rescalesim/*.h; do
  [ -f "$root/include/rescalesim/${h##*/}" ] || missing="$missing ${h##*/}"
done
if [ -z "$missing" ]; then
  ok "every public header is installed"
else
  not_ok "every public header is installed" "missing:$missing (meson.build's install_headers)"
fi

# The .pc of the DESTDIR copy with its prefix moved there, as a package
# relocates it (--define-variable=prefix would move glib's too).
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir -p "$tmp/pc"
sed "s|^prefix=.*|prefix=$dest$prefix|" "$pc" > "$tmp/pc/rescalesim.pc"
cc=${CC:-cc}
san_flags=()
[ "$sanitize" != none ] && [ -n "$sanitize" ] && san_flags=("-fsanitize=$sanitize")
if flags=$(PKG_CONFIG_PATH=$tmp/pc pkg-config --cflags --libs rescalesim 2>&1) \
   && out=$($cc "${san_flags[@]}" -o embed "$src/tests/install/embed.c" $flags 2>&1); then
  ok "a program builds with pkg-config --cflags --libs rescalesim"
  want=$("${clean_env[@]}" "$bin" run s.json --json --quiet --out run2 \
         | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print("%.6f %d %s" % (s["downtime_s"], s["job_stops"], s["final_state"]))')
  got=$(./embed s.json 2>&1)
  if [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok "the embedded simulator gives the program's numbers ($got)"
  else
    not_ok "the embedded simulator gives the program's numbers" "got: $got" "want: $want"
  fi
else
  not_ok "a program builds with pkg-config --cflags --libs rescalesim" "${flags:-}" "${out:-}"
  not_ok "the embedded simulator gives the program's numbers" "not built"
fi
exit $failed
