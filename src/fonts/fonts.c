/* Font registry: every .otf/.ttf file of the fonts folders, one
 * hb_face/hb_font per face, families matched by name, weight and slant.
 *
 * At start only each face's table directory, name and OS/2 tables are read
 * (pread); a file is mapped, once, when one of its faces is first used, so
 * bundled faces a document never uses cost no memory. */
#include "fonts/fonts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb-ot.h>
#include <unicode/uscript.h>

#include "base/io.h"
#include "base/lang.h"
#include "fonts/cidcff.h"

struct vq_face {
    char *family;
    char *path;
    int weight;
    bool italic;
    unsigned upem;
    unsigned index;
    unsigned glyph_count;
    struct font_file *file;
    /* Made on first use (face_ready) behind the const faces that callers
     * hold; owned by the face. Not thread-safe: a registry belongs to one
     * engine. */
    struct face_cache *cache;
};

struct face_cache {
    hb_face_t *hb_face; /* NULL until first use */
    hb_font_t *hb_font;
    int ascender, descender, line_gap;
    uint32_t *blanks;
    size_t blank_count;
    uint32_t *wides;       /* blank glyphs with an advance (vqwide…) */
    uint16_t *wide_widths; /* their advances, font units */
    size_t wide_count;
    uint32_t kashida_first; /* kashida composites (vqk…), after the blanks */
    size_t kashida_count;
    vq_buf cid;      /* a user's face as CID-keyed CFF (cidcff.h) */
    bool undrawable; /* a user's face that could not be converted */
};

/* A font file: its bytes once a face of it is used, mapped (only the pages
 * read become memory) or, when mapping is not possible, read. */
struct font_file {
    char *path;
    char *data;
    size_t len;
    bool mapped, failed;
    struct stat mapped_stat; /* the file mapped, for vq_face_open_draw_file */
    hb_blob_t *blob;
};

struct vq_font_registry {
    vq_face **faces;
    size_t face_count;
    struct font_file **files; /* every file with a usable face */
    size_t file_count;
    const char *persian_family; /* default for fa/ar; NULL if none */
    const char *latin_family;   /* default for everything else */
    uint32_t *missing;          /* code points already warned about */
    size_t missing_count;
};

/* Glyph names the font-conversion step gives the blank carrier glyphs it
 * adds; when a face has them, only they are used. */
static const char BLANK_PREFIX[] = "vqblank";
static const char WIDE_PREFIX[] = "vqwide";
static const char KASHIDA_PREFIX[] = "vqk";

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    return n > s && strcasecmp(name + n - s, suffix) == 0;
}

static char *name_string(hb_face_t *face, hb_ot_name_id_t id)
{
    unsigned len = hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, NULL, NULL);
    if (len == 0)
        return NULL;
    unsigned size = len + 1;
    char *s = vq_xmalloc(size);
    hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &size, s);
    return s;
}

/* The family a user asks for: the typographic family (name ID 16) when the
 * font has one, so "Vazirmatn Bold" is the Bold face of "Vazirmatn". */
static char *face_family(hb_face_t *face)
{
    char *s = name_string(face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY);
    if (!s)
        s = name_string(face, HB_OT_NAME_ID_FONT_FAMILY);
    return s;
}

/* The glyphs just before glyph `end` whose names start with prefix: the
 * first of them. */
static unsigned named_run(const struct face_cache *f, unsigned end, const char *prefix)
{
    char name[32];
    size_t len = strlen(prefix);
    while (end > 1 && hb_font_get_glyph_name(f->hb_font, end - 1, name, sizeof name) &&
           strncmp(name, prefix, len) == 0)
        end--;
    return end;
}

/* The first of the glyphs at the end whose names start with prefix, found
 * by halving (only they have such names): a font has thousands of kashida
 * composites. */
