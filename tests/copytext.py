"""What the script tests that read a PDF's text back share: typesetting a
text with `varaq text` and reading it back with poppler's pdftotext, the
bidi controls extractors add (dropped before comparing), words as letters,
marks, digits and ZWNJ, and the share of words that come back in order. A
script puts tests/ on sys.path and imports these."""
import os
import subprocess
import tempfile
import unicodedata

# LRM, RLM, the embeddings and overrides, the isolates: str.translate drops them.
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
                     None)


def typeset_and_read(binary, text, *args):
    """pdftotext's text of `varaq text` ARGS over text (UTF-8)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "text.txt")
        pdf = os.path.join(tmp, "text.pdf")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run([binary, "text", src, "-o", pdf, *args], check=True)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                              capture_output=True, text=True).stdout


def words(text):
    """The words of text, NFC, each cut to its letters, marks, digits and ZWNJ."""
    out = []
    for tok in unicodedata.normalize("NFC", text).translate(BIDI).split():
        tok = "".join(c for c in tok if unicodedata.category(c)[0] in "LMN" or c == "\u200c")
        if tok:
            out.append(tok)
    return out


def in_order(a, b):
    """How many words of a come back in b in order (longest common subsequence)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]
