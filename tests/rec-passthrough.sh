#!/bin/sh
# rec-passthrough.sh: record stays out of the way: CMD's output and exit
# status pass through; -d stops a long-running target and the profile is
# still written; SIGINT to flametop stops the recording cleanly and writes
# the profile too; a target that ends before record attaches is recorded
# (an empty profile), not an error.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

# output and exit status, from a target that ends at once: it may end
# before record attaches, which is normal (its segment is kept for record),
# so it is tried a few times
for i in 1 2 3 4 5; do
	rm -f "$FT_TMP/a.folded"
	ft record -o "$FT_TMP/a.folded" -- sh -c 'echo hi; echo oops >&2; exit 3'
	expect_status 3
	[ "$(cat "$FT_TMP/out")" = hi ] || { ft_dump; fail "stdout of CMD not passed through"; }
	grep -q '^oops$' "$FT_TMP/err" || { ft_dump; fail "stderr of CMD not passed through"; }
	grep -q "^flametop: recorded .* of 'sh'" "$FT_TMP/err" || { ft_dump; fail "no summary"; }
	grep -q 'cannot' "$FT_TMP/err" && { ft_dump; fail "a target that ends fast is an error"; }
	[ -f "$FT_TMP/a.folded" ] || fail "no output file"
done
note "ok: output and exit status 3 pass through"

# processes the target starts leave no segments behind
ft record -o "$FT_TMP/c.folded" -- sh -c '/bin/true ft-leak-check; /bin/true ft-leak-check'
expect_status 0
"$FLAMETOP_BIN" list | grep -q 'ft-leak-check' && { "$FLAMETOP_BIN" list >&2; fail "segments left behind"; }
note "ok: no segments left behind by the target's children"

# killed by a signal: 128 + N
ft record -o "$FT_TMP/k.folded" -- sh -c 'kill -USR1 $$'
expect_status 138
note "ok: a target killed by SIGUSR1 gives 138"

# -d stops a target that would run for a long time
ft record -F 499 -d 1 -o "$FT_TMP/d.folded" -- sh -c 'while :; do :; done'
expect_status 0
n=$(samples "$FT_TMP/d.folded")
[ "$n" -ge 10 ] || { ft_dump; fail "-d 1: only $n samples written"; }
grep -Eq "recorded [0-9.]+ s of 'sh'" "$FT_TMP/err" || { ft_dump; fail "-d 1: summary"; }
note "ok: -d 1 stopped the target, $n samples"

# folded stacks on stdout with -o -
ft record -o - -- "$top_builddir/tests/wl-spinsleep" 1
expect_status 0
grep -Eq 'spin_main.* [0-9]+$' "$FT_TMP/out" || { ft_dump; fail "no folded stacks on stdout"; }
grep -q 'written to stdout' "$FT_TMP/err" || { ft_dump; fail "summary does not say stdout"; }
# without -o: a recording, flametop.ftr, in the current directory, said
# in the summary, and the target's own output alone on stdout; an older
# file is replaced once the new one is complete
mkdir "$FT_TMP/cwd"
printf 'old recording\n' >"$FT_TMP/cwd/flametop.ftr"
cd "$FT_TMP/cwd"
ft record -- sh -c 'echo chatty-no-newline | tr -d "\n"; i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'
expect_status 0
[ "$(cat "$FT_TMP/out")" = chatty-no-newline ] || { ft_dump; fail "no -o: the target's output is not alone on stdout"; }
grep -q 'written to flametop.ftr$' "$FT_TMP/err" || { ft_dump; fail "no -o: the summary does not name flametop.ftr"; }
grep -q 'old recording' "$FT_TMP/cwd/flametop.ftr" && fail "no -o: the old flametop.ftr was not replaced"
[ "$(ls -A "$FT_TMP/cwd" | wc -l)" -eq 1 ] || { ls -lA "$FT_TMP/cwd" >&2; fail "no -o: files left over"; }
ft report "$FT_TMP/cwd/flametop.ftr"
expect_status 0
n=$(sed -n 's/^total: \([0-9]*\) samples.*/\1/p' "$FT_TMP/out")
[ "${n:-0}" -gt 0 ] || { ft_dump; fail "no -o: flametop.ftr has no samples"; }
note "ok: without -o, flametop.ftr ($n samples)"
# --format without -o: the format's default name
ft record --format svg -- sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'
expect_status 0
grep -q '<svg' "$FT_TMP/cwd/flametop.svg" || { ft_dump; fail "--format svg without -o: no flametop.svg"; }
cd "$top_builddir"

# SIGINT to flametop: stop, stop the target, write the file
timeout -k 5 30 "$FLAMETOP_BIN" record -F 499 -o "$FT_TMP/int.folded" -- \
	"$top_builddir/tests/wl-spinsleep" 27 >"$FT_TMP/out" 2>"$FT_TMP/err" &
rec=$!
bg_pid "$rec"
sleep 1.5
kill -INT "$rec"
st=0
wait "$rec" || st=$?
case "$st" in
124 | 137) ft_dump; fail "SIGINT: flametop did not stop (status $st)" ;;
esac
[ "$st" -eq 130 ] || { ft_dump; fail "SIGINT: exit status $st (want 130)"; }
n=$(samples "$FT_TMP/int.folded")
[ "$n" -ge 10 ] || { ft_dump; fail "SIGINT: only $n samples written"; }
grep -q 'recorded' "$FT_TMP/err" || { ft_dump; fail "SIGINT: no summary"; }
pgrep -f "wl-spinsleep 27" >/dev/null && fail "SIGINT: the target is still running"
note "ok: SIGINT stopped the recording, $n samples written"
exit 0
