/* varaq serve: an HTTP front to the engine (libmicrohttpd).
 *
 *   POST /render/{template}[?format=png&page=N&dpi=N]  JSON body → PDF or PNG
 *   GET  /templates   GET /healthz   GET /metrics (Prometheus text)
 *
 * Each connection has its own thread (libmicrohttpd's thread per
 * connection); renders take one of -j engines from a pool, so at most -j
 * documents are drawn at once and fonts are loaded once per engine. Nothing
 * is kept between requests: replicas behind a load balancer scale it out.
 *
 * Limits, each with its own status: a body over --max-body is 413; more
 * than --max-requests requests in the house is 503 (Retry-After); a request
 * that waited or rendered longer than --timeout is 503 (waiting) or 504
 * (rendering: the render is cancelled between paragraphs and pages through
 * the engine's cancel hook). A template is a plain name found in the template folders;
 * images named by the data must lie inside the --data folder (none without
 * it). SIGTERM or Ctrl-C: /healthz turns 503, no new connection is taken,
 * requests in hand finish, then the process exits 0.
 *
 * The process that listens is a supervisor: a worker process it forks
 * serves on the shared socket and, after --recycle documents, hands over
 * to a new one (see supervise). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "cli/cli.h"
#include "cli/mhd_lazy.h"
#include "varaq/varaq.h"

static const char HELP[] =
    "Usage: varaq serve [--listen ADDR:PORT] [options]\n"
    "\n"
    "Serves renders over HTTP (default 127.0.0.1:8080; port 0 picks a free one):\n"
    "\n"
    "  POST /render/TEMPLATE     JSON body -> application/pdf\n"
    "       ?format=png&page=N&dpi=N       -> image/png of page N (default 1)\n"
    "  GET  /templates           the template names, as JSON\n"
    "  GET  /healthz             200 \"ok\" (503 while shutting down)\n"
    "  GET  /metrics             Prometheus text: requests, errors, latency,\n"
    "                            documents, pages, the process's CPU time,\n"
    "                            resident memory and heap in use\n"
    "\n"
    "Bad data answers 422 with the located errors as JSON:\n"
    "  {\"error\": {\"pointer\": \"/patient/age\", \"message\": \"expected an integer\",\n"
    "             \"line\": 14, \"column\": 12}, \"errors\": [...]}\n"
    "An unknown template is 404, a body over --max-body 413, more requests at\n"
    "once than --max-requests 503 (with Retry-After), a request not rendered\n"
    "within --timeout 503 (still waiting) or 504 (the render is stopped at\n"
    "the next paragraph or page once the limit has passed).\n"
    "\n"
    "TEMPLATE is a plain name (letters, digits, '-', '_') found in --templates\n"
    "folders or among the bundled templates; images named by the data must lie\n"
    "in the --data folder (without --data, no images). SIGTERM or Ctrl-C drains:\n"
    "/healthz answers 503, no new connection is taken, requests in hand finish,\n"
    "then varaq exits 0.\n"
    "\n"
    "Options:\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080); an IPv6\n"
    "                       address in brackets: [::1]:8080\n"
    "  -j, --jobs N         documents rendered at once (default: the number of cores)\n"
    "  --templates DIR      a folder of template folders (DIR/NAME/main.mustache),\n"
    "                       searched before the bundled ones; may be repeated\n"
    "  --data DIR           the folder images named by the data are read from\n"
    "  --max-body BYTES     the largest request body (default 1048576)\n"
    "  --max-requests N     requests accepted at once, waiting or rendering\n"
    "                       (default 64)\n"
    "  --timeout MS         the longest a request may wait and render (default 10000)\n"
    "  --recycle N          hand over to a fresh worker process after N documents\n"
    "                       (default 10000; 0: one process for ever). Cairo 1.16\n"
    "                       leaks a little memory with every document; a new\n"
    "                       process keeps the server's memory flat\n"
    "  -h, --help           show this help\n"
    "\n"
    "It reads no file from standard input and writes only its log to standard\n"
    "error.\n"
    "\n"
    "Examples:\n"
    "  varaq serve --listen 127.0.0.1:8080 &\n"
    "  curl -s --data-binary @plan.json -o plan.pdf localhost:8080/render/handout\n"
    "\n"
    "Exit status: 0 after draining (SIGTERM, Ctrl-C), 2 bad command line, 3 it\n"
    "cannot listen.\n";

enum { MAX_TEMPLATE_DIRS = 16 };

typedef struct serve_args {
    const char *listen;
    int jobs;
    const char *template_dirs[MAX_TEMPLATE_DIRS];
    int template_dir_count;
    const char *data_dir;
    size_t max_body;
    int max_requests;
    long timeout_ms;
    long recycle; /* documents a worker process renders before its successor takes over; 0 never */
} serve_args;

/* ---------- state shared by the connection threads ---------- */

