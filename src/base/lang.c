/* Languages (lang.h): one table. */
#include "base/lang.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

typedef struct lang_info {
    const char *subtag;
    bool arabic_script, rtl;
} lang_info;

static const lang_info LANGS[] = {
    {"fa", true, true},  {"ar", true, true},  {"ur", true, true}, {"ps", true, true},
    {"ckb", true, true}, {"sd", true, true},  {"ug", true, true}, {"he", false, true},
    {"yi", false, true}, {"dv", false, true},
};

size_t vq_lang_primary_len(const char *lang)
{
    return lang ? strcspn(lang, "-_") : 0;
}

static const lang_info *find(const char *lang)
{
    if (!lang)
        return NULL;
    size_t n = vq_lang_primary_len(lang);
    for (size_t i = 0; i < sizeof LANGS / sizeof LANGS[0]; i++)
        if (strlen(LANGS[i].subtag) == n && strncasecmp(lang, LANGS[i].subtag, n) == 0)
            return &LANGS[i];
    return NULL;
}

bool vq_lang_is_persian(const char *lang)
{
    const lang_info *l = find(lang);
    return l && strcmp(l->subtag, "fa") == 0;
}

bool vq_lang_is_arabic_script(const char *lang)
{
    const lang_info *l = find(lang);
    return l && l->arabic_script;
}

bool vq_lang_is_rtl(const char *lang)
{
    const lang_info *l = find(lang);
    return l && l->rtl;
}
