#!/usr/bin/env python3
"""The copy-out scorer's own arithmetic (tools/copyout/score.py), without
any PDF: the longest common subsequence, the alignment behind the
per-paragraph figures, paragraphs that come back moved, cut or lost, and
floats placed where the output holds them."""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.environ.get("VQ_SOURCE_DIR", "."), "tools", "copyout"))
import score  # noqa: E402

rng = random.Random(12)
for _ in range(300):
    a = [rng.choice("abcde") for _ in range(rng.randint(0, 40))]
    b = [rng.choice("abcdef") for _ in range(rng.randint(0, 40))]
    kept = score.aligned(a, b)
    assert sum(kept) == score.common(a, b), (a, b)
    sub = iter(b)
    assert all(x in sub for x, k in zip(a, kept) if k), (a, b)

src = "one two three four\n\nfive six seven eight\n\nnine ten\n\n \n"
paras = score.paragraphs(src)
assert paras == [["one", "two", "three", "four"], ["five", "six", "seven", "eight"],
                 ["nine", "ten"]], paras
# All back, in order.
assert score.per_paragraph(paras, score.words(src)) == [100.0, 100.0, 100.0]
# A paragraph that floats (a caption placed elsewhere) keeps its words.
moved = score.words("nine ten one two three four five six seven eight")
assert score.per_paragraph(paras, moved) == [100.0, 100.0, 100.0]
# A paragraph read back to front keeps one word; one lost keeps none.
out = score.words("one two three four eight seven six five")
assert score.per_paragraph(paras, out) == [100.0, 25.0, 0.0], score.per_paragraph(paras, out)
# Punctuation and bidi controls do not count; a word split in two does.
assert score.words("\u200fword, (x)") == ["word", "x"]
assert score.per_paragraph([["a", "bc"]], ["a", "b", "c"]) == [50.0]
# A float (a table or figure, not in the source) counts where the output
# holds it, whole and in order; read interleaved or turned around, it loses.
body, table = score.words("one two three four"), score.words("t1 t2 t3")
for out in ("one two t1 t2 t3 three four", "one two three four t1 t2 t3",
            "t1 t2 t3 one two three four"):
    seq = score.with_floats(body, [table], score.words(out))
    assert score.share(seq, score.words(out)) == 100.0, (out, seq)
out = score.words("one t1 two t2 three t3 four")
assert round(score.share(score.with_floats(body, [table], out), out), 1) == 71.4
out = score.words("one two three four t3 t2 t1")
assert round(score.share(score.with_floats(body, [table], out), out), 1) == 71.4
# The text around a float keeps its order: a float does not excuse it.
out = score.words("three four t1 t2 t3 one two")
assert round(score.share(score.with_floats(body, [table], out), out), 1) == 71.4
print("scorer: ok")
