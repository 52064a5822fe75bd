#!/bin/sh
# rec-output.sh: record -o replaces its file whole.  The profile goes to a
# temporary file renamed over FILE once complete: a failed run, or a full
# disk (which says "No space left on device"), leaves an existing FILE as
# it was, and no temporary file; a directory that cannot be written fails
# before the command runs; a device (/dev/full) is written in place and
# its error named; the file keeps its mode, and a symbolic link is
# written through.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop

SPIN="while :; do :; done"

# a device: written in place, its error named
ft record -F 499 -d 0.5 -o /dev/full -- sh -c "$SPIN"
expect_error "-o /dev/full" "^flametop: cannot write '/dev/full': No space left on device$"

# standard output on a full device, for record and report
st=0
timeout -k 5 "$FT_TIMEOUT" "$FLAMETOP_BIN" record -F 499 -d 0.5 -o - -- sh -c "$SPIN" \
	>/dev/full 2>"$FT_TMP/err" || st=$?
expect_error "record >/dev/full" "^flametop: cannot write to standard output: No space left on device$"
st=0
timeout -k 5 "$FT_TIMEOUT" "$FLAMETOP_BIN" report "$top_srcdir/tests/data/perf-collapsed.folded" \
	>/dev/full 2>"$FT_TMP/err" || st=$?
expect_error "report >/dev/full" "^flametop: cannot write to standard output: No space left on device$"

# success: the old content replaced, the mode kept, nothing left over
d="$FT_TMP/dir"
mkdir "$d"
printf 'old;profile 1\n' >"$d/p.folded"
chmod 640 "$d/p.folded"
ln -s p.folded "$d/link.folded"
ft record -F 499 -d 0.5 -o "$d/link.folded" -- sh -c "$SPIN"
expect_status 0
[ -L "$d/link.folded" ] || fail "the symbolic link was replaced"
grep -q 'old;profile' "$d/p.folded" && fail "the old profile is still there"
[ "$(samples "$d/p.folded")" -gt 0 ] || { ft_dump; fail "no samples written"; }
[ "$(stat -c %a "$d/p.folded")" = 640 ] || fail "mode $(stat -c %a "$d/p.folded"), want 640"
[ "$(ls -A "$d" | wc -l)" -eq 2 ] || { ls -lA "$d" >&2; fail "files left over"; }
note "ok: replaced whole, mode and link kept"

# a run that fails leaves an existing file as it was (here the runtime
# cannot be loaded, so no segment ever appears)
printf 'old;profile 1\n' >"$d/kept.folded"
FLAMETOP_LIB=/etc/hostname ft record -o "$d/kept.folded" -- sleep 30
expect_status 1
grep -q "^flametop: cannot record 'sleep': the runtime did not start" "$FT_TMP/err" ||
	{ ft_dump; fail "no error for a runtime that did not start"; }
[ "$(cat "$d/kept.folded")" = 'old;profile 1' ] || fail "a failed run changed the existing file"
[ "$(ls -A "$d" | wc -l)" -eq 3 ] || { ls -lA "$d" >&2; fail "files left over by a failed run"; }
note "ok: a failed run left the existing profile intact"

# a file system to fill and one that is read-only need a mount namespace
# (as root); for others a directory without write permission stands in
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	cat >"$FT_TMP/full.sh" <<'SH'
d=$1; shift
mount -t tmpfs -o size=64k flametop-test "$d" || exit 99
printf 'old;profile 1\n' >"$d/p.folded"
head -c 1048576 /dev/zero >"$d/fill" 2>/dev/null
exec "$@"
SH
	mkdir "$FT_TMP/full"
	st=0
	timeout -k 5 "$FT_TIMEOUT" unshare -m sh "$FT_TMP/full.sh" "$FT_TMP/full" sh -c "
		'$FLAMETOP_BIN' record -F 499 -d 0.5 -o '$FT_TMP/full/p.folded' -- sh -c '$SPIN' \
			2>'$FT_TMP/err'
		st=\$?
		cat '$FT_TMP/full/p.folded' >'$FT_TMP/out'
		ls -A '$FT_TMP/full' >'$FT_TMP/ls'
		exit \$st" || st=$?
	[ "$st" -ne 99 ] || skip "cannot mount a tmpfs"
	expect_error "full file system" \
		"^flametop: cannot write '.*/full/p.folded': No space left on device$"
	[ "$(cat "$FT_TMP/out")" = 'old;profile 1' ] || { ft_dump; fail "the existing file was not kept"; }
	[ "$(cat "$FT_TMP/ls")" = "$(printf 'fill\np.folded')" ] ||
		{ cat "$FT_TMP/ls" >&2; fail "a temporary file was left behind"; }
	note "ok: a full file system left the existing profile intact"

	mkdir "$FT_TMP/ro"
	st=0
	timeout -k 5 "$FT_TIMEOUT" unshare -m sh -c "
		mount -t tmpfs -o ro flametop-test '$FT_TMP/ro' || exit 99
		exec '$FLAMETOP_BIN' record -o '$FT_TMP/ro/p.folded' -- sh -c 'echo ran'" \
		>"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
	expect_error "read-only file system" \
		"^flametop: cannot write '.*/ro/p.folded': Read-only file system$"
elif [ "$(id -u)" -eq 0 ]; then
	note "skipped: a full and a read-only file system (unshare -m fails)"
else
	note "skipped: a full file system (needs root and unshare)"
	mkdir "$FT_TMP/ro"
	chmod 555 "$FT_TMP/ro"
	ft record -o "$FT_TMP/ro/p.folded" -- sh -c 'echo ran'
	expect_error "read-only directory" "^flametop: cannot write '.*/ro/p.folded': Permission denied$"
fi
[ ! -s "$FT_TMP/out" ] || { ft_dump; fail "the command ran although its output cannot be written"; }
exit 0
