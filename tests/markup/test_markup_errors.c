/* Bad markup: one test per error class, each checking the exact message and
 * its location (through the source map when there is one). Nothing is
 * returned on error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "markup/markup.h"

#define DATA "tests/markup/data"

/* Parses text as "doc.xml" and checks "file:line:col: message". */
static void expect_error(const char *text, const char *want)
{
    vq_error err;
    vq_document *doc = vq_markup_parse(text, strlen(text), "doc.xml", NULL, DATA, &err);
    assert_null(doc);
    assert_int_equal(err.status, VQ_ERR_INPUT);
    char got[1600];
    snprintf(got, sizeof got, "%s:%d:%d: %s", err.file, err.line, err.column, err.message);
    assert_string_equal(got, want);
}

static void xml_syntax(void **state)
{
    (void)state;
    expect_error("<document>\n<p>x</document>",
                 "doc.xml:2:7: mismatched tag: expected </p> to close <p> from line 2");
    expect_error("<document><p>a & b</p></document>",
                 "doc.xml:1:17: not well-formed (invalid token)");
    expect_error("<document><p>&nbsp;&foo;</p></document>", "doc.xml:1:20: undefined entity &foo;");
    expect_error("", "doc.xml:1:1: no element found");
    expect_error("<document>\xff</document>", "doc.xml:1:11: not well-formed (invalid token)");
    expect_error("<!DOCTYPE document [<!ENTITY a \"b\">]><document/>",
                 "doc.xml:1:1: <!DOCTYPE> is not allowed in varaq markup");
}

static void unknown_element(void **state)
{
    (void)state;
    expect_error("<document>\n  <tabel/></document>",
                 "doc.xml:2:3: unknown element <tabel> (did you mean <table>?)");
    expect_error("<document><blink/></document>", "doc.xml:1:11: unknown element <blink>");
    expect_error("<p>x</p>", "doc.xml:1:1: the root element must be <document>, not <p>");
}

/* The error names the template line the bad text came from. */
static void located_through_source_map(void **state)
{
    (void)state;
    const char *text = "<document>\n  <tabel/></document>";
    vq_source_map *map = vq_source_map_create();
    vq_source_map_set_output(map, text, strlen(text));
    /* The first output line came from report.mustache line 87, the second
     * from line 88 (a text range: columns advance with the output). */
    vq_source_map_add(map, 0, "report.mustache", 87, 1, true);
    vq_source_map_add(map, 11, "report.mustache", 88, 1, true);
    vq_error err;
    vq_document *doc = vq_markup_parse(text, strlen(text), "expanded", map, NULL, &err);
    assert_null(doc);
    char got[1600];
    snprintf(got, sizeof got, "%s:%d:%d: %s", err.file, err.line, err.column, err.message);
    assert_string_equal(got,
                        "report.mustache:88:3: unknown element <tabel> (did you mean <table>?)");
    vq_source_map_destroy(map);
}

static void unknown_attribute(void **state)
{
    (void)state;
    expect_error("<document><p colour=\"red\">x</p></document>",
                 "doc.xml:1:14: unknown attribute 'colour' on <p> (did you mean 'color'?); "
                 "allowed: id, class and the style attributes");
    expect_error("<document><table><tr><td colspam=\"2\"/></tr></table></document>",
                 "doc.xml:1:26: unknown attribute 'colspam' on <td> (did you mean 'colspan'?); "
                 "allowed: colspan, valign, id, class and the style attributes");
    expect_error("<document><style name=\"a\" colr=\"#000\"/></document>",
                 "doc.xml:1:27: unknown attribute 'colr' on <style> (did you mean 'color'?); "
                 "allowed: name, element and the style attributes");
    expect_error("<document><page zoom=\"2\"/></document>",
                 "doc.xml:1:17: unknown attribute 'zoom' on <page>; allowed: size, orientation, "
                 "margin, column-gap, header-offset, footer-offset, first-number");
    expect_error("<document><p>a<footnote mark-in=\"false\">n</footnote></p></document>",
                 "doc.xml:1:25: unknown attribute 'mark-in' on <footnote>; allowed: mark, "
                 "mark-in-text, id, class and the style attributes");
}

