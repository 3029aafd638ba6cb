#!/bin/sh
# scripts/checksrc passes on the repository and fires on each rule in a scratch tree: a
# capability that includes a folder it may not, a prototype in a .c file, sqlite3.h in the API.
set -eu
checksrc=$1
"$checksrc" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/api/kennisbank" "$tmp/src/api/kanalen"
printf '#include "engine/engine.h"\n' > "$tmp/src/api/kennisbank/ok.c"
"$checksrc" "$tmp" >/dev/null || { echo "checksrc refused a clean tree"; exit 1; }
expect_fail() {
    if "$checksrc" "$tmp" >/dev/null 2>&1; then echo "checksrc did not fire: $1"; exit 1; fi
    rm -f "$2"
}
printf '#include "kanalen/kanalen.h"\n' > "$tmp/src/api/kennisbank/bad.c"
expect_fail "kennisbank includes kanalen" "$tmp/src/api/kennisbank/bad.c"
printf 'omk_rc omk__elsewhere(omk_req *req,\n                      int x);\n' > "$tmp/src/api/kanalen/proto.c"
expect_fail "prototype in a .c file" "$tmp/src/api/kanalen/proto.c"
printf 'extern const int omk__x;\n' > "$tmp/src/api/kanalen/ext.c"
expect_fail "extern in a .c file" "$tmp/src/api/kanalen/ext.c"
printf '#include <sqlite3.h>\n' > "$tmp/src/api/kanalen/db.c"
expect_fail "sqlite3.h in the API" "$tmp/src/api/kanalen/db.c"
"$checksrc" "$tmp" >/dev/null
echo "checksrc rules fire"
