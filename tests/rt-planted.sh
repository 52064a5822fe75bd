#!/bin/sh
# Names planted where flametop looks: FIFOs, symbolic links (to a FIFO)
# and files at the segment names of the next pids.  `flametop record --
# CMD` must neither hang on them nor follow them, and the target is still
# recorded; `flametop list` shows none of them.  Run as root, flametop runs
# as nobody, so the planted names belong to another user: the target
# cannot remove them and publishes under an unguessable name instead.
. "${top_srcdir:-.}/tests/lib.sh"
need_flametop
wl="$top_builddir/tests/wl-spinsleep"
[ -x "$wl" ] || skip "$wl not built"
[ -r /proc/sys/kernel/ns_last_pid ] || skip "cannot predict pids"

mkfifo "$FT_TMP/fifo" || skip "cannot make a FIFO"
# plants at the names of the next 2000 pids, from one process (so as not
# to use up the pids it plants at); prints the names
plant() {
	python3 - "$FT_TMP/fifo" >"$FT_TMP/planted" <<'PY'
import os, sys
last = int(open("/proc/sys/kernel/ns_last_pid").read())
for i in range(1, 2001):
    f = "/dev/shm/flametop.%d" % (last + i)
    if os.path.lexists(f):
        continue
    k = i % 3
    if k == 0:
        os.mkfifo(f)
    elif k == 1:
        os.symlink(sys.argv[1], f)
    else:
        open(f, "w").write("junk\n")
    print(f)
PY
}
unplant() {
	[ -f "$FT_TMP/planted" ] && xargs rm -f <"$FT_TMP/planted"
	rm -f "$FT_TMP/planted"
}
need_cmd python3
trap 'unplant; ft_cleanup' EXIT

as=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	chmod 777 "$FT_TMP"
fi
plant
st=0
timeout -k 5 "$FT_TIMEOUT" $as "$FLAMETOP_BIN" record -d 1 -o "$FT_TMP/out.folded" -- "$wl" 2 \
	>"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
unplant
[ "$st" -ne 124 ] && [ "$st" -ne 137 ] || fail "record hung on a name planted at the target's segment"
expect_status 0
n=$(samples "$FT_TMP/out.folded")
[ "$n" -gt 0 ] || { ft_dump; fail "nothing recorded"; }
note "ok: record of a target whose segment name was planted: $n samples"

plant
st=0
timeout -k 5 "$FT_TIMEOUT" $as "$FLAMETOP_BIN" list >"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
unplant
[ "$st" -ne 124 ] || fail "list hung on planted names"
expect_status 0
grep -q "junk\|invalid" "$FT_TMP/out" && { ft_dump; fail "list showed a planted name"; }
exit 0