static const double BUCKETS[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
enum { BUCKET_COUNT = sizeof BUCKETS / sizeof BUCKETS[0] };
static const int CODES[] = {200, 400, 404, 405, 413, 422, 500, 503, 504};
enum { CODE_COUNT = sizeof CODES / sizeof CODES[0] };

typedef struct server {
    serve_args args;
    char *bundled; /* the bundled templates folder */
    /* engine pool */
    pthread_mutex_t lock;
    vq_engine **engines; /* all made so far */
    int engine_count;
    vq_engine **idle;
    int idle_count;
    struct waiter *waiters, **waiters_tail; /* requests waiting for an engine, oldest first */
    /* requests in the house (from headers to the answer) */
    atomic_int in_flight;  /* not yet answered */
    atomic_int unfinished; /* not yet completely sent (what a drain waits for) */
    atomic_bool draining;
    atomic_bool retiring;    /* this worker process has rendered --recycle documents */
    atomic_ullong documents; /* by this worker process */
} server;

static server srv;

/* The metrics' counters, in memory the supervisor maps before it starts
 * the first worker and every worker shares: they count for the whole
 * server and go on across a hand-over (atomics: more than one worker
 * counts while one hands over). */
typedef struct tally {
    atomic_ullong requests[CODE_COUNT + 1];
    atomic_ullong latency_buckets[BUCKET_COUNT];
    atomic_ullong latency_count;
    atomic_ullong latency_ns;
    atomic_ullong documents, pages;
    atomic_ullong cancelled; /* renders stopped at --timeout */
} tally;

static tally *counts;
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "the counters are shared between processes");

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void count_request(int code, double seconds, int pages)
{
    int i = 0;
    while (i < CODE_COUNT && CODES[i] != code)
        i++;
    atomic_fetch_add(&counts->requests[i], 1);
    for (int b = 0; b < BUCKET_COUNT; b++)
        if (seconds <= BUCKETS[b])
            atomic_fetch_add(&counts->latency_buckets[b], 1);
    atomic_fetch_add(&counts->latency_count, 1);
    atomic_fetch_add(&counts->latency_ns, (unsigned long long)(seconds * 1e9));
    if (code != 200 || pages <= 0)
        return;
    atomic_fetch_add(&counts->documents, 1);
    atomic_fetch_add(&counts->pages, (unsigned long long)pages);
    if (atomic_fetch_add(&srv.documents, 1) + 1 == (unsigned long long)srv.args.recycle) {
        atomic_store(&srv.retiring, true);
        kill(getpid(), SIGUSR2); /* wakes serve_on's thread at once */
    }
}

/* A request waiting for an engine. Engines are handed to waiters in the
 * order they came (give_engine passes one straight to the oldest), so a
 * request that just arrived never takes an engine before one that has
 * waited: under load every request waits about as long as the queue in
 * front of it, not at the mercy of which thread the scheduler wakes. */
typedef struct waiter {
    pthread_cond_t handed;
    vq_engine *engine; /* set by give_engine */
    struct waiter *next;
} waiter;

/* Takes an idle engine (making one while fewer than -j exist), waiting
 * until deadline; NULL when none came free in time. */
static vq_engine *take_engine(double deadline, vq_error *err)
{
    vq_engine *vq = NULL;
    pthread_mutex_lock(&srv.lock);
    if (srv.idle_count) {
        vq = srv.idle[--srv.idle_count];
    } else if (srv.engine_count < srv.args.jobs) {
        vq = vq_engine_create(NULL, err);
        if (vq)
            srv.engines[srv.engine_count++] = vq;
    } else {
        waiter w = {.engine = NULL, .next = NULL};
        pthread_cond_init(&w.handed, NULL);
        *srv.waiters_tail = &w;
        srv.waiters_tail = &w.next;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 + (deadline - now());
        ts.tv_sec = (time_t)t;
        ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
        while (!w.engine && pthread_cond_timedwait(&w.handed, &srv.lock, &ts) != ETIMEDOUT)
            ;
        vq = w.engine;
        if (!vq) { /* timed out: leave the queue */
            waiter **p = &srv.waiters;
            while (*p != &w)
                p = &(*p)->next;
            *p = w.next;
            if (srv.waiters_tail == &w.next)
                srv.waiters_tail = p;
        }
        pthread_cond_destroy(&w.handed);
    }
    pthread_mutex_unlock(&srv.lock);
    return vq;
}

static void give_engine(vq_engine *vq)
{
    pthread_mutex_lock(&srv.lock);
    waiter *w = srv.waiters;
    if (w) {
        srv.waiters = w->next;
        if (!srv.waiters)
            srv.waiters_tail = &srv.waiters;
        w->engine = vq;
        pthread_cond_signal(&w->handed);
    } else {
        srv.idle[srv.idle_count++] = vq;
    }
    pthread_mutex_unlock(&srv.lock);
}

/* ---------- answers ---------- */

