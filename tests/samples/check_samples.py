#!/usr/bin/python3
"""Renders the bundled samples with `varaq render` and checks the PDFs'
text (pdftotext): dates in both calendars, every heading, Table 1's rows in
left-to-right column order (its cells are English lab names and ranges), the 29 references in order, page numbers; then
the schema errors for bad data, through the CLI."""
import json, os, re, subprocess, sys, tempfile

SRC = os.environ.get('VQ_SOURCE_DIR', '.')
VARAQ = os.environ.get('VQ_BINARY', os.path.join(SRC, 'build', 'varaq'))
SAMPLE = os.path.join(SRC, 'samples', 'scleromyxedema-ivig')
BIDI = re.compile('[\u200e\u200f\u202a-\u202e\u2066-\u2069]')
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def render(template, data, out):
    return subprocess.run([VARAQ, 'render', template, data, '-o', out], capture_output=True, text=True)


def text(pdf, *opts):
    r = subprocess.run(['pdftotext', *opts, pdf, '-'], capture_output=True, text=True, check=True)
    return BIDI.sub('', r.stdout)


def fa_digits(n):
    return str(n).translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))


def flat_keep(s):  # one space for every run of whitespace
    return re.sub(r'\s+', ' ', s)


def flat(s):  # pdftotext breaks lines and may drop a space at a justified line end
    return re.sub(r'\s+', '', s)


tmp = tempfile.mkdtemp(prefix='vq-samples-')
case = json.load(open(os.path.join(SAMPLE, 'case.json'), encoding='utf-8'))

