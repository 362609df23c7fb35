/* varaq batch: one template, many records (JSON Lines, a JSON array or a
 * folder of .json files), one PDF per record named by a pattern.
 *
 * Records are read and named up front (a bad name or a repeated one fails
 * that record, before anything is drawn); then -j workers, each a thread
 * with its own engine (vq_engine_render_batch), take records from one queue.
 * Ctrl-C or SIGTERM stops handing out records: each worker finishes the
 * document in hand (outputs are atomic), and the summary says how far the
 * batch got. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "cli/batch_records.h"
#include "cli/cli.h"
#include "data/json.h"
#include "varaq/varaq.h"

static const char HELP[] =
    "Usage: varaq batch TEMPLATE RECORDS -o PATTERN [options]\n"
    "\n"
    "Renders one PDF per record with one template: fonts are loaded and the\n"
    "template compiled once per worker.\n"
    "\n"
    "RECORDS is a JSON Lines file (one record per line), a file holding a JSON\n"
    "array of records, a folder of .json files (one record each, in name order),\n"
    "or - for JSON Lines or an array on standard input.\n"
    "\n"
    "PATTERN names each output from its record: {a.b} is the record's field\n"
    "a.b (a string or an integer), {#} the record's number (1, 2, ...):\n"
    "    -o 'out/{patient.file_number}.pdf'   -o 'handouts/{#}.pdf'\n"
    "A value holding '/' or '\\', or that is empty, '.' or '..', would leave the\n"
    "output folder and is an error; so is a name that another record already\n"
    "has. Missing folders are created.\n"
    "\n"
    "A bad record is reported at its place (records.jsonl:17:9: error:\n"
    "/patient/age: expected an integer) and the batch goes on; the summary\n"
    "counts the failures and the exit status is 1 when any record failed.\n"
    "Every output appears whole or not at all. Ctrl-C or SIGTERM lets each\n"
    "worker finish its document, writes no partial file and says how far the\n"
    "batch got (exit status 130 or 143); a second one stops at once and\n"
    "removes the files of the documents in hand. A signal ignored when the\n"
    "batch starts (nohup, a script's background job) stays ignored.\n"
    "\n"
    "Options:\n"
    "  -o, --output PATTERN  where each PDF goes (required)\n"
    "  -j, --jobs N          workers rendering at once (default: the number of\n"
    "                        cores)\n"
    "  --fail-fast           stop at the first bad record\n"
    "  --lenient, --spec, --strict, --no-schema, --untagged, --font-path DIR,\n"
    "  --root DIR, --max-pixels N\n"
    "                        as for varaq render (see varaq help render)\n"
    "  -q, --quiet           no progress line\n"
    "  -h, --help            show this help\n"
    "\n"
    "On a terminal a progress line shows records done, the rate and the time\n"
    "left; when standard error is not a terminal only errors and the summary\n"
    "are written.\n"
    "\n"
    "Examples:\n"
    "  varaq batch handout today.jsonl -o 'out/{patient.file_number}.pdf'\n"
    "  varaq batch handout cases/ -o 'out/{#}.pdf' -j 2\n"
    "\n"
    "Exit status: 0 every record written, 1 a record failed, 2 bad command\n"
    "line, 3 the records could not be read; 130 or 143 stopped by a signal.\n";

typedef struct batch_args {
    vq_cli_render_args common; /* its output is the pattern */
    const char *template_name, *records;
    int jobs;
    bool fail_fast, quiet;
} batch_args;

static int parse_args(int argc, char **argv, batch_args *a)
{
    memset(a, 0, sizeof *a);
    int inputs = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int rc;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(HELP, stdout);
            return 0;
        } else if (vq_cli_render_option("batch", "a pattern", argc, argv, &i, &a->common, &rc)) {
            if (rc >= 0)
                return rc;
        } else if (strcmp(s, "-j") == 0 || strcmp(s, "--jobs") == 0 ||
                   strncmp(s, "--jobs=", 7) == 0 || (strncmp(s, "-j", 2) == 0 && s[2])) {
            const char *v = strncmp(s, "--jobs=", 7) == 0 ? s + 7
                            : (s[1] == 'j' && s[2])       ? s + 2
                            : ++i < argc                  ? argv[i]
                                                          : NULL;
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || n < 1 || n > 256)
                return vq_cli_usage("batch", "-j needs a number of workers from 1 to 256");
            a->jobs = (int)n;
        } else if (strcmp(s, "--fail-fast") == 0) {
            a->fail_fast = true;
        } else if (strcmp(s, "--quiet") == 0 || strcmp(s, "-q") == 0) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return vq_cli_usage("batch", "unknown option '%s'", s);
        } else if (inputs == 0) {
            a->template_name = s;
            inputs++;
        } else if (inputs == 1) {
            a->records = s;
            inputs++;
        } else {
            return vq_cli_usage("batch", "too many arguments ('%s')", s);
        }
    }
    if (inputs < 2)
        return vq_cli_usage("batch", "missing %s", inputs ? "RECORDS" : "TEMPLATE and RECORDS");
    if (!a->common.output)
        return vq_cli_usage("batch", "missing -o PATTERN (such as 'out/{#}.pdf')");
    return -1;
}