static void footnote_marks_and_page_numbers(void **state)
{
    (void)state;
    expect_error(
        "<document><p>a<footnote mark=\"*\" mark-in-text=\"no\">n</footnote></p></document>",
        "doc.xml:1:34: mark-in-text=\"no\": expected true or false");
    expect_error("<document><p>a<footnote mark-in-text=\"false\">n</footnote></p></document>",
                 "doc.xml:1:25: mark-in-text=\"false\" needs a mark=\"…\" (a numbered note shows "
                 "its number in the text)");
    expect_error("<document><p>a<footnote mark=\"123456789\">n</footnote></p></document>",
                 "doc.xml:1:25: mark=\"123456789\": a mark has at most 8 characters");
    expect_error("<document><p>a<footnote mark=\"* 1\">n</footnote></p></document>",
                 "doc.xml:1:25: mark=\"* 1\": a mark has no spaces or control characters");
    expect_error("<document><page first-number=\"0\"/></document>",
                 "doc.xml:1:17: first-number=\"0\": expected a whole number from 1 to 1000000");
    expect_error("<document><page first-number=\"173a\"/></document>",
                 "doc.xml:1:17: first-number=\"173a\": expected a whole number from 1 to 1000000");
}

static void bad_length(void **state)
{
    (void)state;
    expect_error("<document><p font-size=\"12pc\">x</p></document>",
                 "doc.xml:1:14: font-size=\"12pc\": expected a length in pt, mm, cm, in or %");
    expect_error("<document><p space-after=\"10%\">x</p></document>",
                 "doc.xml:1:14: space-after=\"10%\": expected a length in pt, mm, cm or in");
    expect_error("<document><p indent=\"-2mm\">x</p></document>",
                 "doc.xml:1:14: indent=\"-2mm\": expected a length in pt, mm, cm or in");
    expect_error("<document><page margin=\"1cm 2cm 3cm 4cm 5cm\"/></document>",
                 "doc.xml:1:17: margin=\"1cm 2cm 3cm 4cm 5cm\": expected 1 to 4 lengths in pt, "
                 "mm, cm or in");
    expect_error("<document><table widths=\"30% 2px\"/></document>",
                 "doc.xml:1:18: widths=\"30% 2px\": expected one width per column: lengths in "
                 "pt, mm, cm or in, % or auto");
}

static void bad_colour(void **state)
{
    (void)state;
    expect_error("<document><p color=\"blu\">x</p></document>",
                 "doc.xml:1:14: color=\"blu\": expected a colour as #rgb or #rrggbb");
    expect_error("<document><box border-color=\"#12345\"/></document>",
                 "doc.xml:1:16: border-color=\"#12345\": expected a colour as #rgb or #rrggbb");
    expect_error("<document><box background=\"grey\"/></document>",
                 "doc.xml:1:16: background=\"grey\": expected a colour as #rgb or #rrggbb, or "
                 "none");
}

static void bad_enum(void **state)
{
    (void)state;
    expect_error("<document><p align=\"middle\">x</p></document>",
                 "doc.xml:1:14: align=\"middle\": expected one of start, end, center, justify, "
                 "left, right");
    expect_error("<document><p digits=\"arabic\">x</p></document>",
                 "doc.xml:1:14: digits=\"arabic\": expected one of persian, latin, as-written");
    expect_error("<document><p><date value=\"2017-11-11\" calendar=\"hijri\"/></p></document>",
                 "doc.xml:1:39: calendar=\"hijri\": expected one of persian, gregorian");
    expect_error("<document><p keep-with-next=\"yes\">x</p></document>",
                 "doc.xml:1:14: keep-with-next=\"yes\": expected true or false");
    expect_error("<document><page size=\"B5\"/></document>",
                 "doc.xml:1:17: size=\"B5\": expected A4, A5, Letter or a width and a height "
                 "(\"210mm 297mm\") of at least 36pt each");
    expect_error("<document><section columns=\"9\"/></document>",
                 "doc.xml:1:20: columns=\"9\": expected a whole number from 1 to 6");
}