typedef struct request {
    double start;
    double deadline; /* start + --timeout: waiting stops, the render is cancelled */
    bool counted;    /* in srv.in_flight */
    bool too_large;  /* the body went over --max-body: answered 413 */
    vq_buf body;
    /* located errors of the render (each schema violation) */
    json_t *errors;
} request;

static enum MHD_Result answer(struct MHD_Connection *c, request *r, int code, const char *type,
                              void *data, size_t len, int pages)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, data, data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, "Content-Type", type);
    if (code == 503)
        MHD_add_response_header(resp, "Retry-After", "1");
    if (code == 405)
        MHD_add_response_header(resp, "Allow", "GET, POST");
    count_request(code, now() - r->start, pages);
    if (atomic_load(&srv.retiring)) /* the client's next request goes to the successor */
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)code, resp);
    MHD_destroy_response(resp);
    /* Answered: no longer in flight (the connection may linger a little). */
    if (r->counted) {
        r->counted = false;
        atomic_fetch_sub(&srv.in_flight, 1);
    }
    return ok;
}

static enum MHD_Result answer_text(struct MHD_Connection *c, request *r, int code, const char *text)
{
    return answer(c, r, code, "text/plain; charset=utf-8", vq_xstrdup(text), strlen(text), 0);
}

/* {"error": {"message": ..., ["pointer", "line", "column"]}, "errors": [...]} */
static json_t *error_object(const vq_error *e)
{
    json_t *o = json_object();
    const char *msg = e->message;
    const char *colon = msg[0] == '/' ? strstr(msg, ": ") : NULL;
    if (colon) {
        json_object_set_new(o, "pointer", json_stringn(msg, (size_t)(colon - msg)));
        msg = colon + 2;
    }
    json_object_set_new(o, "message", json_string(msg));
    if (e->line > 0) {
        json_object_set_new(o, "line", json_integer(e->line));
        if (e->column > 0)
            json_object_set_new(o, "column", json_integer(e->column));
    }
    return o;
}

static enum MHD_Result answer_error(struct MHD_Connection *c, request *r, int code,
                                    const vq_error *e)
{
    json_t *root = json_object();
    json_t *errors = r->errors && json_array_size(r->errors) ? json_incref(r->errors) : NULL;
    json_object_set_new(root, "error",
                        errors ? json_deep_copy(json_array_get(errors, 0)) : error_object(e));
    if (errors)
        json_object_set_new(root, "errors", errors);
    char *text = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(root);
    size_t len = strlen(text);
    /* json_dumps allocates with malloc (jansson's default), freed by MHD. */
    char *copy = vq_xmalloc(len + 1);
    memcpy(copy, text, len + 1);
    free(text);
    return answer(c, r, code, "application/json", copy, len, 0);
}

static enum MHD_Result answer_message(struct MHD_Connection *c, request *r, int code,
                                      const char *message)
{
    vq_error e;
    vq_error_set(&e, code == 500 ? VQ_ERR_IO : VQ_ERR_USAGE, NULL, 0, 0, "%s", message);
    return answer_error(c, r, code, &e);
}

static enum MHD_Result answer_too_large(struct MHD_Connection *c, request *r)
{
    char msg[96];
    snprintf(msg, sizeof msg, "the body is larger than %zu bytes", srv.args.max_body);
    return answer_message(c, r, 413, msg);
}

/* ---------- templates ---------- */

