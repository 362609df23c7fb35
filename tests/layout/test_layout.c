/* The layout library on small documents, counting pages without a canvas:
 * how many pages a flow takes, breaks, and the errors layout reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "layout/layout.h"
#include "markup/markup.h"
#include "render/render.h"

static vq_font_registry *fonts;

static int setup(void **state)
{
    (void)state;
    const char *dirs[] = {"fonts"};
    vq_error err;
    fonts = vq_font_registry_create_from(dirs, 1, &err);
    return fonts ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vq_font_registry_destroy(fonts);
    return 0;
}

/* Pages the markup takes, or -1 with err filled. */
static int count_pages(const char *markup, vq_error *err)
{
    vq_document *doc = vq_markup_parse(markup, strlen(markup), "t.xml", NULL, ".", err);
    if (!doc)
        return -2;
    int pages = 0;
    vq_status s = vq_layout_render(doc, fonts, NULL, &pages, err);
    vq_document_destroy(doc);
    return s == VQ_OK ? pages : -1;
}

static char *paragraphs(const char *page, int count, const char *between)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_printf(&b, "<document lang=\"en\"><page size=\"%s\" margin=\"20mm\"/>", page);
    for (int i = 0; i < count; i++) {
        vq_buf_printf(&b,
                      "<p>Paragraph %d of a flow that takes several lines at this width, so "
                      "that frames end inside paragraphs as well as between them.</p>",
                      i);
        if (between)
            vq_buf_append_str(&b, between);
    }
    vq_buf_append_str(&b, "</document>");
    return vq_buf_steal(&b);
}

static void empty_document_has_one_page(void **state)
{
    (void)state;
    vq_error err;
    assert_int_equal(count_pages("<document lang=\"en\"></document>", &err), 1);
}

static void long_flow_takes_more_pages(void **state)
{
    (void)state;
    vq_error err;
    char *few = paragraphs("A5", 3, NULL), *many = paragraphs("A5", 60, NULL);
    int a = count_pages(few, &err), b = count_pages(many, &err);
    assert_int_equal(a, 1);
    assert_true(b > 3);
    free(few);
    free(many);
}

static void page_breaks_start_pages(void **state)
{
    (void)state;
    vq_error err;
    char *doc = paragraphs("A5", 4, "<page-break/>");
    /* The last break is followed by nothing: it adds no blank page. */
    assert_int_equal(count_pages(doc, &err), 4);
    free(doc);
}

static void leading_page_break_adds_no_blank_page(void **state)
{
    (void)state;
    vq_error err;
    assert_int_equal(count_pages("<document lang=\"en\"><page-break/><p>x</p></document>", &err),
                     1);
}

static void column_break_fills_columns_then_pages(void **state)
{
    (void)state;
    vq_error err;
    const char *doc = "<document lang=\"en\"><section columns=\"2\"><p>a</p><column-break/>"
                      "<p>b</p><column-break/><p>c</p></section></document>";
    assert_int_equal(count_pages(doc, &err), 2);
}

static vq_document *one_figure(const char *src, double margin)
{
    /* A tree built by hand: the markup refuses what these tests need. */
    vq_document *doc = vq_document_create();
    vq_node *fig = vq_node_create(doc, VQ_NODE_FIGURE);
    fig->src = src;
    fig->loc.file = "t.xml";
    fig->loc.line = 3;
    fig->loc.column = 5;
    fig->style.text.size = 10;
    vq_node *sec = vq_node_create(doc, VQ_NODE_SECTION);
    vq_node_append(doc->root, sec);
    vq_node_append(sec, fig);
    doc->page = (vq_page_setup){.width = 420,
                                .height = 595,
                                .margin_top = margin,
                                .margin_right = 40,
                                .margin_bottom = margin,
                                .margin_left = 40};
    return doc;
}

static void no_room_is_an_error(void **state)
{
    (void)state;
    vq_document *doc = one_figure(NULL, 290);
    vq_error err;
    assert_int_equal(vq_layout_render(doc, fonts, NULL, NULL, &err), VQ_ERR_INPUT);
    assert_string_equal(err.message, "the page margins leave no room for text (420 x 595 pt page)");
    vq_document_destroy(doc);
}

static void missing_image_names_its_path(void **state)
{
    (void)state;
    vq_document *doc = one_figure("no/such/image.png", 40);
    vq_error err;
    int pages = 0;
    assert_int_equal(vq_layout_render(doc, fonts, NULL, &pages, &err), VQ_ERR_INPUT);
    assert_string_equal(err.file, "t.xml");
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "cannot read image 'no/such/image.png'"));
    vq_document_destroy(doc);
}

