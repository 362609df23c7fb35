/* The document tree: node kinds, computed and inherited styles, classes,
 * whitespace, footnote numbers, tables, figures, page setup. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "markup/markup.h"

#define DATA "tests/markup/data"

static vq_document *parse(const char *text)
{
    vq_error err;
    vq_document *doc = vq_markup_parse(text, strlen(text), "doc.xml", NULL, DATA, &err);
    if (!doc)
        fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
    return doc;
}

/* The n-th child (0-based). */
static vq_node *child(vq_node *n, int i)
{
    vq_node *c = n->first_child;
    while (c && i-- > 0)
        c = c->next;
    assert_non_null(c);
    return c;
}

static int child_count(const vq_node *n)
{
    int k = 0;
    for (const vq_node *c = n->first_child; c; c = c->next)
        k++;
    return k;
}

static void near(double got, double want)
{
    if (fabs(got - want) > 0.01)
        fail_msg("got %g, want %g", got, want);
}

static void defaults_by_language(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><p>سلام</p></document>");
    assert_string_equal(doc->lang, "fa");
    assert_int_equal(doc->dir, VQ_DIR_RTL);
    vq_node *sec = child(doc->root, 0);
    assert_int_equal(sec->kind, VQ_NODE_SECTION);
    assert_true(sec->implicit);
    assert_int_equal(sec->columns, 1);
    vq_node *p = child(sec, 0);
    assert_int_equal(p->kind, VQ_NODE_PARAGRAPH);
    assert_string_equal(p->style.text.family, "Vazirmatn");
    near(p->style.text.size, 11);
    near(p->style.line_height, 1.5);
    assert_int_equal(p->style.align, VQ_ALIGN_START);
    assert_int_equal(p->style.dir, VQ_DIR_RTL);
    near(doc->page.width, 595.28);
    near(doc->page.height, 841.89);
    near(doc->page.margin_top, 20 * 72 / 25.4);
    vq_document_destroy(doc);

    doc = parse("<document lang=\"en\" title=\"T\" author=\"A\" subject=\"S\" keywords=\"k1, k2\">"
                "<p>Hi</p></document>");
    assert_int_equal(doc->dir, VQ_DIR_LTR);
    p = child(child(doc->root, 0), 0);
    assert_string_equal(p->style.text.family, "Noto Serif");
    assert_string_equal(p->style.text.lang, "en");
    assert_string_equal(doc->title, "T");
    assert_string_equal(doc->author, "A");
    assert_string_equal(doc->subject, "S");
    assert_string_equal(doc->keywords, "k1, k2");
    vq_document_destroy(doc);
}

static void inheritance(void **state)
{
    (void)state;
    vq_document *doc =
        parse("<document font-size=\"10pt\" color=\"#333\" space-after=\"20pt\">"
              "<section align=\"justify\" padding=\"9pt\" background=\"#eee\">"
              "<p>a <b>bold <i font-size=\"150%\">big</i></b></p>"
              "<box border=\"1pt\" border-color=\"#888\" background=\"#f2f2f2\" padding=\"4mm\">"
              "<p lang=\"en\">English</p></box></section></document>");
    vq_node *sec = child(doc->root, 0);
    vq_node *p = child(sec, 0);
    near(p->style.text.size, 10);
    assert_int_equal(p->style.text.color, 0x333333);
    assert_int_equal(p->style.align, VQ_ALIGN_JUSTIFY);
    /* Box properties and spacing are not inherited. */
    near(p->style.padding, 0);
    assert_false(p->style.has_background);
    near(p->style.space_after, 5); /* <p>'s own default, 0.5 × size */
    vq_node *b = child(p, 1);
    assert_int_equal(b->kind, VQ_NODE_SPAN);
    assert_int_equal(b->style.text.weight, 700);
    vq_node *i = child(b, 1);
    assert_true(i->style.text.italic);
    assert_int_equal(i->style.text.weight, 700);
    near(i->style.text.size, 15);
    vq_node *text = child(i, 0);
    assert_int_equal(text->kind, VQ_NODE_TEXT);
    assert_string_equal(text->text, "big");
    near(text->style.text.size, 15);
    assert_true(text->style.text.italic);

    vq_node *box = child(sec, 1);
    assert_int_equal(box->kind, VQ_NODE_BOX);
    near(box->style.border_width, 1);
    assert_int_equal(box->style.border_color, 0x888888);
    assert_true(box->style.has_background);
    assert_int_equal(box->style.background, 0xf2f2f2);
    near(box->style.padding, 4 * 72 / 25.4);
    /* A block whose language changes takes its direction and font. */
    vq_node *en = child(box, 0);
    assert_int_equal(en->style.dir, VQ_DIR_LTR);
    assert_string_equal(en->style.text.family, "Noto Serif");
    near(en->style.padding, 0);
    vq_document_destroy(doc);
}

