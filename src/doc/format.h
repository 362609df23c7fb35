/* Numbers and dates in a language's digits, separators and calendar,
 * through ICU. Used by the markup's <number> and <date>; other modules may
 * call it for the same results (list numbers, page numbers, weekday names).
 *
 *     vq_buf out = VQ_BUF_INIT;
 *     vq_format_number(&out, "1234.5", "fa", NULL, &err);      // ۱٬۲۳۴٫۵
 *     vq_date_options o = {.calendar = VQ_CALENDAR_PERSIAN, .style = VQ_DATE_LONG};
 *     vq_format_date(&out, "2017-11-11", "fa", &o, &err);       // ۲۰ آبان ۱۳۹۶
 *
 * Results are appended to out. On failure nothing is appended and err holds
 * a message without a location (the caller knows where the value came from). */
#ifndef VQ_DOC_FORMAT_H
#define VQ_DOC_FORMAT_H

#include <stdbool.h>

#include "base/buf.h"
#include "text/style.h"
#include "varaq/error.h"

typedef struct vq_number_options {
    vq_digits digits; /* AS_WRITTEN = the language's own digits */
    int decimals;     /* exact digits after the point; -1 = as written */
    bool no_grouping; /* no thousands separators */
} vq_number_options;

/* value is a decimal number as JSON writes it ("-12", "1234.5", "1e3");
 * formatted exactly (no binary rounding). options may be NULL. */
vq_status vq_format_number(vq_buf *out, const char *value, const char *lang,
                           const vq_number_options *options, vq_error *err);
/* The same for an integer (list and page numbers). */
vq_status vq_format_int(vq_buf *out, long value, const char *lang, vq_digits digits, vq_error *err);

typedef enum vq_calendar {
    VQ_CALENDAR_DEFAULT, /* persian for fa, gregorian otherwise */
    VQ_CALENDAR_PERSIAN,
    VQ_CALENDAR_GREGORIAN,
} vq_calendar;
typedef enum vq_date_style { VQ_DATE_SHORT, VQ_DATE_LONG } vq_date_style;

typedef struct vq_date_options {
    vq_calendar calendar;
    vq_date_style style;
    bool weekday;
    vq_digits digits;
} vq_date_options;

/* Parses an ISO date "YYYY-MM-DD" (Gregorian, years 1–9999, a day that
 * exists). Returns false for anything else. */
bool vq_parse_iso_date(const char *iso, int *year, int *month, int *day);

/* iso as above, shown in lang with the patterns of docs/markup.md:
 * fa short y/M/d → ۱۳۹۶/۸/۲۰, fa long d MMMM y → ۲۰ آبان ۱۳۹۶,
 * en long MMMM d, y → November 11, 2017. options may be NULL (short). */
vq_status vq_format_date(vq_buf *out, const char *iso, const char *lang,
                         const vq_date_options *options, vq_error *err);

/* iso with an explicit ICU date pattern ("EEEE" gives the weekday name). */
vq_status vq_format_date_pattern(vq_buf *out, const char *iso, const char *lang,
                                 vq_calendar calendar, vq_digits digits, const char *pattern,
                                 vq_error *err);

#endif
