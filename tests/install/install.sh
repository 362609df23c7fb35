#!/bin/sh
# `cmake --install` into a scratch prefix, then build a program against it
# with pkg-config alone and render the sample handout with it.
# usage: install.sh CMAKE BUILD_DIR LIBDIR CC [EXTRA_FLAGS]
set -eu
cmake=$1 build=$2 libdir=$3 cc=$4 extra=${5:-}
sample=$VQ_SOURCE_DIR/samples/scleromyxedema-ivig/handout.json

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" || {
    cat "$tmp/install.log"; exit 1; }
for f in include/varaq/varaq.h include/varaq/error.h "$libdir/libvaraq.a" "$libdir/pkgconfig/varaq.pc" \
    share/varaq/templates/handout/main.mustache share/varaq/templates/common/letterhead.mustache \
    share/man/man1/varaq.1 share/man/man1/varaq-watch.1 share/bash-completion/completions/varaq bin/varaq; do
    [ -e "$prefix/$f" ] || { echo "not installed: $f" >&2; exit 1; }
done
# Only the public headers: the stages' own headers stay private.
for h in "$prefix"/include/varaq/*; do
    case ${h##*/} in
    varaq.h | error.h) ;;
    *) echo "unexpected header: $h" >&2; exit 1 ;;
    esac
done

# Only the public API is global in the archive: the stages' own functions
# (lay_*, mk_*, helpers) must not clash with a program's names.
globals=$(nm -g --defined-only "$prefix/$libdir/libvaraq.a" | awk 'NF == 3 { print $3 }')
echo "$globals" | grep -qx vq_engine_create || { echo "libvaraq.a: no vq_engine_create" >&2; exit 1; }
others=$(echo "$globals" | grep -v '^vq_' || true)
[ -z "$others" ] || { echo "libvaraq.a exports non-API symbols:" >&2; echo "$others" >&2; exit 1; }

export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs --static varaq)
# shellcheck disable=SC2086  # word splitting of the flags is wanted
"$cc" -std=c17 -Wall -Wextra -Werror $extra -o "$tmp/example" \
    "$VQ_SOURCE_DIR/tests/install/example.c" $flags

check_pdf() { # PDF: the patient's name and the handout's title, as text
    pdftotext "$1" "$tmp/out.txt"
    for word in "مریم کاظمی" "برنامه درمان شما"; do
        grep -q -F "$word" "$tmp/out.txt" || {
            echo "$1: no '$word' in the text:" >&2; head -20 "$tmp/out.txt" >&2; exit 1; }
    done
}

# Plain `pkg-config --cflags --libs` (no --static) links as well: the
# archive's libraries are in Requires and Libs.
plain=$(pkg-config --cflags --libs varaq)
case " $plain " in
*" -lvaraq "*" -ljansson "*) ;;
*) echo "pkg-config --cflags --libs varaq: $plain" >&2; exit 1 ;;
esac
# shellcheck disable=SC2086
"$cc" -std=c17 -Wall -Wextra -Werror $extra -o "$tmp/example-plain" \
    "$VQ_SOURCE_DIR/tests/install/example.c" $plain

# A program outside PREFIX/bin finds no data folder: the error says where it
# looked; a data folder that does not exist fails at vq_engine_create.
mkdir "$tmp/elsewhere"
cp "$tmp/example-plain" "$tmp/elsewhere/example"
if (cd / && "$tmp/elsewhere/example" "$sample" "$tmp/x.pdf") 2>"$tmp/err"; then
    echo "a program with no data folder rendered" >&2; exit 1
fi
want="handout: error: cannot open file: No such file or directory (nor a bundled template of that name in $tmp/elsewhere/templates (no such folder) or "
case $(cat "$tmp/err") in
"$want"*) ;;
*) echo "no data folder: got: $(cat "$tmp/err")" >&2; echo "want: $want..." >&2; exit 1 ;;
esac
if "$tmp/example" "$sample" "$tmp/x.pdf" "$tmp/nowhere" 2>"$tmp/err"; then
    echo "a missing data folder was accepted" >&2; exit 1
fi
want="$tmp/nowhere: error: data folder (fonts/ and templates/): No such file or directory"
[ "$(cat "$tmp/err")" = "$want" ] || { echo "got: $(cat "$tmp/err")" >&2; echo "want: $want" >&2; exit 1; }

# Data folder named explicitly.
"$tmp/example" "$sample" "$tmp/a.pdf" "$prefix/share/varaq"
check_pdf "$tmp/a.pdf"

# No data folder: a program in PREFIX/bin finds PREFIX/share/varaq.
cp "$tmp/example" "$prefix/bin/example"
(cd "$tmp" && "$prefix/bin/example" "$sample" b.pdf)
check_pdf "$tmp/b.pdf"
echo "ok: $(wc -c <"$prefix/$libdir/libvaraq.a") bytes libvaraq.a, $(echo "$globals" | wc -l) global symbols"
