/* botlist.c: the crawler-user-agents patterns as one PCRE2 regex with a mark per pattern. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "botlist.h"

#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datafile.h"
#include "json.h"
#include "lazyjit.h"
#include "readfile.h"
#include "strdup.h"

#define MAX_LIST_FILE (16u << 20)
#define NAME_MAX_LEN 40

struct lgn_botlist {
    struct lgn_lazyjit *re; /* the owner's own */
    struct lgn_lazyjit own; /* JIT-compiled when first matched */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    char **names; /* by mark number */
    size_t n, skipped;
    const struct lgn_botlist *owner; /* a shared handle: the list it reads; else NULL */
};

const char *lgn_botlist_default_path(char *buf, size_t cap)
{
    return lgn_datafile_find(LGN_BOTLIST_FILE, "deps", false, buf, cap);
}

static bool literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '-' || c == '_' || c == '/' || c == ':' || c == ';' || c == ',' || c == '!' ||
           c == '@' || c == '=' || c == '\'' || c == '"' || c == '<' || c == '>';
}

/* A family name from the pattern's own text (a public list, never the user
 * agent): its first literal run of at least four characters ("[Gg]" counts
 * as a letter), cut at separators; "other bot" when there is none. */
static void pattern_name(const char *p, char *out, size_t cap)
{
    char run[NAME_MAX_LEN + 1] = "", best[NAME_MAX_LEN + 1] = "";
    size_t rn = 0;
    for (const char *c = p;; c++) {
        char lit = 0;
        bool quantified = false;
        if (c[0] == '[' && c[1] != '\0' && c[2] != '\0' && c[3] == ']' && (c[1] ^ 0x20) == c[2] &&
            ((c[1] | 0x20) >= 'a' && (c[1] | 0x20) <= 'z')) {
            lit = c[1]; /* "[Gg]" is a letter in either case */
            c += 3;
        } else if (*c == '\\' && c[1] != '\0' &&
                   !((c[1] >= 'a' && c[1] <= 'z') || (c[1] >= 'A' && c[1] <= 'Z') ||
                     (c[1] >= '0' && c[1] <= '9'))) {
            lit = c[1];
            c++;
        } else if (*c != '\0' && *c != '^' && literal_char(*c)) {
            lit = *c;
        }
        quantified = c[0] != '\0' && (c[1] == '?' || c[1] == '*' || c[1] == '{');
        if (lit != 0 && !quantified && rn < NAME_MAX_LEN) {
            run[rn++] = lit;
            continue;
        }
        /* The run ends: keep it when it is the first good one. */
        while (rn > 0 && strchr(" /-_.:;,", run[rn - 1]) != NULL)
            rn--;
        size_t start = 0;
        while (start < rn && strchr(" /-_.:;,(", run[start]) != NULL)
            start++;
        if (rn - start >= 4 && best[0] == '\0') {
            memcpy(best, run + start, rn - start);
            best[rn - start] = '\0';
        }
        rn = 0;
        if (*c == '\0' || best[0] != '\0')
            break;
    }
    snprintf(out, cap, "%s", best[0] != '\0' ? best : "other bot");
}

/* Whether pat compiles alone (a pattern with a syntax PCRE2 does not take
 * is skipped, not the whole list). */
static bool compiles(const char *pat)
{
    int ecode;
    PCRE2_SIZE eoff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &ecode, &eoff, NULL);
    pcre2_code_free(re);
    return re != NULL;
}

static int fail(struct lgn_botlist *b, struct lgn_err *err, int code, const char *path,
                const char *what)
{
    lgn_botlist_free(b);
    return lgn_err_set(err, code, "%s: %s", path, what);
}

/* Appends text to a growing buffer. */
static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*cap ? *cap : 4096) * 2;
        while (nc < *len + n + 1)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (nb == NULL)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

