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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