static void wrong_place(void **state)
{
    (void)state;
    expect_error("<document><li>x</li></document>",
                 "doc.xml:1:11: <li> is only allowed in <ul> or <ol>");
    expect_error("<document><tr/></document>", "doc.xml:1:11: <tr> is only allowed in <table>");
    expect_error("<document><table><td/></table></document>",
                 "doc.xml:1:18: <td> is only allowed in <tr>");
    expect_error("<document><p><h1>x</h1></p></document>",
                 "doc.xml:1:14: <h1> is not allowed in <p> (a block cannot go inside inline "
                 "content)");
    expect_error("<document><box><section/></box></document>",
                 "doc.xml:1:16: <section> is only allowed directly in <document>");
    expect_error("<document><p><page-number/></p></document>",
                 "doc.xml:1:14: <page-number> is only allowed in <header> or <footer>");
    expect_error("<document><section><box><header/></box></section></document>",
                 "doc.xml:1:25: <header> is only allowed directly in <document> or <section>");
    expect_error("<document><section><footer first=\"true\"/></section></document>",
                 "doc.xml:1:28: first=\"true\" is only for the <footer> of <document>");
    expect_error("<document><header/><section><header/><p>x</p><header/></section></document>",
                 "doc.xml:1:46: only one <header> is allowed in a <section>");
    expect_error("<document><p>a<footnote>b<footnote>c</footnote></footnote></p></document>",
                 "doc.xml:1:26: a <footnote> cannot go inside a footnote");
    expect_error("<document><p><a href=\"#x\"><b><a href=\"#y\">x</a></b></a></p></document>",
                 "doc.xml:1:30: an <a> cannot go inside another <a>");
    expect_error("<document><ul>text</ul></document>", "doc.xml:1:15: text is not allowed in <ul>");
    expect_error("<document><hr><b/></hr></document>", "doc.xml:1:15: <hr> cannot have content");
    expect_error("<document><p/><page/><page/></document>",
                 "doc.xml:1:22: only one <page> is allowed");
    expect_error("<document><table><caption/><caption/></table></document>",
                 "doc.xml:1:28: <table> has more than one <caption>");
}

static void missing_attribute(void **state)
{
    (void)state;
    expect_error("<document><figure/></document>",
                 "doc.xml:1:11: <figure> needs the attribute src or placeholder");
    expect_error("<document><p><a>x</a></p></document>",
                 "doc.xml:1:14: <a> needs the attribute href");
    expect_error("<document><p><number/></p></document>",
                 "doc.xml:1:14: <number> needs the attribute value");
    expect_error("<document><style font-size=\"9pt\"/></document>",
                 "doc.xml:1:11: <style> needs the attribute name or element");
}

static void bad_image(void **state)
{
    (void)state;
    expect_error("<document><figure src=\"missing.png\"/></document>",
                 "doc.xml:1:11: cannot read image '" DATA
                 "/missing.png': no such file inside the allowed folders");
    /* A file outside the folder, or not a regular file, gets the same words:
     * nothing tells what exists there. */
    expect_error("<document><figure src=\"/etc/passwd\"/></document>",
                 "doc.xml:1:11: cannot read image '/etc/passwd': no such file inside the "
                 "allowed folders");
    expect_error("<document><figure src=\"../../../../../../../etc/passwd\"/></document>",
                 "doc.xml:1:11: cannot read image '" DATA
                 "/../../../../../../../etc/passwd': no such file inside the allowed folders");
    expect_error("<document><figure src=\"/dev/zero\"/></document>",
                 "doc.xml:1:11: cannot read image '/dev/zero': no such file inside the "
                 "allowed folders");
    expect_error("<document><figure src=\"not-an-image.png\"/></document>",
                 "doc.xml:1:11: image '" DATA "/not-an-image.png' is not a PNG or JPEG file");
    expect_error("<document><figure src=\"truncated.png\"/></document>",
                 "doc.xml:1:11: image '" DATA "/truncated.png' is a corrupt PNG file (truncated)");
    expect_error("<document><figure src=\"bad-crc.png\"/></document>",
                 "doc.xml:1:11: image '" DATA "/bad-crc.png' is a corrupt PNG file (bad checksum)");
    expect_error("<document><figure src=\"truncated.jpg\"/></document>",
                 "doc.xml:1:11: image '" DATA "/truncated.jpg' is a corrupt JPEG file (truncated)");
}