static void named_styles(void **state)
{
    (void)state;
    vq_document *doc = parse("<document>"
                             "<style name=\"abstract\" font-size=\"9pt\" background=\"#f2f2f2\"/>"
                             "<style name=\"note\" color=\"#555\" font-size=\"90%\"/>"
                             "<style element=\"p h2\" align=\"justify\" space-after=\"4pt\"/>"
                             "<box class=\"abstract\"><p>x</p><p class=\"note\" font-size=\"8pt\">"
                             "y</p><p class=\"note\">z</p></box><h2>h</h2><h3>k</h3></document>");
    vq_node *sec = child(doc->root, 0);
    vq_node *box = child(sec, 0);
    near(box->style.text.size, 9);
    assert_true(box->style.has_background);
    vq_node *p0 = child(box, 0), *p1 = child(box, 1), *p2 = child(box, 2);
    assert_int_equal(p0->style.align, VQ_ALIGN_JUSTIFY);
    near(p0->style.space_after, 4);
    assert_false(p0->style.has_background);
    /* The element's own attribute wins over its class. */
    near(p1->style.text.size, 8);
    assert_int_equal(p1->style.text.color, 0x555555);
    /* A % in a class is taken at the element it is applied to. */
    near(p2->style.text.size, 8.1);
    vq_node *h2 = child(sec, 1), *h3 = child(sec, 2);
    assert_int_equal(h2->style.align, VQ_ALIGN_JUSTIFY);
    assert_int_equal(h3->style.align, VQ_ALIGN_START);
    vq_document_destroy(doc);
}

static void headings_and_inlines(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><h1>A</h1><h4 keep-with-next=\"false\">B</h4>"
                             "<p>x<sup>2</sup> H<sub>2</sub>O<br/>next</p></document>");
    vq_node *sec = child(doc->root, 0);
    vq_node *h1 = child(sec, 0), *h4 = child(sec, 1);
    assert_int_equal(h1->kind, VQ_NODE_HEADING);
    assert_int_equal(h1->level, 1);
    near(h1->style.text.size, 17.6);
    assert_int_equal(h1->style.text.weight, 700);
    assert_true(h1->style.keep_with_next);
    near(h1->style.space_before, 17.6);
    near(h1->style.line_height, 1.25);
    assert_int_equal(h4->level, 4);
    assert_false(h4->style.keep_with_next);
    vq_node *p = child(sec, 2);
    vq_node *sup = child(p, 1), *sub = child(p, 3);
    near(sup->style.text.size_scale, 0.7);
    near(sup->style.text.baseline_shift, 0.33 * 11);
    near(sub->style.text.size_scale, 0.7);
    near(sub->style.text.baseline_shift, -0.15 * 11);
    near(child(sup, 0)->style.text.baseline_shift, 0.33 * 11);
    assert_int_equal(child(p, 5)->kind, VQ_NODE_LINE_BREAK);
    assert_string_equal(child(p, 6)->text, "next");
    vq_document_destroy(doc);
}