# ---- the case report ----
pdf = os.path.join(tmp, 'case.pdf')
r = render('journal-case', os.path.join(SAMPLE, 'case.json'), pdf)
check(r.returncode == 0, 'journal-case renders: ' + r.stderr)
if r.returncode == 0:
    raw = text(pdf)
    lay = text(pdf, '-layout')
    flat_raw = flat(raw)
    for date in ['۱۳۹۶/۸/۲۰', '۱۳۹۶/۹/۲۱', '۱۳۹۶/۱۲/۱۴', 'November 11, 2017', 'March 5, 2018']:
        check(date in raw, 'date ' + date)
    check('(Received November 11, 2017; Accepted March 5, 2018)' in raw, 'English received/accepted line')
    headings = ['چکیده', 'واژه‌های کلیدی', 'References', 'Abstract', 'Keywords']
    headings += [s['heading'] for s in case['sections']]
    for h in headings:
        check(re.search(r'(^|\n)\s*' + re.escape(h) + r'\s*(\n|:)', raw) is not None, 'heading ' + h)
    # Table 1 (English cells: its columns read left to right, though the
    # article is Persian): on each row's line, the test left of the value,
    # left of the NL range.
    rows = case['sections'][1]['parts'][1]['tables'][0]['rows']
    check(len(rows) == 31, 'Table 1 has 31 rows')
    for row in rows:
        test, value, nl = row['cells']
        found = False
        for line in lay.split('\n'):
            m = re.search(r'(?:^|\s)' + re.escape(test) + r'(?:\s|$)', line)
            if not m or value not in line:
                continue
            v = line.index(value)
            found = m.start() < v and (nl == '—' or nl in line[v + len(value):])
            if found:
                break
        check(found, 'Table 1 row %s: %s | %s | %s left to right' % (test, test, value, nl))
    # The 29 references, in reading order: pages, then columns from the
    # right (the article is RTL), then top to bottom; the list starts after
    # the "References" heading.
    bbox = os.path.join(tmp, 'case.html')
    subprocess.run(['pdftotext', '-bbox', pdf, bbox], check=True)
    words, page, width = [], 0, 0
    for l in open(bbox, encoding='utf-8'):
        m = re.search(r'<page width="([\d.]+)"', l)
        if m:
            page, width = page + 1, float(m.group(1))
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', l)
        if m:
            x, y, w = float(m.group(1)), float(m.group(2)), BIDI.sub('', m.group(3))
            words.append(((page, 0 if x > width / 2 else 1, y, x), w))
    words.sort()
    start = next(i for i, (_, w) in enumerate(words) if w == 'References')
    want = 1
    for _, w in words[start:]:
        if want <= 29 and w == '%d.' % want:
            want += 1
    check(want == 30, 'references 1-29 in reading order (stopped before %d)' % want)
    at = 0
    for n, ref in enumerate(case['references'], 1):
        check(flat(ref['text'])[:30] in flat_raw, 'reference %d text: %s' % (n, ref['text'][:30]))
    pages = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', pdf], capture_output=True,
                                                             text=True).stdout).group(1))
    check(pages >= 5, 'the article has at least 5 pages (%d)' % pages)
    # The citation line's range ends at the page the article really ends on
    # (<last-page-number/>), not at the data's journal.pages.last.
    j = case['journal']
    cite = '%s %d; %d (%d): %d-%d (Persian).' % (j['abbreviation'], j['year'], j['volume'],
                                                j['issue'], j['pages']['first'],
                                                j['pages']['first'] + pages - 1)
    check(cite in raw, 'citation line %r in %r' % (cite, [l for l in raw.split('\n') if 'Univ' in l]))
    # Page numbers: the journal's, from journal.pages.first (173 …).
    # The last page (the English abstract) has its section's own running
    # header: the journal's English abbreviation and a Latin page number.
    first_page = case['journal']['pages']['first']
    j = case['journal']
    en_head = '%s, Volume %d, Issue %d, %d' % (j['abbreviation'], j['volume'], j['issue'], j['year'])
    for p in range(1, pages + 1):
        head = [l for l in text(pdf, '-layout', '-f', str(p), '-l', str(p)).split('\n') if l.strip()][0]
        num = str(first_page + p - 1) if p == pages else fa_digits(first_page + p - 1)
        check(re.search(r'(^|\s)' + num + r'(\s|$)', head) is not None,
              'page %d shows %s in its header: %r' % (p, num, head.strip()[:80]))
        check((en_head in head) == (p == pages) and ('مجله' in head) == (p != pages),
              'page %d header is in %s: %r' % (p, 'English' if p == pages else 'Persian', head.strip()[:80]))
    # PDF page labels: viewers number the pages 173, 174, … as printed.
    qj = json.loads(subprocess.run(['qpdf', '--json', pdf], capture_output=True, text=True).stdout)
    check(qj.get('pagelabels') == [{'index': 0, 'label': {'/S': '/D', '/St': first_page}}],
          'page labels: decimal from %d: %r' % (first_page, qj.get('pagelabels')))
    # First-page footnotes: the corresponding author (*, with e-mail), each
    # affiliation under its number, then the dates: the last lines of page 1,
    # below the body, in the lower part of the page; nowhere above them.
    lines = [BIDI.sub('', l).strip() for l in text(pdf, '-layout', '-f', '1', '-l', '1').split('\n')
             if l.strip()]
    n_aff = len(case['affiliations'])
    foot = lines[-(n_aff + 2):]
    check('مؤلف مسئول' in foot[0] and foot[0].startswith('*') and case['corresponding_author']['email'] in foot[0],
          'page 1 footnote *: the corresponding author with e-mail: %r' % foot[0][:60])
    for k, aff in enumerate(case['affiliations']):
        line = foot[1 + k]
        check(line.startswith(fa_digits(aff['number'])) and flat(aff['fa']) in flat(line),
              'page 1 footnote %s: affiliation %d: %r' % (fa_digits(aff['number']), aff['number'], line[:60]))
    check('۱۳۹۶/۸/۲۰' in foot[-1] and '۱۳۹۶/۱۲/۱۴' in foot[-1] and 'تاریخ تصویب' in foot[-1],
          'page 1 last footnote: the dates: %r' % foot[-1][:60])
    check(not any('استادیار' in l for l in lines[:-(n_aff + 2)]),
          'page 1: the affiliations are only in the footnotes')
    box = subprocess.run(['pdftotext', '-bbox', '-f', '1', '-l', '1', pdf, '-'], capture_output=True,
                         text=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', box).group(1))
    ys = [float(m.group(1)) for m in re.finditer(r'yMin="([\d.]+)"[^>]*>[^<]*fniksolat', box)]
    check(len(ys) == 1 and ys[0] > height * 0.8, 'page 1: the e-mail footnote is at the foot (%s of %g)' % (ys, height))

# ---- the case report in English: the Persian abstract page has a Persian header ----
en_case = dict(case, language='en')
en_json = os.path.join(tmp, 'case_en.json')
json.dump(en_case, open(en_json, 'w', encoding='utf-8'), ensure_ascii=False)
pdf = os.path.join(tmp, 'case_en.pdf')
r = render('journal-case', en_json, pdf)
check(r.returncode == 0, 'journal-case (en) renders: ' + r.stderr)
if r.returncode == 0:
    pages = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', pdf], capture_output=True,
                                                             text=True).stdout).group(1))
    first_page = case['journal']['pages']['first']
    for p in range(1, pages + 1):
        head = [l for l in text(pdf, '-layout', '-f', str(p), '-l', str(p)).split('\n') if l.strip()][0]
        last = p == pages
        num = fa_digits(first_page + p - 1) if last else str(first_page + p - 1)
        check(re.search(r'(^|\s)' + num + r'(\s|$)', head) is not None,
              'en page %d shows %s in its header: %r' % (p, num, head.strip()[:80]))
        check(('مجله' in head) == last and (case['journal']['name']['en'] in head) == (not last),
              'en page %d header is in %s: %r' % (p, 'Persian' if last else 'English', head.strip()[:80]))