/* ---------- the shared state of the workers ---------- */

static volatile sig_atomic_t stop_signal;
/* The handlers batch replaced for SIGINT and SIGTERM: the process's
 * cleanup handlers (vq_install_cleanup_handlers). */
static struct sigaction previous[2];

static struct sigaction *previous_for(int sig)
{
    return &previous[sig == SIGINT ? 0 : 1];
}

/* The first signal lets the workers finish the documents in hand; a second
 * one stops at once: the temporary files of the documents in hand are
 * removed and the signal goes to the handler batch replaced (the process's
 * cleanup, which ends the process the way the signal does). */
static void on_signal(int sig)
{
    if (stop_signal) {
        vq_remove_temp_files();
        sigaction(sig, previous_for(sig), NULL);
        /* Delivered once this handler returns, to the previous handler;
           when that was the default, the process ends here. */
        raise(sig);
        return;
    }
    stop_signal = sig;
}

/* A signal the caller ignores (nohup, a background job of a script) stays
 * ignored. */
static void catch_signal(int sig)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, NULL, previous_for(sig));
    if (previous_for(sig)->sa_handler != SIG_IGN)
        sigaction(sig, &sa, NULL);
}

static void release_signal(int sig)
{
    sigaction(sig, previous_for(sig), NULL);
}

typedef struct batch {
    pthread_mutex_t lock;
    vq_batch_records *recs;
    size_t next; /* the next record to hand out */
    size_t done, failed;
    bool stop; /* --fail-fast met a failure */
    bool fail_fast;
    bool progress;   /* a progress line on stderr (a terminal) */
    bool line_shown; /* the progress line is on screen */
    double start, last_shown;
    const char *template_name;
    const vq_cli_render_args *common;
    vq_render_options opts;
} batch;

typedef struct worker {
    batch *b;
    vq_buf violations; /* this record's located errors, one per line */
    int count;
    vq_status status;
    vq_error err; /* a worker that could not start */
} worker;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void clear_line(batch *b)
{
    if (b->line_shown) {
        fputs("\r\033[K", stderr);
        b->line_shown = false;
    }
}

static void show_progress(batch *b, bool force)
{
    double t = now();
    if (!b->progress || (!force && t - b->last_shown < 0.1))
        return;
    b->last_shown = t;
    size_t total = b->recs->count, finished = b->done + b->failed;
    double rate = t > b->start ? (double)finished / (t - b->start) : 0;
    fprintf(stderr, "\r\033[K%zu/%zu records", finished, total);
    if (b->failed)
        fprintf(stderr, ", %zu failed", b->failed);
    if (rate > 0) {
        long left = (long)((double)(total - finished) / rate + 0.5);
        fprintf(stderr, "  %.0f/s  ETA %ld:%02ld", rate, left / 60, left % 60);
    }
    b->line_shown = true;
}

static void print_error(batch *b, const vq_error *e)
{
    clear_line(b);
    vq_error_print(e, stderr);
}

static bool next_record(vq_record *rec, const char **output, void *user)
{
    worker *w = user;
    batch *b = w->b;
    bool got = false;
    pthread_mutex_lock(&b->lock);
    while (!b->stop && !stop_signal && b->next < b->recs->count) {
        vq_batch_record *r = &b->recs->items[b->next++];
        if (r->error.status != VQ_OK) {
            /* Failed while reading or naming: counted, not rendered. */
            b->failed++;
            print_error(b, &r->error);
            if (b->fail_fast)
                b->stop = true;
            continue;
        }
        *rec = r->rec;
        *output = r->output;
        got = true;
        break;
    }
    pthread_mutex_unlock(&b->lock);
    vq_buf_clear(&w->violations);
    w->count = 0;
    return got;
}

static void collect_violation(const vq_error *e, void *user)
{
    worker *w = user;
    char line[VQ_ERROR_FILE_MAX + VQ_ERROR_MESSAGE_MAX + 64];
    FILE *f = fmemopen(line, sizeof line, "w");
    if (!f)
        return;
    vq_error_print(e, f);
    fclose(f);
    line[sizeof line - 1] = '\0';
    vq_buf_append_str(&w->violations, line);
    w->count++;
}