static void whitespace(void **state)
{
    (void)state;
    /* Runs collapse, edges vanish, ZWNJ and NBSP stay, spaces across tags
     * collapse too, and whitespace between blocks makes no node. */
    vq_document *doc = parse("<document>\n  <p>\n   می\u200cخواهم  \t <b> دو </b>  سه\u00a0 چهار \n"
                             "  </p>\n\n  <p>a <br/>  b</p>\n</document>");
    vq_node *sec = child(doc->root, 0);
    assert_int_equal(child_count(sec), 2);
    vq_node *p = child(sec, 0);
    assert_int_equal(child_count(p), 3);
    assert_string_equal(child(p, 0)->text, "می\u200cخواهم ");
    assert_string_equal(child(child(p, 1), 0)->text, "دو ");
    assert_string_equal(child(p, 2)->text, "سه\u00a0 چهار");
    vq_node *p2 = child(sec, 1);
    assert_string_equal(child(p2, 0)->text, "a");
    assert_int_equal(child(p2, 1)->kind, VQ_NODE_LINE_BREAK);
    assert_string_equal(child(p2, 2)->text, "b");
    vq_document_destroy(doc);
}

/* HTML's common character entities work without a DTD. */
static void html_entities(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><p>a&nbsp;b&zwnj;c &mdash; &laquo;&lambda;&raquo; "
                             "&amp;&lt;&#x41;</p></document>");
    vq_node *p = child(child(doc->root, 0), 0);
    assert_int_equal(child_count(p), 1);
    assert_string_equal(child(p, 0)->text, "a\u00a0b\u200cc \u2014 \u00ab\u03bb\u00bb &<A");
    vq_document_destroy(doc);
}

static void loose_content(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><ul><li>one <b>1</b></li><li><p>two</p> and more</li></ul>"
                             "<section columns=\"2\"><p>s</p></section>text</document>");
    vq_node *list = child(child(doc->root, 0), 0);
    assert_int_equal(list->kind, VQ_NODE_LIST);
    assert_false(list->ordered);
    near(list->style.margin_start, 16.5);
    vq_node *li0 = child(list, 0), *li1 = child(list, 1);
    assert_int_equal(li0->kind, VQ_NODE_LIST_ITEM);
    vq_node *anon = child(li0, 0);
    assert_int_equal(anon->kind, VQ_NODE_PARAGRAPH);
    assert_true(anon->implicit);
    near(anon->style.space_after, 0);
    assert_string_equal(child(anon, 0)->text, "one ");
    assert_int_equal(child_count(li1), 2);
    assert_false(child(li1, 0)->implicit);
    assert_true(child(li1, 1)->implicit);
    assert_string_equal(child(child(li1, 1), 0)->text, "and more");
    /* Sections: implicit, explicit with 2 columns, then implicit again. */
    assert_int_equal(child_count(doc->root), 3);
    assert_int_equal(child(doc->root, 1)->columns, 2);
    assert_false(child(doc->root, 1)->implicit);
    assert_true(child(doc->root, 2)->implicit);
    vq_document_destroy(doc);
}

static void footnotes_numbered(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><p>a<footnote> first <i>note</i> </footnote> b</p>"
                             "<h2>h<footnote>second</footnote></h2>"
                             "<p>c<footnote>third</footnote></p></document>");
    assert_int_equal(doc->footnote_count, 3);
    vq_node *sec = child(doc->root, 0);
    vq_node *f1 = child(child(sec, 0), 1);
    assert_int_equal(f1->kind, VQ_NODE_FOOTNOTE);
    assert_int_equal(f1->number, 1);
    assert_string_equal(child(f1, 0)->text, "first ");
    assert_string_equal(child(child(f1, 1), 0)->text, "note");
    assert_int_equal(child_count(f1), 2);
    near(f1->style.text.size, 8.8);
    near(f1->style.text.baseline_shift, 0);
    assert_string_equal(child(child(sec, 0), 2)->text, " b");
    assert_int_equal(child(child(sec, 1), 1)->number, 2);
    assert_int_equal(child(child(sec, 2), 1)->number, 3);
    vq_document_destroy(doc);
}

/* A given mark takes no number; mark-in-text="false" keeps it out of the
 * text; mark="" is a note with no mark at all. */
