#!/bin/sh
# fmt-sources.sh: pprof functions with their source file and line, and
# mappings with their build-ids, checked with the reference reader.
# wl-split is built with -g: recorded straight to .pb.gz, go tool pprof
# -raw shows each of its functions (chain_a, a_leaf, ...) with the
# absolute path of tests/wl-split.c and the line its definition starts
# on (as its location's line and its s= start line), and its mapping
# with the build-id readelf reads from the binary.  A recording carries
# them too: a copy of the workload is recorded to .ftr and deleted, and
# the recording converted to pprof has the same lines and build-id, as
# has that pprof converted to pprof again (flametop reads them back).
# Needs go (Debian package golang-go) and readelf: skipped without them.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_flametop
need_cmd go
need_cmd readelf
export GOCACHE="$FT_TMP/gocache" GOPATH="$FT_TMP/gopath" HOME="${HOME:-$FT_TMP}"

WL="$top_builddir/tests/wl-split"
SRC=$(cd "$top_srcdir/tests" && pwd)/wl-split.c
BID=$(readelf -n "$WL" | sed -n 's/^ *Build ID: *//p')
[ -n "$BID" ] || skip "wl-split has no build-id"

# check PPROF: go tool pprof -raw lists each function of wl-split at the
# line its definition starts on in wl-split.c, and the build-id
check() {
	go tool pprof -raw "$1" >"$FT_TMP/raw" 2>"$FT_TMP/raw.err" ||
		{ cat "$FT_TMP/raw.err" >&2; fail "go tool pprof -raw cannot read $1"; }
	for fn in chain_a chain_b a_leaf b_leaf; do
		line=$(grep -n "NOINLINE uint64_t $fn(" "$SRC" | cut -d: -f1)
		grep -Eq "^ +[0-9]+: 0x0 M=[0-9]+ $fn $SRC:$line s=$line\$" "$FT_TMP/raw" || {
			grep -E "$fn|Locations" "$FT_TMP/raw" >&2
			fail "$1: $fn is not at $SRC:$line"
		}
	done
	sed -n '/^Mappings/,$p' "$FT_TMP/raw" | grep -Eq " wl-split(\.copy)? +$BID( |\$)" || {
		sed -n '/^Mappings/,$p' "$FT_TMP/raw" >&2
		fail "$1: no mapping with wl-split's build-id $BID"
	}
}

ft record -F 499 -o "$FT_TMP/split.pb.gz" -- "$WL"
expect_status 0
check "$FT_TMP/split.pb.gz"
note "ok: go tool pprof -raw shows wl-split.c lines and the build-id"

# a recording opens where the binary is not: the copy is gone
cp "$WL" "$FT_TMP/wl-split.copy"
ft record -F 499 -o "$FT_TMP/split.ftr" -- "$FT_TMP/wl-split.copy"
expect_status 0
rm -f "$FT_TMP/wl-split.copy"
ft convert "$FT_TMP/split.ftr" "$FT_TMP/from-ftr.pb.gz"
expect_status 0
check "$FT_TMP/from-ftr.pb.gz"
ft convert "$FT_TMP/from-ftr.pb.gz" "$FT_TMP/again.pb.gz"
expect_status 0
check "$FT_TMP/again.pb.gz"
note "ok: a recording keeps them without the binary, and pprof -> pprof too"
exit 0