static unsigned named_tail(const struct face_cache *f, unsigned n, const char *prefix)
{
    char name[32];
    size_t len = strlen(prefix);
    unsigned lo = n > 1 ? 1 : n, hi = n;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (hb_font_get_glyph_name(f->hb_font, mid, name, sizeof name) &&
            strncmp(name, prefix, len) == 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The conversion step appends its blank glyphs, named vqblank0…, after its
 * wide ones (vqwide0…), and then its kashida composites (vqk…): look at
 * the end first (no name index needed). */
static bool find_named_blanks(struct face_cache *f)
{
    unsigned n = hb_face_get_glyph_count(f->hb_face);
    char name[32];
    unsigned kashida = named_tail(f, n, KASHIDA_PREFIX);
    f->kashida_first = kashida;
    f->kashida_count = n - kashida;
    n = kashida;
    unsigned first = named_run(f, n, BLANK_PREFIX);
    if (first == n)
        return false;
    unsigned wide = named_run(f, first, WIDE_PREFIX);
    f->wide_count = first - wide;
    f->wides = vq_xmalloc((f->wide_count ? f->wide_count : 1) * sizeof *f->wides);
    f->wide_widths = vq_xmalloc((f->wide_count ? f->wide_count : 1) * sizeof *f->wide_widths);
    for (unsigned g = wide; g < first; g++) {
        f->wides[g - wide] = g;
        f->wide_widths[g - wide] = (uint16_t)hb_font_get_glyph_h_advance(f->hb_font, g);
    }
    f->blank_count = n - first;
    f->blanks = vq_xmalloc(f->blank_count * sizeof *f->blanks);
    for (unsigned g = first; g < n; g++) {
        hb_font_get_glyph_name(f->hb_font, g, name, sizeof name);
        unsigned k = (unsigned)strtoul(name + sizeof BLANK_PREFIX - 1, NULL, 10);
        f->blanks[k < f->blank_count ? k : g - first] = g;
    }
    return true;
}

static unsigned be16(const char *p)
{
    return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

/* Weight and slant straight from the OS/2 table (usWeightClass,
 * fsSelection ITALIC or OBLIQUE), so that a face nobody uses costs no more
 * than its table directory, name and OS/2 tables. */
static void read_style(vq_face *f, hb_face_t *meta)
{
    hb_blob_t *os2 = hb_face_reference_table(meta, HB_TAG('O', 'S', '/', '2'));
    unsigned len;
    const char *d = hb_blob_get_data(os2, &len);
    f->weight = 400;
    if (len >= 64) {
        unsigned w = be16(d + 4), sel = be16(d + 62);
        if (w >= 1 && w <= 1000)
            f->weight = (int)w;
        f->italic = (sel & 0x0201) != 0;
    }
    hb_blob_destroy(os2);
}

static bool file_bytes(struct font_file *ff);

/* The shaping font, metrics and blank glyphs, made on first use. */
static struct face_cache *face_ready(const vq_face *face)
{
    struct face_cache *fc = face->cache;
    if (fc->hb_font)
        return fc;
    struct font_file *ff = face->file;
    fc->hb_face = file_bytes(ff) ? hb_face_create(ff->blob, face->index)
                                 : hb_face_reference(hb_face_get_empty());
    fc->hb_font = hb_font_create(fc->hb_face);
    hb_font_set_scale(fc->hb_font, (int)face->upem, (int)face->upem);
    hb_font_extents_t ext;
    hb_font_get_h_extents(fc->hb_font, &ext);
    fc->ascender = ext.ascender;
    fc->descender = -ext.descender;
    fc->line_gap = ext.line_gap;
    hb_font_make_immutable(fc->hb_font);
    bool named = find_named_blanks(fc);
    /* A face fonts/convert.py did not make (no named blanks) is drawn
     * through its CID-keyed conversion, with the blanks it appends:
     * TrueType and name-keyed CFF faces, which Cairo would embed as two
     * font resources, and CID-keyed ones too, so that Cairo never parses a
     * user's CFF (its subsetter reads past the end of a malformed one:
     * fuzz/corpus/font). */
    const unsigned char *data = (const unsigned char *)ff->data;
    if (!named && data && vq_cid_convert(data, ff->len, face->index, &fc->cid)) {
        unsigned n = hb_face_get_glyph_count(fc->hb_face);
        fc->wide_count = VQ_CID_WIDES;
        fc->wides = vq_xmalloc(VQ_CID_WIDES * sizeof *fc->wides);
        fc->wide_widths = vq_xmalloc(VQ_CID_WIDES * sizeof *fc->wide_widths);
        for (unsigned i = 0; i < VQ_CID_WIDES; i++) {
            fc->wides[i] = n + i;
            fc->wide_widths[i] = (uint16_t)vq_cid_wide_width(i, face->upem);
        }
        fc->blank_count = VQ_CID_BLANKS;
        fc->blanks = vq_xmalloc(VQ_CID_BLANKS * sizeof *fc->blanks);
        for (unsigned i = 0; i < VQ_CID_BLANKS; i++)
            fc->blanks[i] = n + VQ_CID_WIDES + i;
    } else if (!named) {
        fc->undrawable = true; /* Cairo must not parse its bytes instead */
    }
    return fc;
}

static void face_destroy(vq_face *f)
{
    if (!f)
        return;
    if (f->cache) {
        hb_font_destroy(f->cache->hb_font);
        hb_face_destroy(f->cache->hb_face);
        free(f->cache->blanks);
        free(f->cache->wides);
        free(f->cache->wide_widths);
        vq_buf_free(&f->cache->cid);
        free(f->cache);
    }
    free(f->family);
    free(f->path);
    free(f);
}

static bool same_style(const vq_face *a, const vq_face *b)
{
    return strcasecmp(a->family, b->family) == 0 && a->weight == b->weight &&
           a->italic == b->italic;
}

static bool add_face(vq_font_registry *reg, vq_face *f)
{
    /* The first folder searched wins: a later face of the same family and
     * style is ignored. */
    for (size_t i = 0; i < reg->face_count; i++) {
        if (same_style(reg->faces[i], f)) {
            face_destroy(f);
            return false;
        }
    }
    reg->faces = vq_xrealloc(reg->faces, (reg->face_count + 1) * sizeof *reg->faces);
    reg->faces[reg->face_count++] = f;
    return true;
}

static void file_destroy(struct font_file *ff)
{
    if (!ff)
        return;
    hb_blob_destroy(ff->blob);
    if (ff->mapped)
        munmap(ff->data, ff->len);
    else
        free(ff->data);
    free(ff->path);
    free(ff);
}

/* The file's bytes, mapped or read on first call; false (with one warning)
 * when the file cannot be read any more. */
static bool file_bytes(struct font_file *ff)
{
    if (ff->data || ff->failed)
        return ff->data != NULL;
    int fd = open(ff->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            ff->data = m;
            ff->len = (size_t)st.st_size;
            ff->mapped = true;
            ff->mapped_stat = st;
        }
    }
    if (fd >= 0)
        close(fd);
    if (!ff->data) {
        vq_error err;
        ff->data = vq_read_file(ff->path, &ff->len, &err);
        if (!ff->data) {
            vq_warn(ff->path, 0, 0, "cannot read font: %s", err.message);
            ff->failed = true;
            return false;
        }
    }
    ff->blob = hb_blob_create(ff->data, (unsigned)ff->len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    return true;
}

/* One face's table directory, for reading single tables with pread. */
typedef struct table_dir {
    int fd;
    unsigned count;
    struct {
        uint32_t tag, offset, length;
    } rec[64];
} table_dir;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool read_at(int fd, void *buf, size_t len, uint32_t offset)
{
    return pread(fd, buf, len, (off_t)offset) == (ssize_t)len;
}

static bool read_dir(int fd, uint32_t offset, table_dir *d)
{
    unsigned char head[12], rec[16];
    if (!read_at(fd, head, sizeof head, offset))
        return false;
    uint32_t version = be32(head);
    if (version != 0x00010000 && version != 0x4F54544F /* OTTO */ && version != 0x74727565)
        return false;
    unsigned n = (unsigned)head[4] << 8 | head[5];
    d->fd = fd;
    d->count = 0;
    for (unsigned i = 0; i < n && d->count < sizeof d->rec / sizeof *d->rec; i++) {
        if (!read_at(fd, rec, sizeof rec, offset + 12 + 16 * i))
            return false;
        d->rec[d->count].tag = be32(rec);
        d->rec[d->count].offset = be32(rec + 8);
        d->rec[d->count].length = be32(rec + 12);
        d->count++;
    }
    return true;
}

static void destroy_hb_face(void *face)
{
    hb_face_destroy(face);
}

static hb_blob_t *read_table(hb_face_t *face, hb_tag_t tag, void *user)
{
    (void)face;
    const table_dir *d = user;
    for (unsigned i = 0; i < d->count; i++) {
        if (d->rec[i].tag != tag)
            continue;
        uint32_t len = d->rec[i].length;
        /* Called by HarfBuzz: no jump across its frames when memory runs
         * out (base/alloc.h); a missing table instead. */
        char *buf = len > (64u << 20) ? NULL : malloc(len ? len : 1);
        if (!buf || !read_at(d->fd, buf, len, d->rec[i].offset)) {
            free(buf);
            return NULL;
        }
        return hb_blob_create(buf, len, HB_MEMORY_MODE_WRITABLE, buf, vq_free);
    }
    return NULL;
}

/* Reads the facts of every face of one file (family, weight, slant, units
 * per em) without mapping it; returns how many faces were usable. */
static size_t load_file(vq_font_registry *reg, const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        vq_warn(path, 0, 0, "cannot read font: %s", strerror(errno));
        return 0;
    }
    unsigned char head[12];
    uint32_t offsets[64];
    unsigned count = 0;
    if (read_at(fd, head, sizeof head, 0)) {
        if (be32(head) == 0x74746366 /* ttcf */) {
            count = be32(head + 8) < 64 ? be32(head + 8) : 64;
            unsigned char off[4];
            for (unsigned i = 0; i < count; i++)
                offsets[i] = read_at(fd, off, 4, 12 + 4 * i) ? be32(off) : 0;
        } else {
            count = 1;
            offsets[0] = 0;
        }
    }
    struct font_file *ff = vq_xcalloc(1, sizeof *ff);
    ff->path = vq_xstrdup(path);
    size_t loaded = 0, usable = 0;
    table_dir dir;
    for (unsigned i = 0; i < count; i++) {
        if (!read_dir(fd, offsets[i], &dir))
            continue;
        hb_face_t *meta = hb_face_create_for_tables(read_table, &dir, NULL);
        vq_heap_own(meta, destroy_hb_face); /* released if memory runs out */
        char *family = face_family(meta);
        unsigned glyphs = hb_face_get_glyph_count(meta);
        if (!family || glyphs == 0) {
            free(family);
            vq_heap_disown(meta);
            hb_face_destroy(meta);
            continue;
        }
        usable++;
        vq_face *f = vq_xcalloc(1, sizeof *f);
        f->cache = vq_xcalloc(1, sizeof *f->cache);
        f->family = family;
        f->path = vq_xstrdup(path);
        f->index = i;
        f->file = ff;
        f->glyph_count = glyphs;
        f->upem = hb_face_get_upem(meta);
        read_style(f, meta);
        vq_heap_disown(meta);
        hb_face_destroy(meta);
        if (add_face(reg, f))
            loaded++;
    }
    close(fd);
    if (loaded == 0) { /* unreadable, or only faces already known */
        if (usable == 0)
            vq_warn(path, 0, 0, "not a usable font file");
        file_destroy(ff);
        return 0;
    }
    reg->files = vq_xrealloc(reg->files, (reg->file_count + 1) * sizeof *reg->files);
    reg->files[reg->file_count++] = ff;
    return loaded;
}

static void close_dir(void *d)
{
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads the font files of dir in name order (so the result never depends
 * on the order the file system lists them). */
static void load_dir(vq_font_registry *reg, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    vq_heap_own(d, close_dir); /* released if memory runs out */
    /* A font added, replaced or removed here changes the registry (varaq
     * watch renders again). */
    static const char *const kinds[] = {"*.otf", "*.ttf"};
    for (size_t i = 0; i < 2; i++) {
        char *pattern = vq_path_join(dir, kinds[i]);
        vq_observe_path(pattern);
        free(pattern);
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' ||
            !(has_suffix(e->d_name, ".otf") || has_suffix(e->d_name, ".ttf")))
            continue;
        names = vq_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = vq_xstrdup(e->d_name);
    }
    vq_heap_disown(d);
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char *path = vq_path_join(dir, names[i]);
        load_file(reg, path);
        free(path);
        free(names[i]);
    }
    free(names);
}

static const vq_face *first_face_with(const vq_font_registry *reg, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < reg->face_count; i++)
        if (vq_face_has_char(reg->faces[i], a) && vq_face_has_char(reg->faces[i], b))
            return reg->faces[i];
    return NULL;
}