static void bad_date_and_number(void **state)
{
    (void)state;
    expect_error("<document><p><date value=\"2017-02-30\"/></p></document>",
                 "doc.xml:1:20: value=\"2017-02-30\": not a valid date (expected YYYY-MM-DD)");
    expect_error("<document><p><date value=\"11/11/2017\"/></p></document>",
                 "doc.xml:1:20: value=\"11/11/2017\": not a valid date (expected YYYY-MM-DD)");
    expect_error("<document><p><number value=\"1,5\"/></p></document>",
                 "doc.xml:1:22: value=\"1,5\": expected a number such as 1234.5");
}

static void references(void **state)
{
    (void)state;
    expect_error("<document><p>\n<a href=\"#nope\">x</a></p></document>",
                 "doc.xml:2:1: href=\"#nope\": no element has id=\"nope\"");
    expect_error("<document><p id=\"a\"/><p id=\"a\"/></document>",
                 "doc.xml:1:25: id=\"a\" is used twice");
    expect_error("<document><style name=\"abstract\"/><p class=\"abstrct\">x</p></document>",
                 "doc.xml:1:35: unknown style class 'abstrct' (did you mean 'abstract'?)");
    expect_error("<document><style name=\"x\" font-size=\"huge\"/></document>",
                 "doc.xml:1:27: font-size=\"huge\": expected a length in pt, mm, cm, in or %");
}

static void tables(void **state)
{
    (void)state;
    expect_error(
        "<document><table widths=\"1cm 1cm\">\n<tr><td colspan=\"3\"/></tr></table></document>",
        "doc.xml:2:1: this row has 3 columns but the table's widths= gives 2");
    expect_error("<document><table header-rows=\"2\"><tr/></table></document>",
                 "doc.xml:1:11: header-rows=\"2\" but the table has 1 row");
}

static void too_deep(void **state)
{
    (void)state;
    char text[4096] = "<document><p>";
    for (int i = 0; i < 250; i++)
        strcat(text, "<b>");
    expect_error(text, "doc.xml:1:608: elements nested too deeply (more than 200 levels)");
}

/* ---- several errors in one parse ---- */

typedef struct reported {
    char lines[32][1600];
    int count;
} reported;

static void keep(const vq_error *e, void *user)
{
    reported *r = user;
    if (r->count < 32)
        snprintf(r->lines[r->count], sizeof r->lines[0], "%s:%d:%d: %s", e->file, e->line,
                 e->column, e->message);
    r->count++;
}

/* Parses text as "doc.xml" with a report callback: the errors reported,
 * in order, and what err says. */
static void expect_errors(const char *text, const char *const *want, int count, const char *summary)
{
    reported r = {0};
    vq_markup_options o = {.base_dir = DATA, .report = keep, .user = &r};
    vq_error err;
    vq_document *doc = vq_markup_parse_opts(text, strlen(text), "doc.xml", NULL, &o, &err);
    assert_null(doc);
    assert_int_equal(err.status, VQ_ERR_INPUT);
    assert_int_equal(r.count, count);
    for (int i = 0; i < count && i < 32; i++)
        assert_string_equal(r.lines[i], want[i]);
    char got[1600];
    snprintf(got, sizeof got, "%s:%d:%d: %s", err.file, err.line, err.column, err.message);
    assert_string_equal(got, summary);
}

static void several_errors(void **state)
{
    (void)state;
    /* An unknown element, a bad length, a block where it cannot go: each
     * reported at its place, in order, and the parse goes on. */
    const char *text = "<document lang=\"en\">\n"
                       "<p>First <bold>bold</bold> word.</p>\n"
                       "<p space-after=\"3px\">Second.</p>\n"
                       "<ul><p>not an item</p></ul>\n"
                       "</document>";
    const char *const want[] = {
        "doc.xml:2:10: unknown element <bold> (did you mean <ol>?)",
        "doc.xml:3:4: space-after=\"3px\": expected a length in pt, mm, cm or in",
        "doc.xml:4:5: <p> is not allowed in <ul>",
    };
    expect_errors(text, want, 3, "doc.xml:0:0: 3 errors in the markup");
    /* Without a report callback err has the first. */
    expect_error(text, want[0]);
}

