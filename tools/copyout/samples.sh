#!/usr/bin/env bash
# Copy-out of the bundled sample in every form docs/copyout.md reports, kashida
# on and off: the article text right to left and by majority direction
# (`varaq text --align justify`), the case report (journal-case: words/exact
# over every Persian string of its sections, its tables and figures as
# floats, para= per paragraph of its prose) and the patient handout (per paragraph of its Persian strings). One line per form, figures as copyout.sh prints them.
#
#   tools/copyout/samples.sh [VARAQ]     (default: build/varaq of this checkout)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
varaq=${1:-$root/build/varaq}
sample=$root/samples/scleromyxedema-ivig
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
score() { "$here/copyout.sh" "$@" --min 0 | sed 's/^copy-out (words\/exact %): //'; }
python3 "$here/sample_text.py" "$sample/case.json" sections --skip tables --skip figures >"$tmp/case.txt"
python3 "$here/sample_text.py" "$sample/case.json" sections --items tables --items figures >"$tmp/floats.txt"
python3 "$here/sample_text.py" "$sample/case.json" sections --only paragraphs >"$tmp/prose.txt"
python3 "$here/sample_text.py" "$sample/handout.json" >"$tmp/handout.txt"
for k in on off; do
  for dir in rtl auto; do
    "$varaq" text "$sample/article.txt" -o "$tmp/seed.pdf" --dir "$dir" --align justify --kashida $k
    echo "seed --dir $dir, kashida $k: $(score "$sample/article.txt" "$tmp/seed.pdf")"
  done
  # A copy of each template with kashida set on its root element.
  for t in journal-case handout; do
    mkdir -p "$tmp/$k"
    cp -r "$root/templates/$t" "$tmp/$k/"
    sed -i "s/<document /<document kashida=\"$k\" /" "$tmp/$k/$t"/*.mustache
  done
  "$varaq" render "$tmp/$k/journal-case" "$sample/case.json" -o "$tmp/case.pdf"
  echo "case report, kashida $k: $(score "$tmp/case.txt" "$tmp/case.pdf" --floats "$tmp/floats.txt" --para-source "$tmp/prose.txt")"
  "$varaq" render "$tmp/$k/handout" "$sample/handout.json" -o "$tmp/handout.pdf"
  echo "handout, kashida $k: $(score "$tmp/handout.txt" "$tmp/handout.pdf" --paragraphs)"
done
