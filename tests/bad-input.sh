#!/bin/sh
# bad-input.sh: every kind of bad input gets one clear line on stderr and
# exit status 1 or 2: never a crash (>= 128), never a hang (timeout).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
FT_TIMEOUT=20

# pids
ft record -d 1 -p 4194305
expect_error "record: unknown pid" '4194305'
ft report -d 1 -p 4194305
expect_error "report: unknown pid" '4194305'
ft record -p abc
expect_error "record: -p abc" 'abc'

sleep 30 &
plain=$!
bg_pid "$plain"
ft record -d 1 -p "$plain"
expect_error "record: pid without a segment" 'no flametop segment'
ft report -d 1 -p "$plain"
expect_error "report: pid without a segment" 'no flametop segment'

# a segment of another user
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	sleep 30 &
	other=$!
	bg_pid "$other"
	head -c 65536 /dev/zero >"/dev/shm/flametop.$other"
	chown nobody "/dev/shm/flametop.$other"
	ft record -d 1 -p "$other"
	expect_error "segment of another user" 'another user|owned|permission'
else
	note "skipped: segment of another user (needs root)"
fi

# corrupt segments at the name of a live process
sleep 30 &
bad=$!
bg_pid "$bad"
seg="/dev/shm/flametop.$bad"
head -c 65536 /dev/urandom >"$seg"
ft record -d 1 -p "$bad"
expect_error "garbage segment"
printf 'FLAME' >"$seg"
ft record -d 1 -p "$bad"
expect_error "truncated segment"
: >"$seg"
ft report -d 1 -p "$bad"
expect_error "empty segment"
python3 -c '
import struct, sys
hdr = b"FLAMETOP" + struct.pack("<II", 99, 4096) + struct.pack("<Q", 65536)
sys.stdout.buffer.write(hdr + bytes(65536 - len(hdr)))' >"$seg"
ft record -d 1 -p "$bad"
expect_error "segment of another version" 'runtime format v99, this viewer reads v'
chmod 000 "$seg"
ft report -d 1 -p "$bad"
case "$st" in 1 | 2) ;; *) ft_dump; fail "unreadable segment: status $st" ;; esac
rm -f "$seg"

# folded files
printf 'a;b 1\na;c 2\n\n# comment\nb;c;d 4\nb;c;d;e 5\na;b xyz\nc 7\n' >"$FT_TMP/bad.folded"
ft report "$FT_TMP/bad.folded"
expect_error "malformed folded line" "bad\\.folded': line 7"
printf 'a;b 1\nnocount\n' >"$FT_TMP/bad2.folded"
ft report "$FT_TMP/bad2.folded"
expect_error "line without a count" 'line 2'
# /dev/zero is one endless line of NUL bytes: a clear error at once and
# bounded memory (the reader grew to 2 GB and then said "total: 0")
for c in report view; do
	st=0
	(ulimit -v 1000000; exec timeout -k 5 "$FT_TIMEOUT" "$FLAMETOP_BIN" $c /dev/zero) \
		>"$FT_TMP/out" 2>"$FT_TMP/err" || st=$?
	expect_error "$c /dev/zero" "^flametop: cannot read '/dev/zero': line 1: longer than 16 MiB"
done
printf 'a;b 1\nc;d\0 2\n' >"$FT_TMP/nul.folded"
ft report "$FT_TMP/nul.folded"
expect_error "NUL byte" "nul\\.folded': line 2: NUL byte"
ft report "$FT_TMP/does-not-exist.folded"
expect_error "missing folded file" 'does-not-exist'
ft report
expect_error "report: no file"
head -c 3000 /dev/urandom >"$FT_TMP/random.folded"
ft report "$FT_TMP/random.folded"
expect_error "binary folded file"

# commands
ft record
expect_error "record: no command" 'no command'
ft record --
expect_error "record: no command after --" 'no command'
ft record -o "$FT_TMP/x" -- "$FT_TMP/no-such-program"
expect_error "missing command" "cannot run .*no-such-program"
ft record -o "$FT_TMP/x" -- no-such-program-flametop
expect_error "missing command in PATH" "cannot run 'no-such-program-flametop'"
# a statically linked program cannot take the runtime: said before it runs
# (it would create the file)
printf '#include <stdio.h>\nint main(int c, char **v) { fclose(fopen(v[1], "w")); return 0; }\n' \
	>"$FT_TMP/static.c"
if ${CC:-cc} -static -o "$FT_TMP/static" "$FT_TMP/static.c" 2>/dev/null; then
	for cmd in record run; do
		ft $cmd -- "$FT_TMP/static" "$FT_TMP/ran"
		expect_error "$cmd: static program" "cannot profile '.*static': it is statically linked"
		[ ! -e "$FT_TMP/ran" ] || fail "$cmd ran the static program before refusing"
	done
else
	note "no static C library: the static-program case is not checked"
fi
printf '#!/bin/sh\necho hi\n' >"$FT_TMP/noexec"
chmod 644 "$FT_TMP/noexec"
ft record -o "$FT_TMP/x" -- "$FT_TMP/noexec"
expect_error "non-executable command" 'permission denied'
ft record -o "$FT_TMP/x" -- "$FT_TMP"
expect_error "directory as command" 'directory'
ft record -o /nonexistent-dir/out.folded -- true
expect_error "unwritable output" 'nonexistent-dir'

# options
ft record -F 0 -- true
expect_error "-F 0" '^flametop: record: -F 0: frequency must be 1-1000 Hz \(see flametop record --help\)$'
ft run --freq 0 -- true
expect_error "run --freq 0" '^flametop: run: --freq 0: frequency must be 1-1000 Hz \(see flametop run --help\)$'
ft record -F 100000 -- true
expect_error "-F 100000" 'frequency must be 1-1000 Hz'
ft record -F ten -- true
expect_error "-F ten" 'frequency'
ft record -d -1 -- true
expect_error "-d -1" 'duration'
ft record -d 0 -- true
expect_error "-d 0" 'duration'
ft record --mode fast -- true
expect_error "--mode fast" 'cpu or wall'
ft record --frobnicate -- true
expect_error "unknown long option" "unknown option '--frobnicate'"
ft record -Z -- true
expect_error "unknown short option" "unknown option '-Z'"
ft record -F
expect_error "missing value" 'needs a value'
ft record -p 1 -- true
expect_error "-p and a command"
ft report --top x f
expect_error "--top x" 'top'
ft list --frobnicate
expect_error "list: unknown option"
ft frobnicate
expect_error "unknown command" "^flametop: 'frobnicate' is not a flametop command \\(see flametop --help\\)$"
exit 0