/* Default families: the bundled names when present, else the first face
 * that has the script's letters. */
static void choose_defaults(vq_font_registry *reg)
{
    static const char *const persian[] = {"Vazirmatn", "Scheherazade New", "Amiri"};
    static const char *const latin[] = {"Noto Serif", "Vazirmatn"};
    for (size_t i = 0; i < sizeof persian / sizeof *persian && !reg->persian_family; i++) {
        const vq_face *f = vq_font_find(reg, persian[i], 400, false);
        if (f)
            reg->persian_family = f->family;
    }
    if (!reg->persian_family) {
        const vq_face *f = first_face_with(reg, 0x06CC, 0x06A9); /* ی ک */
        if (f)
            reg->persian_family = f->family;
    }
    for (size_t i = 0; i < sizeof latin / sizeof *latin && !reg->latin_family; i++) {
        const vq_face *f = vq_font_find(reg, latin[i], 400, false);
        if (f)
            reg->latin_family = f->family;
    }
    if (!reg->latin_family) {
        const vq_face *f = first_face_with(reg, 'a', 'Z');
        reg->latin_family = f ? f->family : reg->faces[0]->family;
    }
    if (!reg->persian_family)
        reg->persian_family = reg->latin_family;
}

static vq_font_registry *finish(vq_font_registry *reg, vq_error *err, const char *where)
{
    if (reg->face_count == 0) {
        vq_font_registry_destroy(reg);
        vq_error_set(err, VQ_ERR_IO, NULL, 0, 0, "no usable font found (searched %s)", where);
        return NULL;
    }
    choose_defaults(reg);
    return reg;
}