/* Paragraphs set while markup is laid out and drawn into a PDF. */
static unsigned long paragraphs_set_drawing(const char *markup, int *pages)
{
    vq_error err;
    vq_document *doc = vq_markup_parse(markup, strlen(markup), "t.xml", NULL, ".", &err);
    assert_non_null(doc);
    FILE *out = tmpfile();
    assert_non_null(out);
    vq_pdf_metadata meta = {.title = "t"};
    vq_canvas *c = vq_canvas_create_pdf_stream(out, doc->page.width, doc->page.height, &meta, &err);
    assert_non_null(c);
    unsigned long before = vq_layout_paragraphs_set();
    assert_int_equal(vq_layout_render(doc, fonts, c, pages, &err), VQ_OK);
    unsigned long set = vq_layout_paragraphs_set() - before;
    assert_int_equal(vq_canvas_finish(c, &err), VQ_OK);
    vq_canvas_destroy(c);
    fclose(out);
    vq_document_destroy(doc);
    return set;
}

/* A document: head (its opening, page and furniture), then count
 * paragraphs of a flow that fills several A5 pages. */
static char *flow_after(const char *head, int count)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_append_str(&b, head);
    for (int i = 0; i < count; i++)
        vq_buf_printf(&b,
                      "<p>Paragraph %d of a flow that takes several lines at this width, so "
                      "that frames end inside paragraphs as well as between them.</p>",
                      i);
    vq_buf_append_str(&b, "</document>");
    return vq_buf_steal(&b);
}

static char *with_footer(const char *fields, int count)
{
    vq_buf head = VQ_BUF_INIT;
    vq_buf_printf(&head,
                  "<document lang=\"en\"><page size=\"A5\" margin=\"20mm\"/>"
                  "<footer><p align=\"center\">%s</p></footer>",
                  fields);
    char *doc = flow_after(head.data, count);
    vq_buf_free(&head);
    return doc;
}

/* A footer that shows the page count costs no second layout: each
 * paragraph of the body is set once, and the footer once a page, as
 * without the count. */
static void page_count_lays_out_once(void **state)
{
    (void)state;
    char *counted = with_footer("<page-number/> / <page-count/>", 40);
    char *plain = with_footer("<page-number/>", 40);
    int pages_counted = 0, pages_plain = 0;
    unsigned long set_counted = paragraphs_set_drawing(counted, &pages_counted);
    unsigned long set_plain = paragraphs_set_drawing(plain, &pages_plain);
    assert_true(pages_counted > 3);
    assert_int_equal(pages_counted, pages_plain);
    assert_int_equal(set_plain, 40 + pages_plain);
    assert_int_equal(set_counted, 40 + pages_counted);
    free(counted);
    free(plain);
}

/* The body's text may show the last page's number (a citation line): the
 * paragraph is set with the current page's number standing in, and set
 * again once the count is known, not the whole document. */
static void last_page_number_in_body_sets_one_paragraph_again(void **state)
{
    (void)state;
    char *doc = flow_after("<document lang=\"en\"><page size=\"A5\" margin=\"20mm\" "
                           "first-number=\"173\"/><p>Pages 173-<last-page-number/>.</p>",
                           40);
    int pages = 0;
    unsigned long set = paragraphs_set_drawing(doc, &pages);
    assert_true(pages > 3);
    assert_int_equal(set, 1 + 40 + 1);
    free(doc);
}

/* Where a count cannot be set again on its own (a footnote's text), the
 * document is laid out a second time with the count known. */
static void last_page_number_in_a_note_lays_out_again(void **state)
{
    (void)state;
    char *doc = flow_after("<document lang=\"en\"><page size=\"A5\" margin=\"20mm\"/>"
                           "<p>A note<footnote>To page <last-page-number/>.</footnote>.</p>",
                           40);
    int pages = 0;
    unsigned long set = paragraphs_set_drawing(doc, &pages);
    assert_true(pages > 3);
    assert_int_equal(set, 2 * (1 + 1 + 40));
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_document_has_one_page),
        cmocka_unit_test(long_flow_takes_more_pages),
        cmocka_unit_test(page_breaks_start_pages),
        cmocka_unit_test(leading_page_break_adds_no_blank_page),
        cmocka_unit_test(column_break_fills_columns_then_pages),
        cmocka_unit_test(no_room_is_an_error),
        cmocka_unit_test(missing_image_names_its_path),
        cmocka_unit_test(page_count_lays_out_once),
        cmocka_unit_test(last_page_number_in_body_sets_one_paragraph_again),
        cmocka_unit_test(last_page_number_in_a_note_lays_out_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