# ---- the handout ----
pdf = os.path.join(tmp, 'handout.pdf')
r = render('handout', os.path.join(SAMPLE, 'handout.json'), pdf)
check(r.returncode == 0, 'handout renders: ' + r.stderr)
if r.returncode == 0:
    raw = text(pdf)
    for s in ['شنبه ۱۵ آبان ۱۳۹۵', 'یکشنبه ۱۶ آبان ۱۳۹۵', 'شنبه ۱۳ آذر ۱۳۹۵', 'شنبه ۱۶ بهمن ۱۳۹۵',
              '011-0123-4567', '400 mg/kg/day', '50 mg/day', 'Prednisolone', 'Azathioprine', 'Folic acid',
              'داروهای شما', 'نوبت‌های بعدی', 'SM-95-0421']:
        check(s in raw, 'handout shows ' + s)
    pages = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True).stdout
    check(re.search(r'Pages:\s+[12]\n', pages) is not None, 'handout fits on one or two pages')

# ---- the other layouts from the same data ----
def variant(template, name, edit):
    data = json.loads(json.dumps(json.load(open(os.path.join(SAMPLE, name), encoding='utf-8'))))
    edit(data)
    path = os.path.join(tmp, 'variant-' + name)
    json.dump(data, open(path, 'w', encoding='utf-8'), ensure_ascii=False)
    out = path + '.pdf'
    r = render(template, path, out)
    check(r.returncode == 0, '%s variant renders: %s' % (name, r.stderr))
    return out if r.returncode == 0 else None


pdf = variant('journal-case', 'case.json', lambda d: d.update(language='en'))
if pdf:
    pages = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', pdf], capture_output=True,
                                                             text=True).stdout).group(1))
    first = text(pdf, '-f', '1', '-l', '1')
    last = text(pdf, '-f', str(pages), '-l', str(pages))
    check('Successful Treatment of Scleromyxedema' in first and 'Abstract' in first,
          'English layout: the English title and abstract open the article')
    check('(Received November 11, 2017; Revised December 12, 2017; Accepted March 5, 2018)' in flat_keep(first),
          'English layout: received, revised and accepted dates')
    # Page 1 ends with its footnotes, after the body: *, the affiliations in
    # order, then the dates.
    p1 = flat_keep(text(pdf, '-f', '1', '-l', '1')).strip()
    spots = [p1.find('Keywords:'), p1.find('* Corresponding Author: Fatemeh Niksolat Roodposhti')]
    spots += [p1.find('%d %s' % (a['number'], a['en'][:40])) for a in case['affiliations']]
    check(-1 not in spots and spots == sorted(spots) and
          p1.endswith('(Received November 11, 2017; Revised December 12, 2017; Accepted March 5, 2018)'),
          'English layout: corresponding author, affiliations and dates are page 1 footnotes: %s' % spots)
    check('چکیده' in last and '۱۳۹۶/۸/۲۰' in last and '۱۳۹۶/۱۲/۱۴' in last,
          'English layout: the Persian abstract page with Jalali dates comes last')

