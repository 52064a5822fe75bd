#!/bin/sh
# rec-children.sh: record follows the processes the command starts, as
# perf record does: a child it forks (no exec) that does the work, a
# program that sh -c executes and its own forked child; --group pid keeps
# them apart; --no-children records the command alone.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
wl="$top_builddir/tests/wl-target"

share() { # FILE REGEX: percent of the samples whose stack matches
	awk -v re="$2" '{ n = $NF; t += n; if ($0 ~ re) m += n }
		END { printf "%.1f", t ? 100 * m / t : 0 }' "$1"
}

# the parent forks a child that works 2 s while it waits
ft record -F 499 -o "$FT_TMP/fork.folded" -- "$wl" forkwork 2
expect_status 0
grep -q '^forkwork child [0-9]* status 0$' "$FT_TMP/out" || { ft_dump; fail "forkwork failed"; }
child=$(sed -n 's/^forkwork child \([0-9]*\) .*/\1/p' "$FT_TMP/out")
s=$(share "$FT_TMP/fork.folded" 'child_work')
n=$(samples "$FT_TMP/fork.folded")
[ "$n" -ge 50 ] || { ft_dump; fail "forked child: only $n samples"; }
in_range "$s" 90 100 || { ft_dump; fail "forked child: child_work has $s% (want >= 90)"; }
said=$(sed -n 's/.*recorded .* \([0-9]*\) samples (.*/\1/p' "$FT_TMP/err")
[ "${said:-0}" -ge 50 ] || { ft_dump; fail "the summary does not count the child's samples"; }
note "ok: a forked child's work: child_work $s% of $n samples"

# sh -c runs the program (exec), which forks the worker; by process
ft record -F 499 --group pid -o "$FT_TMP/sh.folded" -- sh -c "'$wl' forkwork 2; echo done"
expect_status 0
grep -q '^done$' "$FT_TMP/out" || { ft_dump; fail "sh -c did not finish"; }
s=$(share "$FT_TMP/sh.folded" '^\[pid [0-9]+ wl-target\];.*child_work')
in_range "$s" 90 100 || { ft_dump; fail "sh -c: child_work under [pid N wl-target] has $s%"; }
note "ok: sh -c, exec, fork: child_work $s% under its [pid N wl-target]"

# --no-children: the command alone (sh and the waiting parent are idle)
ft record -F 499 --no-children -o "$FT_TMP/alone.folded" -- sh -c "'$wl' forkwork 1"
expect_status 0
grep -q 'child_work' "$FT_TMP/alone.folded" && { ft_dump; fail "--no-children recorded the child"; }
note "ok: --no-children records the command alone"

# a followed child leaves no segment behind
ls /dev/shm | grep -q "^flametop\.$child\(\.\|$\)" && fail "the child $child left its segment"
exit 0