struct lgn_botlist *lgn_botlist_load(const char *path, struct lgn_err *err)
{
    size_t len;
    char *text = lgn_read_file(path, MAX_LIST_FILE, &len, err);
    if (text == NULL)
        return NULL;
    struct lgn_err jerr = {0, ""};
    struct lgn_json *doc = lgn_json_parse(text, len, &jerr);
    free(text);
    struct lgn_botlist *b = calloc(1, sizeof *b);
    char *alt = NULL;
    size_t alen = 0, acap = 0;
    if (b == NULL) {
        lgn_json_free(doc);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    if (doc == NULL || doc->type != LGN_JSON_ARRAY) {
        lgn_json_free(doc);
        fail(b, err, LGN_EXIT_USAGE, path, "not a crawler-user-agents list (a JSON array)");
        return NULL;
    }
    b->names = calloc(doc->n ? doc->n : 1, sizeof *b->names);
    if (b->names == NULL)
        goto oom;
    /* (?:p0)(*MARK:0)|(?:p1)(*MARK:1)|...: the mark names the pattern. */
    for (size_t i = 0; i < doc->n; i++) {
        const char *pat = lgn_json_str(lgn_json_get(doc->items[i], "pattern"));
        if (pat == NULL || strlen(pat) != lgn_json_get(doc->items[i], "pattern")->len ||
            !compiles(pat)) {
            b->skipped++;
            continue;
        }
        char mark[32], name[NAME_MAX_LEN + 1];
        int mn = snprintf(mark, sizeof mark, ")(*MARK:%zu)", b->n);
        pattern_name(pat, name, sizeof name);
        if ((b->n > 0 && append(&alt, &alen, &acap, "|", 1) != 0) ||
            append(&alt, &alen, &acap, "(?:", 3) != 0 ||
            append(&alt, &alen, &acap, pat, strlen(pat)) != 0 ||
            append(&alt, &alen, &acap, mark, (size_t)mn) != 0 ||
            (b->names[b->n] = lgn_strdup(name)) == NULL)
            goto oom;
        b->n++;
    }
    lgn_json_free(doc);
    doc = NULL;
    if (b->n == 0) {
        free(alt);
        fail(b, err, LGN_EXIT_USAGE, path, "no usable bot pattern");
        return NULL;
    }
    int ecode;
    PCRE2_SIZE eoff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)alt, alen, 0, &ecode, &eoff, NULL);
    free(alt);
    alt = NULL;
    if (re == NULL) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ecode, msg, sizeof msg);
        fail(b, err, LGN_EXIT_USAGE, path, (const char *)msg);
        return NULL;
    }
    lgn_lazyjit_init(&b->own, re);
    b->re = &b->own;
    b->md = pcre2_match_data_create(1, NULL);
    b->mctx = pcre2_match_context_create(NULL);
    if (b->md == NULL || b->mctx == NULL)
        goto oom;
    pcre2_set_match_limit(b->mctx, 1000000);
    return b;
oom:
    lgn_json_free(doc);
    free(alt);
    lgn_botlist_free(b);
    lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    return NULL;
}

struct lgn_botlist *lgn_botlist_share(const struct lgn_botlist *b, struct lgn_err *err)
{
    struct lgn_botlist *s = calloc(1, sizeof *s);
    if (s == NULL || (s->md = pcre2_match_data_create(1, NULL)) == NULL ||
        (s->mctx = pcre2_match_context_create(NULL)) == NULL) {
        lgn_botlist_free(s);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    pcre2_set_match_limit(s->mctx, 1000000);
    s->owner = b->owner != NULL ? b->owner : b;
    s->re = b->re;
    s->names = b->names;
    s->n = b->n;
    s->skipped = b->skipped;
    return s;
}

void lgn_botlist_free(struct lgn_botlist *b)
{
    if (b == NULL)
        return;
    pcre2_match_data_free(b->md);
    pcre2_match_context_free(b->mctx);
    if (b->owner != NULL) { /* the regex and names are the owner's */
        free(b);
        return;
    }
    if (b->re != NULL)
        lgn_lazyjit_free(b->re);
    for (size_t i = 0; b->names != NULL && i < b->n; i++)
        free(b->names[i]);
    free(b->names);
    free(b);
}

size_t lgn_botlist_size(const struct lgn_botlist *b)
{
    return b->n;
}

size_t lgn_botlist_skipped(const struct lgn_botlist *b)
{
    return b->skipped;
}

const char *lgn_botlist_match(struct lgn_botlist *b, const char *s, size_t n)
{
    if (pcre2_match(lgn_lazyjit_code(b->re), (PCRE2_SPTR)s, n, 0, 0, b->md, b->mctx) < 0)
        return NULL;
    PCRE2_SPTR mark = pcre2_get_mark(b->md);
    if (mark == NULL)
        return "other bot";
    size_t i = strtoul((const char *)mark, NULL, 10);
    return i < b->n ? b->names[i] : "other bot";
}