static bool plain_name(const char *s)
{
    if (!*s || strlen(s) > 100)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

/* DIR/NAME/main.mustache from the first template folder holding it. */
static char *find_template(const char *name)
{
    if (!plain_name(name) || strcmp(name, "common") == 0)
        return NULL;
    for (int i = 0; i <= srv.args.template_dir_count; i++) {
        const char *dir = i < srv.args.template_dir_count ? srv.args.template_dirs[i] : srv.bundled;
        if (!dir)
            continue;
        vq_buf p = VQ_BUF_INIT;
        vq_buf_printf(&p, "%s/%s/main.mustache", dir, name);
        if (vq_path_exists(p.data))
            return vq_buf_steal(&p);
        vq_buf_free(&p);
    }
    return NULL;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static enum MHD_Result list_templates(struct MHD_Connection *c, request *r)
{
    json_t *names = json_array();
    for (int i = 0; i <= srv.args.template_dir_count; i++) {
        const char *dir = i < srv.args.template_dir_count ? srv.args.template_dirs[i] : srv.bundled;
        DIR *d = dir ? opendir(dir) : NULL;
        if (!d)
            continue;
        for (struct dirent *e; (e = readdir(d));) {
            char *path = find_template(e->d_name);
            bool dup = false;
            for (size_t k = 0; k < json_array_size(names); k++)
                dup |= strcmp(json_string_value(json_array_get(names, k)), e->d_name) == 0;
            if (path && !dup)
                json_array_append_new(names, json_string(e->d_name));
            free(path);
        }
        closedir(d);
    }
    size_t n = json_array_size(names);
    json_t **items = vq_xmalloc((n + 1) * sizeof *items);
    for (size_t k = 0; k < n; k++)
        items[k] = json_incref(json_array_get(names, k));
    qsort(items, n, sizeof *items, by_string);
    json_array_clear(names);
    for (size_t k = 0; k < n; k++)
        json_array_append_new(names, items[k]);
    free(items);
    json_t *root = json_pack("{s:o}", "templates", names);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    size_t len = strlen(text);
    char *copy = vq_xmalloc(len + 2);
    memcpy(copy, text, len);
    copy[len] = '\n';
    free(text);
    return answer(c, r, 200, "application/json", copy, len + 1, 0);
}

/* ---------- metrics ---------- */

/* The process's CPU time and memory, under the names Prometheus clients
 * use, and the heap in use (glibc): RSS also counts memory malloc keeps
 * for reuse, the heap only what is allocated now, so a leak shows there. */
static void process_metrics(vq_buf *b)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    vq_buf_printf(b,
                  "# HELP process_cpu_seconds_total User and system CPU time.\n"
                  "# TYPE process_cpu_seconds_total counter\n"
                  "process_cpu_seconds_total %.3f\n",
                  cpu);
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%*s %ld", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    if (pages > 0)
        vq_buf_printf(b,
                      "# HELP process_resident_memory_bytes Resident memory.\n"
                      "# TYPE process_resident_memory_bytes gauge\n"
                      "process_resident_memory_bytes %lld\n",
                      (long long)pages * sysconf(_SC_PAGESIZE));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 mi = mallinfo2();
    vq_buf_printf(b,
                  "# HELP varaq_heap_in_use_bytes Memory allocated with malloc and not freed.\n"
                  "# TYPE varaq_heap_in_use_bytes gauge\n"
                  "varaq_heap_in_use_bytes %zu\n",
                  mi.uordblks + mi.hblkhd);
#endif
}

static enum MHD_Result metrics(struct MHD_Connection *c, request *r)
{
    vq_buf b = VQ_BUF_INIT;
    vq_buf_append_str(&b, "# HELP varaq_requests_total HTTP requests answered, by status.\n"
                          "# TYPE varaq_requests_total counter\n");
    unsigned long long errors = 0;
    for (int i = 0; i <= CODE_COUNT; i++) {
        unsigned long long n = atomic_load(&counts->requests[i]);
        if (i < CODE_COUNT)
            vq_buf_printf(&b, "varaq_requests_total{code=\"%d\"} %llu\n", CODES[i], n);
        else if (n)
            vq_buf_printf(&b, "varaq_requests_total{code=\"other\"} %llu\n", n);
        if (i == CODE_COUNT || CODES[i] >= 400)
            errors += n;
    }
    vq_buf_printf(&b,
                  "# HELP varaq_errors_total HTTP requests answered with an error status.\n"
                  "# TYPE varaq_errors_total counter\n"
                  "varaq_errors_total %llu\n",
                  errors);
    vq_buf_append_str(&b, "# HELP varaq_request_duration_seconds Time from the request's "
                          "headers to its answer.\n"
                          "# TYPE varaq_request_duration_seconds histogram\n");
    for (int i = 0; i < BUCKET_COUNT; i++)
        vq_buf_printf(&b, "varaq_request_duration_seconds_bucket{le=\"%g\"} %llu\n", BUCKETS[i],
                      atomic_load(&counts->latency_buckets[i]));
    vq_buf_printf(&b,
                  "varaq_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                  "varaq_request_duration_seconds_sum %.6f\n"
                  "varaq_request_duration_seconds_count %llu\n",
                  atomic_load(&counts->latency_count),
                  (double)atomic_load(&counts->latency_ns) / 1e9,
                  atomic_load(&counts->latency_count));
    vq_buf_printf(&b,
                  "# HELP varaq_documents_total Documents rendered.\n"
                  "# TYPE varaq_documents_total counter\n"
                  "varaq_documents_total %llu\n"
                  "# HELP varaq_pages_total Pages rendered.\n"
                  "# TYPE varaq_pages_total counter\n"
                  "varaq_pages_total %llu\n"
                  "# HELP varaq_renders_cancelled_total Renders stopped at --timeout.\n"
                  "# TYPE varaq_renders_cancelled_total counter\n"
                  "varaq_renders_cancelled_total %llu\n"
                  "# HELP varaq_requests_in_flight Requests being answered now.\n"
                  "# TYPE varaq_requests_in_flight gauge\n"
                  "varaq_requests_in_flight %d\n",
                  atomic_load(&counts->documents), atomic_load(&counts->pages),
                  atomic_load(&counts->cancelled), atomic_load(&srv.in_flight));
    process_metrics(&b);
    size_t len = b.len;
    return answer(c, r, 200, "text/plain; version=0.0.4; charset=utf-8", vq_buf_steal(&b), len, 0);
}

/* ---------- rendering ---------- */

static void keep_error(const vq_error *e, void *user)
{
    request *r = user;
    if (!r->errors)
        r->errors = json_array();
    if (json_array_size(r->errors) < 100)
        json_array_append_new(r->errors, error_object(e));
}

static void drop_warning(const char *file, int line, int column, const char *message, void *user)
{
    /* Warnings (an unknown field) do not fail a request; the server's log
     * is not the client's business. */
    (void)file, (void)line, (void)column, (void)message, (void)user;
}

/* The render's cancel hook: past the request's time limit. */
static int past_deadline(void *user)
{
    const request *r = user;
    return now() > r->deadline;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static enum MHD_Result render(struct MHD_Connection *c, request *r, const char *name)
{
    char *path = find_template(name);
    if (!path)
        return answer_message(c, r, 404, "no such template");
    vq_render_options opts = {.format = VQ_OUTPUT_PDF,
                              .strict = true,
                              .report = keep_error,
                              .warning = drop_warning,
                              .cancel = past_deadline,
                              .user = r,
                              /* Without --data, a folder that cannot exist:
                                 no image is inside it. */
                              .image_root = srv.args.data_dir ? srv.args.data_dir
                                                              : "/nonexistent/varaq-no-images"};
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    const char *page = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
    const char *dpi = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "dpi");
    long v;
    if (format && strcmp(format, "png") == 0) {
        opts.format = VQ_OUTPUT_PNG;
        opts.page = 1;
        opts.dpi = 96;
        if (page) {
            if (!parse_int(page, 1, 100000, &v)) {
                free(path);
                return answer_message(c, r, 400, "page must be a number from 1");
            }
            opts.page = (int)v;
        }
        if (dpi) {
            if (!parse_int(dpi, 10, 600, &v)) {
                free(path);
                return answer_message(c, r, 400, "dpi must be a number from 10 to 600");
            }
            opts.dpi = (double)v;
        }
    } else if (format && strcmp(format, "pdf") != 0) {
        free(path);
        return answer_message(c, r, 400, "format must be pdf or png");
    }
    vq_error err;
    vq_error_clear(&err);
    vq_engine *vq = take_engine(r->deadline, &err);
    if (!vq) {
        free(path);
        if (err.status != VQ_OK)
            return answer_error(c, r, 500, &err);
        return answer_message(c, r, 503, "every worker stayed busy past the time limit");
    }
    /* Image paths in the data are relative to the data folder. */
    char *data_name = vq_path_join(srv.args.data_dir ? srv.args.data_dir : ".", "request.json");
    vq_record rec = {
        .json = r->body.data ? r->body.data : "", .len = r->body.len, .name = data_name};
    void *out = NULL;
    size_t len = 0;
    vq_status s = vq_engine_render_record_to_memory(vq, path, &rec, &opts, &out, &len, &err);
    int pages = vq_engine_page_count(vq);
    give_engine(vq);
    free(path);
    if (s == VQ_ERR_CANCELLED)
        atomic_fetch_add(&counts->cancelled, 1);
    if (s == VQ_ERR_CANCELLED || (s == VQ_OK && now() > r->deadline)) {
        free(out);
        free(data_name);
        return answer_message(c, r, 504, "the render took longer than the time limit");
    }
    /* Data errors name the data, not a file on the server: "(data at 1:744)"
     * is a place in the request's body. */
    if (strcmp(err.file, data_name) == 0)
        err.file[0] = '\0';
    static const char DATA_AT[] = " (data at ";
    vq_buf at = VQ_BUF_INIT;
    vq_buf_printf(&at, "%s%s:", DATA_AT, data_name);
    char *place = strstr(err.message, at.data);
    if (place) {
        char *rest = place + at.len;
        memmove(place + strlen(DATA_AT), rest, strlen(rest) + 1);
    }
    vq_buf_free(&at);
    free(data_name);
    if (s == VQ_OK)
        return answer(c, r, 200, opts.format == VQ_OUTPUT_PNG ? "image/png" : "application/pdf",
                      out, len, pages);
    int code = s == VQ_ERR_INPUT ? 422 : s == VQ_ERR_USAGE ? 400 : 500;
    return answer_error(c, r, code, &err);
}

/* ---------- the request handler ---------- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)cls, (void)version;
    request *r = *con_cls;
    if (!r) {
        r = vq_xcalloc(1, sizeof *r);
        r->start = now();
        r->deadline = r->start + (double)srv.args.timeout_ms / 1000.0;
        *con_cls = r;
        r->counted = true;
        atomic_fetch_add(&srv.unfinished, 1);
        int n = atomic_fetch_add(&srv.in_flight, 1) + 1;
        bool post = strcmp(method, "POST") == 0;
        if (post && n > srv.args.max_requests)
            return answer_message(c, r, 503, "too many requests at once");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        long v;
        if (post && cl && parse_int(cl, 0, 0x7fffffffL, &v) && (size_t)v > srv.args.max_body) {
            /* Answered before the body is read; the connection closes. */
            r->too_large = true;
            return answer_too_large(c, r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large && r->body.len + *upload_size > srv.args.max_body)
            r->too_large = true;
        if (!r->too_large)
            vq_buf_append(&r->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    if (strncmp(url, "/render/", 8) == 0) {
        if (!post)
            return answer_message(c, r, 405, "use POST with a JSON body");
        if (r->too_large)
            return answer_too_large(c, r);
        return render(c, r, url + 8);
    }
    if (strcmp(url, "/healthz") == 0 || strcmp(url, "/templates") == 0 ||
        strcmp(url, "/metrics") == 0) {
        if (!get)
            return answer_message(c, r, 405, "use GET");
        if (url[1] == 'h')
            return atomic_load(&srv.draining) ? answer_text(c, r, 503, "shutting down\n")
                                              : answer_text(c, r, 200, "ok\n");
        return url[1] == 't' ? list_templates(c, r) : metrics(c, r);
    }
    return answer_message(c, r, 404,
                          "no such path (try /render/TEMPLATE, /templates, "
                          "/healthz or /metrics)");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    request *r = *con_cls;
    if (!r)
        return;
    if (r->counted)
        atomic_fetch_sub(&srv.in_flight, 1);
    atomic_fetch_sub(&srv.unfinished, 1);
    vq_buf_free(&r->body);
    json_decref(r->errors);
    free(r);
    *con_cls = NULL;
}

/* ---------- start, drain, stop ---------- */

/* ADDR:PORT with a numeric IPv4 address, [IPv6]:PORT, or :PORT / PORT
 * (127.0.0.1). Fills addr; the address family is addr->ss_family. */
static int parse_listen(const char *s, struct sockaddr_storage *addr)
{
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    const char *port = s;
    bool v6 = s[0] == '[';
    const char *colon = v6 ? strchr(s, ']') : strrchr(s, ':');
    if (v6 && (!colon || colon[1] != ':'))
        return -1;
    if (v6)
        colon++;
    if (colon) {
        const char *start = v6 ? s + 1 : s;
        size_t n = (size_t)(colon - start) - (v6 ? 1 : 0);
        if (n >= sizeof host || (v6 && n == 0))
            return -1;
        if (n) {
            memcpy(host, start, n);
            host[n] = '\0';
        }
        port = colon + 1;
    }
    long p;
    memset(addr, 0, sizeof *addr);
    if (!parse_int(port, 0, 65535, &p))
        return -1;
    if (v6) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)p);
        return inet_pton(AF_INET6, host, &a6->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)p);
    return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? 0 : -1;
}