static bool record_done(const vq_record *rec, const char *output, const vq_error *err, void *user)
{
    worker *w = user;
    batch *b = w->b;
    pthread_mutex_lock(&b->lock);
    if (err->status == VQ_OK) {
        b->done++;
    } else {
        b->failed++;
        clear_line(b);
        /* The schema's violations say more than its summary. */
        if (w->count)
            fputs(w->violations.data, stderr);
        else
            vq_error_print(err, stderr);
        if (b->fail_fast)
            b->stop = true;
    }
    show_progress(b, false);
    bool go_on = !b->stop;
    pthread_mutex_unlock(&b->lock);
    (void)rec;
    (void)output;
    return go_on;
}

static void *work(void *arg)
{
    worker *w = arg;
    batch *b = w->b;
    vq_engine *vq = vq_engine_create(NULL, &w->err);
    vq_cli_render_add_fonts(b->common, vq);
    if (!vq) {
        w->status = w->err.status;
        return NULL;
    }
    vq_render_options opts = b->opts;
    opts.report = collect_violation;
    opts.user = w;
    vq_error err;
    w->status =
        vq_engine_render_batch(vq, b->template_name, next_record, record_done, w, &opts, &err);
    vq_engine_destroy(vq);
    return NULL;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int run(int argc, char **argv)
{
    batch_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    vq_error err;
    vq_batch_records *recs = vq_batch_records_read(a.records, &err);
    if (!recs)
        return vq_cli_fail(&err);
    if (vq_batch_records_name(recs, a.common.output, &err) != VQ_OK) {
        vq_batch_records_free(recs);
        return vq_cli_usage("batch", "%s", err.message);
    }

    batch b = {.recs = recs,
               .fail_fast = a.fail_fast,
               .progress = !a.quiet && isatty(STDERR_FILENO),
               .template_name = a.template_name,
               .common = &a.common,
               .opts = {.format = VQ_OUTPUT_PDF}};
    vq_cli_render_apply(&a.common, &b.opts);
    pthread_mutex_init(&b.lock, NULL);
    b.start = b.last_shown = now();

    catch_signal(SIGINT);
    catch_signal(SIGTERM);

    int jobs = a.jobs ? a.jobs : default_jobs();
    if ((size_t)jobs > recs->count)
        jobs = recs->count ? (int)recs->count : 1;
    worker *workers = calloc((size_t)jobs, sizeof *workers);
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    int started = 0;
    for (int i = 0; i < jobs; i++) {
        workers[i].b = &b;
        if (jobs == 1) {
            work(&workers[i]);
            started = 1;
        } else if (pthread_create(&threads[i], NULL, work, &workers[i]) == 0) {
            started++;
        } else {
            break;
        }
    }
    if (jobs > 1)
        for (int i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
    release_signal(SIGINT);
    release_signal(SIGTERM);

    /* A worker that could not even start (no fonts) fails the batch. */
    int status = 0;
    for (int i = 0; i < started; i++)
        if (workers[i].status != VQ_OK && workers[i].err.status != VQ_OK) {
            clear_line(&b);
            vq_error_print(&workers[i].err, stderr);
            status = workers[i].err.status;
        }
    show_progress(&b, true);
    clear_line(&b);
    double secs = now() - b.start;
    size_t total = recs->count, finished = b.done + b.failed;
    if (stop_signal)
        fprintf(stderr,
                "varaq batch: interrupted by %s after %zu of %zu records (%zu written, %zu "
                "failed); records from %zu on were not started\n",
                stop_signal == SIGINT ? "Ctrl-C" : "SIGTERM", finished, total, b.done, b.failed,
                b.next + 1);
    else if (b.stop)
        fprintf(stderr,
                "varaq batch: stopped at the first failure (--fail-fast): %zu of %zu records "
                "written\n",
                b.done, total);
    else
        fprintf(stderr, "varaq batch: %zu of %zu records written, %zu failed (%.1f s, %.0f/s)\n",
                b.done, total, b.failed, secs, secs > 0 ? (double)finished / secs : 0.0);
    if (stop_signal)
        status = 128 + stop_signal;
    else if (!status && b.failed)
        status = VQ_ERR_INPUT;
    for (int i = 0; i < jobs; i++)
        vq_buf_free(&workers[i].violations);
    free(workers);
    free(threads);
    pthread_mutex_destroy(&b.lock);
    vq_batch_records_free(recs);
    return status;
}

const vq_command vq_cmd_batch = {"batch", "render one PDF per record of a list", HELP, run};