static void left_out_with_its_content(void **state)
{
    (void)state;
    /* What a left-out element holds is not read: its misplaced rows and the
     * unknown element in them are not reported again. */
    expect_error("<document><tabel><tr><td><x/></td></tr></tabel><p>fine</p></document>",
                 "doc.xml:1:11: unknown element <tabel> (did you mean <table>?)");
    /* An attribute in error is left out; the element and what it holds are
     * still read. */
    const char *const want[] = {
        "doc.xml:1:20: columns=\"seven\": expected a whole number from 1 to 6",
        "doc.xml:1:39: color=\"red\": expected a colour as #rgb or #rrggbb",
        "doc.xml:1:53: unknown element <blink>",
    };
    expect_errors("<document><section columns=\"seven\"><p color=\"red\">a <blink/></p>"
                  "</section></document>",
                  want, 3, "doc.xml:0:0: 3 errors in the markup");
}

static void errors_of_one_tag_by_column(void **state)
{
    (void)state;
    /* One message, too long for a line (its own name: clang takes two
     * literals in a row inside an array for a missing comma). */
    static const char colour[] = "doc.xml:1:30: unknown attribute 'colour' on <p> (did you mean "
                                 "'color'?); allowed: id, class and the style attributes";
    const char *const want[] = {
        "doc.xml:1:14: font-size=\"big\": expected a length in pt, mm, cm, in or %",
        colour,
        "doc.xml:1:43: align=\"middle\": expected one of start, end, center, justify, left, right",
    };
    expect_errors("<document><p font-size=\"big\" colour=\"red\" align=\"middle\">x</p></document>",
                  want, 3, "doc.xml:0:0: 3 errors in the markup");
}

static void stops_where_xml_breaks(void **state)
{
    (void)state;
    /* Not well-formed XML ends the parse: it is the last error. */
    const char *const want[] = {
        "doc.xml:1:14: unknown element <blink>",
        "doc.xml:2:7: mismatched tag: expected </p> to close <p> from line 2",
        "doc.xml:0:0: unused",
    };
    expect_errors("<document><p><blink/></p>\n<p>a</document><blink/>", want, 2,
                  "doc.xml:0:0: 2 errors in the markup");
    /* Every link to an unknown id, after the rest. */
    const char *const links[] = {
        "doc.xml:1:15: <b> is not allowed in <ul>",
        "doc.xml:2:4: href=\"#one\": no element has id=\"one\"",
        "doc.xml:3:4: href=\"#two\": no element has id=\"two\"",
    };
    expect_errors("<document><ul><b/></ul>\n<p><a href=\"#one\">1</a></p>\n"
                  "<p><a href=\"#two\">2</a><span id=\"three\"/></p></document>",
                  links, 3, "doc.xml:0:0: 3 errors in the markup");
}

static void too_many_errors(void **state)
{
    (void)state;
    char text[1024] = "<document><p>";
    const char *want[20];
    static char lines[20][64];
    for (int i = 0; i < 25; i++)
        strcat(text, "<blink/>");
    strcat(text, "</p></document>");
    for (int i = 0; i < 20; i++) {
        snprintf(lines[i], sizeof lines[i], "doc.xml:1:%d: unknown element <blink>", 14 + 8 * i);
        want[i] = lines[i];
    }
    expect_errors(text, want, 20, "doc.xml:0:0: too many errors in the markup; stopped after 20");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_syntax),
        cmocka_unit_test(unknown_element),
        cmocka_unit_test(located_through_source_map),
        cmocka_unit_test(unknown_attribute),
        cmocka_unit_test(bad_length),
        cmocka_unit_test(bad_colour),
        cmocka_unit_test(bad_enum),
        cmocka_unit_test(wrong_place),
        cmocka_unit_test(missing_attribute),
        cmocka_unit_test(bad_image),
        cmocka_unit_test(bad_date_and_number),
        cmocka_unit_test(references),
        cmocka_unit_test(tables),
        cmocka_unit_test(too_deep),
        cmocka_unit_test(footnote_marks_and_page_numbers),
        cmocka_unit_test(several_errors),
        cmocka_unit_test(left_out_with_its_content),
        cmocka_unit_test(errors_of_one_tag_by_column),
        cmocka_unit_test(stops_where_xml_breaks),
        cmocka_unit_test(too_many_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