static int parse_args(int argc, char **argv, serve_args *a)
{
    memset(a, 0, sizeof *a);
    a->listen = "127.0.0.1:8080";
    a->max_body = 1 << 20;
    a->max_requests = 64;
    a->timeout_ms = 10000;
    a->recycle = 10000;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(HELP, stdout);
            return 0;
        } else if (strcmp(s, "--listen") == 0) {
            if (!v)
                return vq_cli_usage("serve", "--listen needs ADDR:PORT");
            a->listen = v;
            i++;
        } else if (strcmp(s, "-j") == 0 || strcmp(s, "--jobs") == 0) {
            if (!parse_int(v, 1, 256, &n))
                return vq_cli_usage("serve", "%s needs a number from 1 to 256", s);
            a->jobs = (int)n;
            i++;
        } else if (strcmp(s, "--templates") == 0) {
            if (!v || a->template_dir_count == MAX_TEMPLATE_DIRS)
                return vq_cli_usage("serve", "--templates needs a folder (at most %d)",
                                    MAX_TEMPLATE_DIRS);
            a->template_dirs[a->template_dir_count++] = v;
            i++;
        } else if (strcmp(s, "--data") == 0) {
            if (!v)
                return vq_cli_usage("serve", "--data needs a folder");
            a->data_dir = v;
            i++;
        } else if (strcmp(s, "--max-body") == 0) {
            if (!parse_int(v, 1, 1L << 30, &n))
                return vq_cli_usage("serve", "--max-body needs a number of bytes");
            a->max_body = (size_t)n;
            i++;
        } else if (strcmp(s, "--max-requests") == 0) {
            if (!parse_int(v, 1, 100000, &n))
                return vq_cli_usage("serve", "--max-requests needs a number from 1");
            a->max_requests = (int)n;
            i++;
        } else if (strcmp(s, "--recycle") == 0) {
            if (!parse_int(v, 0, 1000000000L, &n))
                return vq_cli_usage("serve", "--recycle needs a number of documents (0: never)");
            a->recycle = n;
            i++;
        } else if (strcmp(s, "--timeout") == 0) {
            if (!parse_int(v, 1, 3600000, &n))
                return vq_cli_usage("serve", "--timeout needs milliseconds");
            a->timeout_ms = n;
            i++;
        } else if (s[0] == '-') {
            return vq_cli_usage("serve", "unknown option '%s'", s);
        } else {
            return vq_cli_usage("serve", "unexpected argument '%s'", s);
        }
    }
    return -1;
}