pdf = variant('handout', 'handout.json', lambda d: d.update(language='en'))
if pdf:
    raw = text(pdf)
    for s in ['Saturday, November 5, 2016', 'Sunday, November 6, 2016', 'Your medicines',
              'Come to the clinic or the emergency department at once if you have:', '400 mg/kg/day']:
        check(s in raw, 'English handout shows ' + s)
    # An LTR table cell ends in LRM + space; with RLM poppler wrapped it in
    # RLE ... PDF: three stray invisible characters per cell.
    unstripped = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout
    strays = sorted({'U+%04X' % ord(c) for c in unstripped if c in '\u200f\u202a\u202b\u202c\u202d\u202e'})
    check(not strays, 'English handout copies out no RTL marks or embeddings: %s' % strays)

pdf = variant('handout', 'handout.json', lambda d: d.update(page_size='A5'))
if pdf:
    info = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True).stdout
    check('419.53 x 595.28 pts' in info, 'A5 handout is A5')

# ---- bad data through the CLI ----
def bad(name, edit, expect):
    data = json.loads(json.dumps(case))
    edit(data)
    path = os.path.join(tmp, name + '.json')
    body = json.dumps(data, ensure_ascii=False, indent=2)
    open(path, 'w', encoding='utf-8').write(body)
    out = os.path.join(tmp, name + '.pdf')
    r = render('journal-case', path, out)
    lines = expect(body, path)
    for line in lines:
        check(line in r.stderr.split('\n'), '%s: stderr has %r (got %r)' % (name, line, r.stderr[:400]))
    is_error = any(': error: ' in l for l in lines)
    check(r.returncode == (1 if is_error else 0), '%s: exit code %d' % (name, r.returncode))
    check(os.path.exists(out) == (not is_error), '%s: output file written only on success' % name)


def pos(body, needle, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = body.index(needle, i + 1)
    return body.count('\n', 0, i) + 1, i - body.rfind('\n', 0, i)


def missing(data):
    del data['authors'][2]['name']


def e_missing(body, path):
    authors = body.index('"authors": [')
    line, col = pos(body, '{', body[:authors].count('{') + 4)  # author 0, its name, 1, its name, 2
    return ['%s:%d:%d: error: /authors/2: missing required field \'name\'' % (path, line, col),
            '%s: error: the data does not match the template\'s schema: 1 error' % path]


def wrong_type(data):
    data['authors'][2]['affiliations'][0] = '3'


def e_wrong(body, path):
    line, col = pos(body, '"3"')
    return ['%s:%d:%d: error: /authors/2/affiliations/0: expected an integer' % (path, line, col)]


def bad_date(data):
    data['dates']['accepted'] = '2018-02-30'


def e_date(body, path):
    line, col = pos(body, '"2018-02-30"')
    return ['%s:%d:%d: error: /dates/accepted: "2018-02-30" is not a valid date (expected YYYY-MM-DD)'
            % (path, line, col)]


def unknown(data):
    data['journal']['edition'] = 2


def e_unknown(body, path):
    line, col = pos(body, '"edition"')
    return ['%s:%d:%d: warning: /journal/edition: unknown field (the template does not use it)'
            % (path, line, col)]


bad('missing-field', missing, e_missing)
bad('wrong-type', wrong_type, e_wrong)
bad('bad-date', bad_date, e_date)
bad('unknown-field', unknown, e_unknown)

print('%d failure(s)' % len(failures))
sys.exit(1 if failures else 0)