static void footnotes_marked(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><p>a<footnote>one</footnote>"
                             "<footnote mark=\"*\">star</footnote>"
                             "<footnote mark=\"2\" mark-in-text=\"false\">aff</footnote>"
                             "<footnote mark=\"\">dates</footnote>"
                             "<footnote>two</footnote></p></document>");
    assert_int_equal(doc->footnote_count, 2);
    vq_node *p = child(child(doc->root, 0), 0);
    assert_int_equal(child_count(p), 6);
    vq_node *f = child(p, 1);
    assert_null(f->mark);
    assert_int_equal(f->number, 1);
    assert_true(f->mark_in_text);
    f = child(p, 2);
    assert_string_equal(f->mark, "*");
    assert_int_equal(f->number, 0);
    assert_true(f->mark_in_text);
    f = child(p, 3);
    assert_string_equal(f->mark, "2");
    assert_false(f->mark_in_text);
    f = child(p, 4);
    assert_string_equal(f->mark, "");
    assert_false(f->mark_in_text);
    assert_string_equal(child(f, 0)->text, "dates");
    assert_int_equal(child(p, 5)->number, 2);
    vq_buf out = {0};
    vq_document_dump(doc, &out);
    assert_non_null(strstr(out.data, "footnote mark=\"2\" hidden |"));
    assert_non_null(strstr(out.data, "footnote mark=\"*\" |"));
    vq_buf_free(&out);
    vq_document_destroy(doc);
}

