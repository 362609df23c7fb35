#!/usr/bin/env bash
# Scores how much of a text comes back, in order, when it is copied out of a
# PDF in the viewers people use. Typeset SOURCE.txt to FILE.pdf first, then:
#
#   copyout.sh SOURCE.txt FILE.pdf                   words/exact % per extractor; exit 1 below 99 words
#   copyout.sh SOURCE.txt FILE.pdf --min pdf.js=95,pdftotext=90   only these, at these minimums
#   copyout.sh SOURCE.txt FILE.pdf --min-exact mupdf=97   also gate the exact figure
#   copyout.sh SOURCE.txt FILE.pdf --paragraphs      also per paragraph (see score.py)
#   copyout.sh SOURCE.txt FILE.pdf --show pdf.js     what one extractor gives, and what it lost
#
# Extractors: poppler's pdftotext (Debian), pdf.js, PDFium and MuPDF 1.28
# (npm packages pinned in package-lock.json), and Debian's mutool (reported
# only). The npm packages are installed on first use into $VARAQ_COPYOUT_CACHE
# (ctest sets it to BUILD_DIR/copyout; default ./build/copyout of this
# checkout), never into the source tree. Needs poppler-utils, mupdf-tools,
# python3, nodejs and npm; the first use needs the npm registry.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for c in pdftotext mutool node npm python3 flock; do
  command -v "$c" >/dev/null ||
    { echo "copyout: '$c' is missing (bash .ci/deps installs it)" >&2; exit 2; }
done
cache=${VARAQ_COPYOUT_CACHE:-$here/../../build/copyout}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# One install at a time (ctest may run both copy-out tests at once).
exec 9>"$cache/.lock"
flock 9
if ! cmp -s "$here/package-lock.json" "$cache/package-lock.json" || [ ! -d "$cache/node_modules" ]; then
  rm -rf "$cache/node_modules" "$cache/package-lock.json"
  cp "$here/package.json" "$cache/"
  cp "$here/package-lock.json" "$cache/package-lock.tmp"
  mv "$cache/package-lock.tmp" "$cache/package-lock.json"
  if ! (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error) >&2; then
    rm -f "$cache/package-lock.json"
    echo "copyout: npm ci failed in $cache" >&2
    exit 2
  fi
fi
cp "$here/extract.mjs" "$cache/extract.mjs.$$"
mv "$cache/extract.mjs.$$" "$cache/extract.mjs"
flock -u 9
VARAQ_COPYOUT_TOOLS=$cache exec python3 "$here/score.py" "$@"