/* The listening socket, made here rather than by libmicrohttpd so that
 * worker processes can take turns on it (see supervise); -1 and errno when
 * it cannot be had. */
static MHD_socket open_listener(const struct sockaddr_storage *addr)
{
    bool v6 = addr->ss_family == AF_INET6;
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (v6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (bind(fd, (const struct sockaddr *)addr, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Serves on listener until SIGTERM or Ctrl-C, then drains: /healthz turns
 * 503, no new connection is taken, requests in hand finish. A worker
 * process (supervisor > 0) also stops once it has rendered --recycle
 * documents: it asks the supervisor for its successor (SIGUSR1), stops
 * taking connections and answers each open one's next request with
 * "Connection: close", so the clients move to the successor. */
static int serve_on(MHD_socket listener, bool v6, pid_t supervisor)
{
    const serve_args *a = &srv.args;
#ifdef M_ARENA_MAX
    /* glibc gives each new thread (a connection here) a malloc arena of its
     * own, up to 8 per core, and each keeps the memory of the renders it
     * saw: 45-48 MiB anonymous memory against 18-19 MiB with one arena per
     * engine and one for the connections (measured over 2,500 requests on
     * new connections). MALLOC_ARENA_MAX still decides when set. */
    if (!getenv("MALLOC_ARENA_MAX"))
        mallopt(M_ARENA_MAX, a->jobs + 1);
#endif
    pthread_mutex_init(&srv.lock, NULL);
    srv.waiters_tail = &srv.waiters;
    srv.engines = vq_xcalloc((size_t)a->jobs, sizeof *srv.engines);
    srv.idle = vq_xcalloc((size_t)a->jobs, sizeof *srv.idle);

    /* Threads started from here inherit the blocked signals; this thread
     * waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGUSR2); /* retiring (count_request) */
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
            MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, handle, NULL, MHD_OPTION_LISTEN_SOCKET, listener,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(a->max_requests * 4 + 16), MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "varaq serve: error: cannot listen on %s: %s\n", a->listen,
                strerror(errno ? errno : EADDRINUSE));
        return VQ_ERR_IO;
    }

    int sig = 0;
    for (;;) {
        int got = 0;
        sigwait(&stop, &got);
        if (got == SIGINT || got == SIGTERM) {
            sig = got;
            break;
        }
        if (supervisor > 0 && atomic_load(&srv.retiring))
            break;
    }
    if (sig)
        atomic_store(&srv.draining, true); /* readiness fails only when stopping */
    else
        kill(supervisor, SIGUSR1);
    /* Closed only after MHD_stop_daemon (libmicrohttpd's rule); the
     * supervisor and the successor keep their own descriptors. */
    MHD_socket own = MHD_quiesce_daemon(d);
    double until = now() + (double)a->timeout_ms / 1000.0 + 1;
    for (;;) {
        const union MHD_DaemonInfo *open =
            sig ? NULL : MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if ((atomic_load(&srv.unfinished) == 0 && (!open || open->num_connections == 0)) ||
            now() >= until)
            break;
        struct timespec t = {0, 10 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    int left = atomic_load(&srv.unfinished);
    MHD_stop_daemon(d);
    if (own != MHD_INVALID_SOCKET)
        close(own);
    for (int i = 0; i < srv.engine_count; i++)
        vq_engine_destroy(srv.engines[i]);
    free(srv.engines);
    free(srv.idle);
    unsigned long long total = 0;
    for (int i = 0; i <= CODE_COUNT; i++)
        total += atomic_load(&counts->requests[i]);
    if (!sig)
        fprintf(stderr, "varaq serve: worker %d handed over after %llu documents\n", (int)getpid(),
                atomic_load(&srv.documents));
    else
        fprintf(stderr, "varaq serve: %s: stopped after %llu requests (%llu documents)%s\n",
                sig == SIGINT ? "Ctrl-C" : "SIGTERM", total, atomic_load(&counts->documents),
                left ? ", some requests were cut off at the time limit" : "");
    return 0;
}

static void on_child(int sig)
{
    (void)sig; /* only so that SIGCHLD is delivered to sigwaitinfo */
}

enum { MAX_WORKERS = 16 };

/* The supervisor: one worker process serves at a time, on the socket they
 * share; a worker that has rendered --recycle documents asks for its
 * successor and leaves once its connections have closed. Cairo 1.16 leaks
 * 24 bytes for each CID-keyed font it embeds in a document (the FDArray
 * index read in cairo_cff_font_read_cid_fontdict is never freed), which no
 * call of its API gives back: a process that lives for ever grows by
 * 64 bytes a document. SIGTERM or Ctrl-C is passed on to every worker;
 * the supervisor exits once they have drained. */
static int supervise(MHD_socket listener, bool v6)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct sigaction sa = {0};
    sa.sa_handler = on_child;
    sa.sa_flags = SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);

    pid_t workers[MAX_WORKERS];
    int live = 0, status = 0;
    pid_t current = -1;
    bool stopping = false, told = false; /* told: the workers were sent SIGTERM */
    for (;;) {
        if (!stopping && current < 0 && live < MAX_WORKERS) {
            pid_t pid = fork();
            if (pid == 0) {
                sigset_t child;
                sigemptyset(&child);
                sigaddset(&child, SIGCHLD);
                sigaddset(&child, SIGUSR1);
                sigprocmask(SIG_UNBLOCK, &child, NULL);
                exit(serve_on(listener, v6, getppid()));
            }
            if (pid < 0) {
                fprintf(stderr, "varaq serve: error: cannot start a worker: %s\n", strerror(errno));
                status = VQ_ERR_IO;
                stopping = true;
            } else {
                workers[live++] = current = pid;
            }
        }
        if (stopping && !told) {
            for (int i = 0; i < live; i++)
                kill(workers[i], SIGTERM);
            told = true;
        }
        if (stopping && live == 0)
            break;
        siginfo_t info;
        int sig = sigwaitinfo(&set, &info);
        if (sig == SIGUSR1 && info.si_pid == current) {
            current = -1; /* retiring: a successor starts above */
        } else if (sig == SIGINT || sig == SIGTERM) {
            stopping = true;
        } else if (sig == SIGCHLD) {
            int st;
            pid_t pid;
            while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
                for (int i = 0; i < live; i++)
                    if (workers[i] == pid)
                        workers[i--] = workers[--live];
                if (pid != current)
                    continue; /* a retired worker, drained */
                current = -1;
                if (WIFSIGNALED(st)) {
                    fprintf(stderr, "varaq serve: worker %d ended by signal %d; starting another\n",
                            (int)pid, WTERMSIG(st));
                    sleep(1);
                } else if (!stopping) {
                    /* Stopped on its own (it could not start, or was sent
                     * SIGTERM itself): so does the whole server. */
                    status = WEXITSTATUS(st);
                    stopping = true;
                }
            }
        }
    }
    return status;
}

static int run(int argc, char **argv)
{
    serve_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    struct sockaddr_storage addr;
    if (parse_listen(a.listen, &addr) != 0)
        return vq_cli_usage("serve",
                            "--listen needs ADDR:PORT with a numeric address, such as "
                            "127.0.0.1:8080 or [::1]:8080 (%s)",
                            a.listen);
    bool v6 = addr.ss_family == AF_INET6;
    for (int i = 0; i < a.template_dir_count; i++) {
        struct stat st;
        if (stat(a.template_dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
            return vq_cli_usage("serve", "--templates %s is not a folder", a.template_dirs[i]);
    }
    if (a.data_dir) {
        struct stat st;
        if (stat(a.data_dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return vq_cli_usage("serve", "--data %s is not a folder", a.data_dir);
    }
    if (!a.jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        a.jobs = n < 1 ? 1 : n > 64 ? 64 : (int)n;
    }
    srv.args = a;
    char *data = vq_cli_data_dir();
    srv.bundled = vq_path_join(data, "templates");
    free(data);

    counts = mmap(NULL, sizeof *counts, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counts == MAP_FAILED) {
        fprintf(stderr, "varaq serve: error: %s\n", strerror(errno));
        free(srv.bundled);
        return VQ_ERR_IO;
    }
    MHD_socket listener = open_listener(&addr);
    if (listener < 0) {
        fprintf(stderr, "varaq serve: error: cannot listen on %s: %s\n", a.listen, strerror(errno));
        free(srv.bundled);
        return VQ_ERR_IO;
    }
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    getsockname(listener, (struct sockaddr *)&bound, &len);
    char host[INET6_ADDRSTRLEN];
    unsigned port;
    if (v6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&bound)->sin6_addr, host, sizeof host);
        port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&bound)->sin_addr, host, sizeof host);
        port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
    }
    fprintf(stderr, "varaq serve: listening on http://%s%s%s:%u/ (%d worker%s)\n", v6 ? "[" : "",
            host, v6 ? "]" : "", port, a.jobs, a.jobs == 1 ? "" : "s");
    rc = a.recycle ? supervise(listener, v6) : serve_on(listener, v6, 0);
    close(listener);
    free(srv.bundled);
    return rc;
}

const vq_command vq_cmd_serve = {"serve", "answer render requests over HTTP", HELP, run};
