#!/usr/bin/env bash
# Mutation check: breaks one rule at a time in a copy of the tree, rebuilds
# and runs the test suite, which must fail for every mutation. A mutation
# the suite does not catch is a rule no test guards. Not run in CI (it
# builds the tree once per mutation); run it before closing an issue that
# touches these rules.
#
#   tests/mutations.sh [ctest arguments...]    e.g. tests/mutations.sh -LE copyout
#
# Each mutation is a Perl substitution over one whole file, matched on a
# small stable pattern; one that no longer matches is reported as NOT
# APPLIED and fails the run, so a rewrite of the code shows up here instead
# of silently passing.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/varaq-mutations.XXXXXX")"
trap 'rm -rf "$work"' EXIT
jobs="${VQ_JOBS:-2}"

# The tree as it is now (tracked and new files, not the build folders).
(cd "$src" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | (cd "$work" && mkdir tree && tar -xf - -C tree)
tree="$work/tree"
cp -a "$tree" "$work/pristine" # restored from here, not from a tree that may change meanwhile
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$tree" -B "$work/build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; exit 1; }

# name | file | perl -0 substitution (whole file)
mutations=(
    "widow/orphan control for paragraphs removed|src/layout/block.c|s/\|\|\s*i\s*==\s*1\s*\|\|\s*i\s*\+\s*1\s*==\s*count//"
    "shaping cache disabled (every layout shapes again)|src/text/paragraph.c|s/if\s*\(vq_paragraph_prepared_for\(p, ps\)\)/if (0)/"
    "Knuth-Plass adjacent-fitness penalty 0|src/text/linebreak.c|s/(ADJ_DEMERITS\s*=\s*)[0-9.eE+]+/\${1}0/"
    "protected tokens may break (3x/week, e-mail, 12h/24h)|src/text/linebreak.c|s/(\bin_protected_token\([^()]*\)\s*\{)/\$1\n    return false;/"
    "a dropped character left out of the spare-glyph list|src/base/chars.c|s/(DROPPED\[\] = \{[^}]*), 0x2028/\$1/"
    "Arabic-Indic digits not read as digits|src/base/chars.h|s/if \(cp >= 0x0660 && cp <= 0x0669\)/if (0)/"
    "content widths measured without the UTF-8 check|src/text/paragraph.c|s/(\*width = 0;\s*vq_status st = )prepare_checked/\${1}prepare/"
    "an RTL ligature's text not reversed for copy-out|src/render/line.c|s/if \(n >= 2\)(\s*for \(size_t i = 0, j = n - 1;)/if (0)\$1/"
    "a kashida drawn as ZWJ tatweels where the face has a composite|src/text/kashida.c|s/uint32_t first = composite_of\(t, lg->id\);/uint32_t first = composite_of(t, lg->id) \& 0;/"
    "Cairo's FreeType face not shown the TrueType outlines|src/fonts/fonts_cairo.c|s/if \(glyf && loca && maxp && truetype_maxp\)/if (0)/"
    "a user's face drawn from its own bytes, not its conversion|src/fonts/fonts.c|s/data && vq_cid_convert\(/data \&\& 0 \&\& vq_cid_convert(/"
)

suite() { # runs the suite; prints the failing tests; 0 passes, 1 fails, 2 does not build
    cmake --build "$work/build" -j"$jobs" >"$work/build.log" 2>&1 || { echo "    BUILD FAILED:"; grep -m5 -E 'error|undefined' "$work/build.log" | sed 's/^/    /'; return 2; }
    local rc=0
    ctest --test-dir "$work/build" -j"$jobs" "$@" >"$work/ctest.log" 2>&1 || rc=1
    grep -E '^\s+[0-9]+ - ' "$work/ctest.log" | sed 's/^\s*/    failed: /' || true
    return $rc
}

echo "baseline (no mutation):"
if ! suite "$@"; then
    echo "the suite fails without a mutation; fix that first"
    exit 1
fi
echo "    passes"

missed=0
for m in "${mutations[@]}"; do
    IFS='|' read -r name file expr <<<"$m"
    cp "$work/pristine/$file" "$tree/$file"
    perl -0pi -e "$expr" "$tree/$file"
    echo "mutation: $name ($file)"
    if cmp -s "$work/pristine/$file" "$tree/$file"; then
        echo "    NOT APPLIED: the pattern no longer matches; update it"
        missed=$((missed + 1))
        continue
    fi
    diff -U0 "$work/pristine/$file" "$tree/$file" | grep -E '^[-+][^-+]' | sed 's/^/    /' || true
    rc=0
    suite "$@" || rc=$?
    case $rc in
    0) echo "    NOT CAUGHT: the suite passes"; missed=$((missed + 1)) ;;
    1) echo "    caught" ;;
    *) echo "    NOT TESTED: the mutated tree does not build; fix the pattern"; missed=$((missed + 1)) ;;
    esac
    cp "$work/pristine/$file" "$tree/$file"
done
total=${#mutations[@]}
echo "$((total - missed)) of $total mutations caught"
[ "$missed" -eq 0 ]