static void destroy_owned(void *reg)
{
    vq_font_registry_destroy(reg);
}

vq_font_registry *vq_font_registry_create_from(const char *const *dirs, size_t dir_count,
                                               vq_error *err)
{
    vq_font_registry *reg = vq_xcalloc(1, sizeof *reg);
    /* Its HarfBuzz objects and mapped files are released if memory runs
     * out before it is complete (its owner then disowns it). */
    vq_heap_own(reg, destroy_owned);
    vq_buf where = VQ_BUF_INIT;
    for (size_t i = 0; i < dir_count; i++) {
        load_dir(reg, dirs[i]);
        vq_buf_printf(&where, "%s%s", i ? ", " : "", dirs[i]);
    }
    vq_font_registry *r = finish(reg, err, where.data ? where.data : "no folder");
    vq_buf_free(&where);
    return r;
}

vq_font_registry *vq_font_registry_create(const char *exe_dir, vq_error *err)
{
    return vq_font_registry_create_with(exe_dir, NULL, 0, err);
}

vq_font_registry *vq_font_registry_create_with(const char *exe_dir, const char *const *user_dirs,
                                               size_t user_dir_count, vq_error *err)
{
    /* Search order: beside the executable, the install prefix, the user's
     * folders, then $VARAQ_FONT_PATH (colon-separated). */
    for (size_t i = 0; i < user_dir_count; i++) {
        struct stat st;
        if (stat(user_dirs[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            vq_error_set(err, VQ_ERR_IO, user_dirs[i], 0, 0, "font folder: %s",
                         stat(user_dirs[i], &st) != 0 ? strerror(errno) : "not a folder");
            return NULL;
        }
    }
    char **dirs = NULL;
    size_t n = 0;
    if (exe_dir) {
        dirs = vq_xrealloc(dirs, (n + 1) * sizeof *dirs);
        dirs[n++] = vq_path_join(exe_dir, "fonts");
    }
    dirs = vq_xrealloc(dirs, (n + 1) * sizeof *dirs);
    dirs[n++] = vq_xstrdup(VQ_DATA_DIR "/fonts");
    for (size_t i = 0; i < user_dir_count; i++) {
        dirs = vq_xrealloc(dirs, (n + 1) * sizeof *dirs);
        dirs[n++] = vq_xstrdup(user_dirs[i]);
    }
    const char *env = getenv("VARAQ_FONT_PATH");
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        if (len) {
            dirs = vq_xrealloc(dirs, (n + 1) * sizeof *dirs);
            dirs[n++] = vq_xstrndup(env, len);
        }
        env = colon ? colon + 1 : NULL;
    }
    vq_font_registry *reg = vq_font_registry_create_from((const char *const *)dirs, n, err);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
    return reg;
}

void vq_font_registry_destroy(vq_font_registry *reg)
{
    if (!reg)
        return;
    vq_heap_disown(reg);
    for (size_t i = 0; i < reg->face_count; i++)
        face_destroy(reg->faces[i]);
    for (size_t i = 0; i < reg->file_count; i++)
        file_destroy(reg->files[i]);
    free(reg->faces);
    free(reg->files);
    free(reg->missing);
    free(reg);
}

const vq_face *vq_font_find(vq_font_registry *reg, const char *family, int weight, bool italic)
{
    if (!reg || !family)
        return NULL;
    const vq_face *best = NULL;
    int best_cost = 0;
    for (size_t i = 0; i < reg->face_count; i++) {
        const vq_face *f = reg->faces[i];
        if (strcasecmp(f->family, family) != 0)
            continue;
        /* Slant matters more than any weight difference; between two equally
         * distant weights the heavier wins for bold requests, as CSS does. */
        int cost = abs(f->weight - weight) * 2 + (f->italic != italic) * 10000;
        if (f->weight != weight && (weight > 500) != (f->weight > weight))
            cost += 1;
        if (!best || cost < best_cost) {
            best = f;
            best_cost = cost;
        }
    }
    return best;
}

static bool is_arabic_script(int script)
{
    return script == USCRIPT_ARABIC || script == USCRIPT_SYRIAC || script == USCRIPT_THAANA;
}

const vq_face *vq_font_fallback(vq_font_registry *reg, const vq_face *primary, uint32_t cp,
                                int script, int weight, bool italic)
{
    if (primary && vq_face_has_char(primary, cp))
        return primary;
    /* The chain: the default family of the script, the other default
     * family, then every family in registry order. */
    const char *chain[2] = {is_arabic_script(script) ? reg->persian_family : reg->latin_family,
                            is_arabic_script(script) ? reg->latin_family : reg->persian_family};
    for (size_t i = 0; i < 2; i++) {
        const vq_face *f = vq_font_find(reg, chain[i], weight, italic);
        if (f && vq_face_has_char(f, cp))
            return f;
    }
    for (size_t i = 0; i < reg->face_count; i++) {
        const vq_face *f = vq_font_find(reg, reg->faces[i]->family, weight, italic);
        if (f && vq_face_has_char(f, cp))
            return f;
    }
    return NULL;
}

bool vq_font_registry_first_missing(vq_font_registry *reg, uint32_t cp)
{
    for (size_t i = 0; i < reg->missing_count; i++)
        if (reg->missing[i] == cp)
            return false;
    reg->missing = vq_xrealloc(reg->missing, (reg->missing_count + 1) * sizeof *reg->missing);
    reg->missing[reg->missing_count++] = cp;
    return true;
}

const char *vq_font_default_family(const vq_font_registry *reg, const char *lang)
{
    if (vq_lang_is_arabic_script(lang))
        return reg->persian_family;
    return reg->latin_family;
}

static const char *style_name(const vq_face *f)
{
    if (f->weight >= 600)
        return f->italic ? "Bold Italic" : "Bold";
    return f->italic ? "Italic" : "Regular";
}

void vq_font_registry_list(const vq_font_registry *reg, vq_buf *out)
{
    for (size_t i = 0; i < reg->face_count; i++) {
        const vq_face *f = reg->faces[i];
        vq_buf_printf(out, "%s\t%s\t%d\t%s", f->family, style_name(f), f->weight, f->path);
        if (f->index)
            vq_buf_printf(out, "#%u", f->index);
        const char *role = "";
        if (f->family == reg->persian_family || strcmp(f->family, reg->persian_family) == 0)
            role = "\tdefault:fa";
        if (strcmp(f->family, reg->latin_family) == 0)
            role = strcmp(reg->latin_family, reg->persian_family) == 0 ? "\tdefault:fa,en"
                                                                       : "\tdefault:en";
        vq_buf_printf(out, "%s\n", role);
    }
}

size_t vq_font_registry_face_count(const vq_font_registry *reg)
{
    return reg->face_count;
}

const vq_face *vq_font_registry_face(const vq_font_registry *reg, size_t i)
{
    return i < reg->face_count ? reg->faces[i] : NULL;
}

const char *vq_face_family(const vq_face *face)
{
    return face->family;
}

const char *vq_face_path(const vq_face *face)
{
    return face->path;
}

int vq_face_weight(const vq_face *face)
{
    return face->weight;
}

bool vq_face_italic(const vq_face *face)
{
    return face->italic;
}

unsigned vq_face_units_per_em(const vq_face *face)
{
    return face->upem;
}

int vq_face_ascender(const vq_face *face)
{
    return face_ready(face)->ascender;
}

int vq_face_descender(const vq_face *face)
{
    return face_ready(face)->descender;
}

int vq_face_line_gap(const vq_face *face)
{
    return face_ready(face)->line_gap;
}

bool vq_face_has_char(const vq_face *face, uint32_t cp)
{
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(face_ready(face)->hb_font, cp, &g);
}

hb_font_t *vq_face_hb_font(const vq_face *face)
{
    return face_ready(face)->hb_font;
}

const void *vq_face_data(const vq_face *face, size_t *len)
{
    bool ok = file_bytes(face->file);
    if (len)
        *len = ok ? face->file->len : 0;
    return ok ? face->file->data : NULL;
}

unsigned vq_face_index(const vq_face *face)
{
    return face->index;
}

const void *vq_face_draw_data(const vq_face *face, size_t *len, unsigned *index)
{
    const struct face_cache *fc = face_ready(face);
    if (fc->cid.len) {
        *len = fc->cid.len;
        *index = 0;
        return fc->cid.data;
    }
    *index = face->index;
    if (fc->undrawable) {
        *len = 0;
        return NULL;
    }
    return vq_face_data(face, len);
}

size_t vq_face_wide_blanks(const vq_face *face, const uint32_t **gids, const uint16_t **widths)
{
    const struct face_cache *fc = face_ready(face);
    *gids = fc->wides;
    *widths = fc->wide_widths;
    return fc->wide_count;
}

int vq_face_open_draw_file(const vq_face *face)
{
    const struct face_cache *fc = face_ready(face);
    const struct font_file *ff = face->file;
    if (fc->cid.len || fc->undrawable || !file_bytes(face->file) || !ff->mapped)
        return -1;
    int fd = open(ff->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    const struct stat *m = &ff->mapped_stat;
    if (fd >= 0 && (fstat(fd, &st) != 0 || st.st_dev != m->st_dev || st.st_ino != m->st_ino ||
                    st.st_size != m->st_size || st.st_mtim.tv_sec != m->st_mtim.tv_sec ||
                    st.st_mtim.tv_nsec != m->st_mtim.tv_nsec)) {
        close(fd); /* replaced since it was mapped: read the mapping */
        fd = -1;
    }
    return fd;
}

uint32_t vq_face_kashida_composites(const vq_face *face, size_t *count)
{
    const struct face_cache *fc = face_ready(face);
    *count = fc->kashida_count;
    return fc->kashida_first;
}

const uint32_t *vq_face_blank_glyphs(const vq_face *face, size_t *count)
{
    const struct face_cache *fc = face_ready(face);
    if (count)
        *count = fc->blank_count;
    return fc->blanks;
}