static void tables(void **state)
{
    (void)state;
    vq_document *doc =
        parse("<document><table widths=\"30% 2cm auto\" header-rows=\"1\" border=\"0.5pt\" "
              "border-color=\"#888\"><caption>C</caption>"
              "<tr><th>a</th><th>b</th><th>c</th></tr>"
              "<tr><td colspan=\"2\" valign=\"middle\" padding=\"1pt\">x</td><td>y</td></tr>"
              "</table><table><tr><td>1</td></tr><tr><td>1</td><td colspan=\"3\">2</td></tr>"
              "</table></document>");
    vq_node *sec = child(doc->root, 0);
    vq_node *t = child(sec, 0);
    assert_int_equal(t->kind, VQ_NODE_TABLE);
    assert_int_equal(t->column_count, 3);
    assert_int_equal(t->header_rows, 1);
    assert_int_equal(t->width.unit, VQ_LEN_PERCENT);
    near(t->width.value, 100);
    assert_int_equal(t->column_widths[0].unit, VQ_LEN_PERCENT);
    near(t->column_widths[0].value, 30);
    assert_int_equal(t->column_widths[1].unit, VQ_LEN_PT);
    near(t->column_widths[1].value, 2 * 72 / 2.54);
    assert_int_equal(t->column_widths[2].unit, VQ_LEN_AUTO);
    assert_int_equal(child(t, 0)->kind, VQ_NODE_CAPTION);
    vq_node *r0 = child(t, 1), *r1 = child(t, 2);
    assert_true(r0->header);
    assert_false(r1->header);
    vq_node *th = child(r0, 0);
    assert_true(th->header);
    assert_int_equal(th->style.text.weight, 700);
    /* Cells take the table's grid. */
    near(th->style.border_width, 0.5);
    assert_int_equal(th->style.border_color, 0x888888);
    near(th->style.padding, 3);
    vq_node *td = child(r1, 0);
    assert_false(td->header);
    assert_int_equal(td->colspan, 2);
    assert_int_equal(td->valign, VQ_VALIGN_MIDDLE);
    near(td->style.padding, 1);
    assert_int_equal(child(r1, 1)->valign, VQ_VALIGN_TOP);
    /* Without widths: the widest row, all auto. */
    vq_node *t2 = child(sec, 1);
    assert_int_equal(t2->column_count, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(t2->column_widths[i].unit, VQ_LEN_AUTO);
    vq_document_destroy(doc);
}

static void figures(void **state)
{
    (void)state;
    vq_document *doc =
        parse("<document><figure src=\"red.png\" width=\"80%\"><caption>one</caption></figure>"
              "<figure src=\"red.jpg\"/><figure placeholder=\"Skin lesions — image not "
              "available\" aspect=\"0.5\"/><figure placeholder=\"x\"/></document>");
    vq_node *sec = child(doc->root, 0);
    vq_node *f = child(sec, 0);
    assert_int_equal(f->kind, VQ_NODE_FIGURE);
    assert_string_equal(f->src, DATA "/red.png");
    assert_string_equal(f->image_type, "png");
    assert_int_equal(f->image_width, 40);
    assert_int_equal(f->image_height, 30);
    assert_int_equal(f->width.unit, VQ_LEN_PERCENT);
    near(f->width.value, 80);
    assert_int_equal(child(f, 0)->kind, VQ_NODE_CAPTION);
    vq_node *j = child(sec, 1);
    assert_string_equal(j->image_type, "jpeg");
    assert_int_equal(j->image_width, 40);
    assert_int_equal(j->image_height, 30);
    assert_int_equal(j->width.unit, VQ_LEN_AUTO);
    vq_node *ph = child(sec, 2);
    assert_null(ph->src);
    assert_string_equal(ph->placeholder, "Skin lesions — image not available");
    near(ph->aspect, 0.5);
    near(child(sec, 3)->aspect, 0.6);
    vq_document_destroy(doc);
}

static void page_setup_and_running(void **state)
{
    (void)state;
    vq_document *doc = parse(
        "<document title=\"T\"><page size=\"A5\" orientation=\"landscape\" margin=\"10mm 15mm "
        "20mm\" column-gap=\"5mm\" header-offset=\"8mm\" footer-offset=\"7mm\"/>"
        "<header><p><doc-title/></p></header><footer first=\"true\"></footer>"
        "<footer>صفحهٔ <page-number/> از <page-count/></footer><p>x</p></document>");
    assert_int_equal(doc->page.first_number, 1);
    near(doc->page.width, 595.28);
    near(doc->page.height, 419.53);
    near(doc->page.margin_top, 10 * 72 / 25.4);
    near(doc->page.margin_right, 15 * 72 / 25.4);
    near(doc->page.margin_bottom, 20 * 72 / 25.4);
    near(doc->page.margin_left, 15 * 72 / 25.4);
    near(doc->page.column_gap, 5 * 72 / 25.4);
    near(doc->page.header_offset, 8 * 72 / 25.4);
    near(doc->page.footer_offset, 7 * 72 / 25.4);
    assert_non_null(doc->header);
    assert_null(doc->first_header);
    assert_non_null(doc->first_footer);
    assert_true(doc->first_footer->first_page);
    assert_null(doc->first_footer->first_child);
    vq_node *title = child(child(doc->header, 0), 0);
    assert_int_equal(title->kind, VQ_NODE_FIELD);
    assert_int_equal(title->field, VQ_FIELD_TITLE);
    vq_node *fp = child(doc->footer, 0);
    assert_true(fp->implicit);
    assert_string_equal(child(fp, 0)->text, "صفحهٔ ");
    assert_int_equal(child(fp, 1)->field, VQ_FIELD_PAGE);
    assert_string_equal(child(fp, 2)->text, " از ");
    assert_int_equal(child(fp, 3)->field, VQ_FIELD_PAGES);
    /* Running content is not in the body. */
    assert_int_equal(child_count(doc->root), 1);
    vq_document_destroy(doc);
    /* A section's own header/footer: kept on the section, not in its body,
     * styled by the section (lang, digits). */
    doc = parse("<document lang=\"fa\"><header><p>سر</p></header><section><p>a</p></section>"
                "<section lang=\"en\" dir=\"ltr\" digits=\"latin\"><p>b</p><header><p>Head "
                "<page-number/></p></header><footer><p>Foot</p></footer></section></document>");
    vq_node *s1 = child(doc->root, 0), *s2 = child(doc->root, 1);
    assert_null(s1->section_header);
    assert_null(s1->section_footer);
    assert_non_null(s2->section_header);
    assert_int_equal(s2->section_header->kind, VQ_NODE_HEADER);
    assert_int_equal(s2->section_footer->kind, VQ_NODE_FOOTER);
    assert_int_equal(child_count(s2), 1);
    assert_string_equal(child(child(s2, 0), 0)->text, "b");
    vq_node *hp = child(s2->section_header, 0);
    assert_string_equal(child(hp, 0)->text, "Head ");
    assert_int_equal(child(hp, 1)->field, VQ_FIELD_PAGE);
    assert_string_equal(child(hp, 1)->style.text.lang, "en");
    assert_int_equal(child(hp, 1)->style.text.digits, VQ_DIGITS_LATIN);
    assert_int_equal(hp->style.dir, VQ_DIR_LTR);
    assert_string_equal(child(child(s2->section_footer, 0), 0)->text, "Foot");
    assert_non_null(doc->header);
    assert_null(doc->footer);
    vq_buf dumped = {0};
    vq_document_dump(doc, &dumped);
    assert_non_null(strstr(dumped.data, "digits=latin dir=ltr\n    header |\n      paragraph | "
                                        "space-after=5.5\n        text \"Head \" |\n"));
    assert_non_null(strstr(dumped.data, "\n    footer |\n"));
    vq_buf_free(&dumped);
    vq_document_destroy(doc);
    doc = parse("<document><page first-number=\"173\"/><p>x</p></document>");
    assert_int_equal(doc->page.first_number, 173);
    vq_buf out = {0};
    vq_document_dump(doc, &out);
    assert_non_null(strstr(out.data, "\nfirst page number 173\n"));
    vq_buf_free(&out);
    vq_document_destroy(doc);

    doc = parse("<document><page size=\"148mm 210mm\" margin=\"1in\"/></document>");
    near(doc->page.width, 148 * 72 / 25.4);
    near(doc->page.height, 210 * 72 / 25.4);
    near(doc->page.margin_left, 72);
    vq_document_destroy(doc);
    doc = parse("<document><page size=\"Letter\"/></document>");
    near(doc->page.width, 612);
    near(doc->page.height, 792);
    vq_document_destroy(doc);
}

static void formatted_values(void **state)
{
    (void)state;
    vq_document *doc = parse(
        "<document digits=\"persian\"><p><number value=\"1234.5\"/>|<date value=\"2017-11-11\"/>|"
        "<date value=\"2017-11-11\" format=\"long\" weekday=\"true\"/>|"
        "<date value=\"2017-11-11\" digits=\"latin\"/>|"
        "<span lang=\"en\" digits=\"as-written\"><date value=\"2017-11-11\" calendar=\"gregorian\" "
        "format=\"long\"/> "
        "<number value=\"1234.5\"/></span></p></document>");
    vq_node *p = child(child(doc->root, 0), 0);
    assert_string_equal(child(p, 0)->text, "۱٬۲۳۴٫۵");
    /* Formatted text is final: it is not re-shaped by the digits style. */
    assert_int_equal(child(p, 0)->style.text.digits, VQ_DIGITS_AS_WRITTEN);
    assert_string_equal(child(p, 2)->text, "۱۳۹۶/۸/۲۰");
    assert_string_equal(child(p, 4)->text, "شنبه ۲۰ آبان ۱۳۹۶");
    assert_string_equal(child(p, 6)->text, "1396/8/20");
    vq_node *span = child(p, 8);
    assert_string_equal(child(span, 0)->text, "November 11, 2017");
    /* as-written: the language's own digits. */
    assert_string_equal(child(span, 2)->text, "1,234.5");
    vq_document_destroy(doc);
}

/* Direction per paragraph: in a section that sets no dir, each paragraph
 * and heading takes the direction of most of its words, and one whose text
 * is in the other direction than its language takes the language of that
 * direction with its font and digits as written; a section (or paragraph)
 * with dir keeps it for all. */
static void paragraph_direction(void **state)
{
    (void)state;
    vq_document *doc =
        parse("<document lang=\"en\"><style name=\"t\" font=\"Noto Serif\" lang=\"en\" "
              "digits=\"latin\"/><section class=\"t\"><h2>مقدمه</h2>"
              "<p>MRI از ران چپ تغییرات ۱۲ را نشان داد</p><p>The English text, 12 days.</p>"
              "<p>دارو Rituximab و متن</p><p lang=\"en\">متن</p></section>"
              "<section dir=\"ltr\"><p>متن فارسی</p></section></document>");
    vq_node *sec = child(doc->root, 0);
    vq_node *h = child(sec, 0), *p1 = child(sec, 1), *p2 = child(sec, 2), *p3 = child(sec, 3);
    assert_int_equal(h->style.dir, VQ_DIR_RTL);
    assert_int_equal(p1->style.dir, VQ_DIR_RTL); /* 6 Persian words, "MRI" first */
    assert_string_equal(p1->style.text.lang, "fa");
    assert_string_equal(p1->style.text.family, "Vazirmatn");
    assert_int_equal(p1->style.text.digits, VQ_DIGITS_AS_WRITTEN);
    assert_string_equal(child(p1, 0)->style.text.lang, "fa");
    assert_string_equal(child(p1, 0)->style.text.family, "Vazirmatn");
    assert_int_equal(child(p1, 0)->style.text.digits, VQ_DIGITS_AS_WRITTEN);
    assert_int_equal(p2->style.dir, VQ_DIR_LTR);
    assert_string_equal(p2->style.text.lang, "en");
    assert_string_equal(p2->style.text.family, "Noto Serif");
    assert_int_equal(p2->style.text.digits, VQ_DIGITS_LATIN);
    assert_int_equal(p3->style.dir, VQ_DIR_RTL); /* more Latin letters, more Persian words */
    /* A paragraph with its own lang takes that language's direction. */
    assert_int_equal(child(sec, 4)->style.dir, VQ_DIR_LTR);
    assert_int_equal(child(child(doc->root, 1), 0)->style.dir, VQ_DIR_LTR);
    vq_document_destroy(doc);
}

/* A paragraph whose text runs against the document's language keeps the
 * font the document chose (font=), and takes the language's default font
 * when the document chose none. */
static void paragraph_direction_keeps_document_font(void **state)
{
    (void)state;
    vq_document *doc = parse("<document lang=\"fa\" font=\"Vazirmatn\"><p>Hello world</p>"
                             "<table><tr><td><p>English cell</p></td></tr></table></document>");
    vq_node *p = child(child(doc->root, 0), 0);
    assert_int_equal(p->style.dir, VQ_DIR_LTR);
    assert_string_equal(p->style.text.lang, "en");
    assert_string_equal(p->style.text.family, "Vazirmatn");
    assert_string_equal(child(p, 0)->style.text.family, "Vazirmatn");
    vq_node *cell_p = child(child(child(child(child(doc->root, 0), 1), 0), 0), 0);
    assert_string_equal(cell_p->style.text.lang, "en");
    assert_string_equal(cell_p->style.text.family, "Vazirmatn");
    vq_document_destroy(doc);
    doc = parse("<document lang=\"fa\"><p>Hello world</p></document>");
    assert_string_equal(child(child(doc->root, 0), 0)->style.text.family, "Noto Serif");
    vq_document_destroy(doc);
}

static void links_ids_and_dir(void **state)
{
    (void)state;
    vq_document *doc = parse("<document><h2 id=\"m\">روش</h2><p dir=\"auto\">GFR <a "
                             "href=\"#m\">بالا</a></p><p dir=\"auto\">۱۲۳ متن</p>"
                             "<p dir=\"auto\"><span dir=\"ltr\">IgE</span> بالا</p>"
                             "<p><a href=\"mailto:a@b.c\">x</a> <span dir=\"ltr\">y </span> <span "
                             "dir=\"rtl\">z</span><span dir=\"auto\">w</span><date "
                             "value=\"2017-11-11\" dir=\"ltr\" digits=\"latin\"/></p>"
                             "</document>");
    vq_node *sec = child(doc->root, 0);
    assert_string_equal(child(sec, 0)->id, "m");
    vq_node *p1 = child(sec, 1);
    /* Most strong letters are Persian (4 to 3), though G comes first. */
    assert_int_equal(p1->style.dir, VQ_DIR_RTL);
    vq_node *link = child(p1, 1);
    assert_int_equal(link->kind, VQ_NODE_LINK);
    assert_string_equal(link->href, "#m");
    assert_int_equal(link->style.dir, VQ_DIR_RTL);
    assert_int_equal(child(sec, 2)->style.dir, VQ_DIR_RTL);
    /* Isolated content does not decide the paragraph's direction. */
    assert_int_equal(child(sec, 3)->style.dir, VQ_DIR_RTL);
    vq_node *p3 = child(sec, 4);
    assert_string_equal(child(p3, 0)->href, "mailto:a@b.c");
    /* A paragraph of a section without dir takes its own text's: "x" (the
     * isolated spans do not count). */
    assert_int_equal(p3->style.dir, VQ_DIR_LTR);
    assert_int_equal(child(p3, 0)->style.dir, VQ_DIR_LTR);
    /* An inline element with its own dir is isolated, as in HTML. */
    vq_node *span = child(p3, 2);
    assert_int_equal(span->style.dir, VQ_DIR_LTR);
    assert_int_equal(child_count(span), 3);
    assert_string_equal(child(span, 0)->text, "\u2066");
    assert_string_equal(child(span, 1)->text, "y "); /* the space before the next span */
    assert_string_equal(child(span, 2)->text, "\u2069");
    assert_string_equal(child(child(p3, 3), 0)->text, "\u2067");
    assert_string_equal(child(child(p3, 4), 0)->text, "\u2068");
    assert_string_equal(child(p3, 5)->text, "\u20661396/8/20\u2069");
    vq_document_destroy(doc);
}

static void source_locations(void **state)
{
    (void)state;
    vq_document *doc = parse("<document>\n<p>a</p>\n  <p>b <b>c</b></p></document>");
    vq_node *p2 = child(child(doc->root, 0), 1);
    assert_string_equal(p2->loc.file, "doc.xml");
    assert_int_equal(p2->loc.line, 3);
    assert_int_equal(p2->loc.column, 3);
    assert_int_equal(child(p2, 1)->loc.column, 8);
    vq_document_destroy(doc);
}

static void dump(void **state)
{
    (void)state;
    vq_document *doc = parse("<document lang=\"en\" title=\"T\"><h2>A <i>b</i></h2>"
                             "<ol start=\"3\"><li>x</li></ol></document>");
    vq_buf out = VQ_BUF_INIT;
    vq_document_dump(doc, &out);
    assert_string_equal(
        out.data,
        "page 595.28x841.89 margins 56.6929 56.6929 56.6929 56.6929 gap 22.6772 offsets 28.3465 "
        "28.3465\n"
        "title \"T\"\n"
        "footnotes 0\n"
        "document | font=\"Noto Serif\" size=11 weight=400 italic=0 lang=en color=#000000 "
        "shift=0 scale=1 digits=as-written dir=ltr align=start line-height=1.5 indent=0\n"
        "  section implicit columns=1 |\n"
        "    heading level=2 | size=14.85 weight=700 line-height=1.25 space-before=13.365 "
        "space-after=5.94 keep-with-next\n"
        "      text \"A \" |\n"
        "      span | italic=1\n"
        "        text \"b\" |\n"
        "    list ordered start=3 | space-after=5.5 margin-start=16.5\n"
        "      list-item |\n"
        "        paragraph implicit |\n"
        "          text \"x\" |\n");
    vq_buf_free(&out);
    vq_document_destroy(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_by_language),
        cmocka_unit_test(inheritance),
        cmocka_unit_test(named_styles),
        cmocka_unit_test(headings_and_inlines),
        cmocka_unit_test(whitespace),
        cmocka_unit_test(html_entities),
        cmocka_unit_test(loose_content),
        cmocka_unit_test(footnotes_numbered),
        cmocka_unit_test(footnotes_marked),
        cmocka_unit_test(tables),
        cmocka_unit_test(figures),
        cmocka_unit_test(page_setup_and_running),
        cmocka_unit_test(formatted_values),
        cmocka_unit_test(links_ids_and_dir),
        cmocka_unit_test(paragraph_direction),
        cmocka_unit_test(paragraph_direction_keeps_document_font),
        cmocka_unit_test(source_locations),
        cmocka_unit_test(dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
