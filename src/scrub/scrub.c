/* scrub.c: applies the filter rules to URLs, query strings, referrers and free text. */
#include "scrub.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cookie.h"
#include "jsonscan.h"
#include "names.h"
#include "payload.h"
#include "record.h"
#include "url.h"
#include "userinfo.h"

/* A replacement of field bytes [start, end). A claim (a `keep` match) replaces
 * nothing but stops later rules from touching those bytes. */
struct edit {
    size_t start, end;
    size_t rep, rep_len; /* in reps */
    bool claim;
    const char *kind; /* what was found: a rule's label, "user", "address", ... */
};

/* What the name rules say about one parameter name. Names repeat heavily
 * (utm_source, page, q), so the answer is cached by name. */
struct name_hit {
    int rule;    /* first name-only rule without `when` whose name test passes, or -1 */
    int cond;    /* a `when oauth-callback` rule before it whose name test passes, or -1 */
    uint64_t nv; /* bit k: name+value rule k's name test passes */
};

#define NAME_CACHE 512
#define NAME_CACHE_LEN 46

struct name_slot {
    uint8_t len; /* 0: empty */
    char name[NAME_CACHE_LEN];
    struct name_hit hit;
};

/* What a text holds, enough to skip most rules without running them: the
 * byte classes present (see lgn_scrub.byte_class) and the digit count. */
struct features {
    uint64_t cls;
    size_t digits;
};

/* Fixed byte classes; the other bits are given out to the rules' prefilters. */
enum {
    CLS_QMARK = 1u << 0,
    CLS_HASH = 1u << 1,
    CLS_EQ = 1u << 2,
    CLS_AT = 1u << 3,
    CLS_PCT = 1u << 4,
    CLS_PLUS = 1u << 5,
    CLS_BSLASH = 1u << 6,
    CLS_HIGH = 1u << 7,  /* a byte >= 0x80 */
    CLS_FOLD = 1u << 8,  /* '&' '(' '[' '{': "&#64;", "(at)", "[dot]" may follow */
    CLS_UPPER = 1u << 9, /* 'A'-'Z': base64 of text mixes cases; most URLs do not */
    CLS_FIXED = 10
};

/* Per value rule, compact (it is checked for every URL): a text can only
 * match when it holds every class in `need` (a first byte, the required
 * byte, a one-byte `contains`), is long enough, has enough digits, and holds
 * a longer `contains` string. */
struct prefilter {
    uint64_t need;
    size_t min_len, min_digits;
    const char *contains; /* NULL, or at least 2 bytes */
    size_t contains_len;
};

/* Parameter names from a comma-separated option ("utm_*" names a prefix). */
struct name_list {
    char *buf; /* the option's text, split at commas in place */
    const char **v;
    size_t n;
};

struct param {
    size_t start, end; /* in the field */
    bool drop;
};

struct lgn_scrub {
    const struct lgn_rules *rules;
    struct lgn_rules *owned;
    struct lgn_anon *anon;
    bool drop_query;
    struct name_list keep; /* --keep-params */
    bool has_keep;
    struct name_list search; /* --search-terms drop: these parameters' values go */
    char **search_words;     /* the same names normalised as names.h splits them */
    size_t n_search_words;
    bool drop_search;
    struct name_list cookies; /* --keep-cookies */
    /* indexes into rules->v, by role, in load order */
    size_t *name_only, n_name_only;
    size_t *value, n_value;
    int *nv_bit; /* per value rule: its bit in name_hit.nv, -1 without a name pattern */
    size_t n_nv;
    uint64_t byte_class[256];
    struct prefilter *pre; /* per value rule */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    struct name_slot *names;
    /* per field */
    const char *field;
    size_t field_len;
    bool text_markers; /* "[email]" rather than "%5Bemail%5D" */
    /* Is the URL an OAuth callback (`when oauth-callback` rules apply)? Only
     * asked when such a rule names a parameter: -1 not known yet, 0, 1. */
    int oauth;
    struct lgn_span oauth_path, oauth_query; /* in the field; len 0: none */
    const char *kind; /* what the next edit replaces (lgn_scrub_find reports it) */
    bool free_text;   /* LGN_SCRUB_TEXT: "name: value" and JSON pairs too */
    bool user_agent;  /* LGN_SCRUB_UA: value rules only, e-mail ones left out */
    bool *email_rule; /* per value rule: its label is "email" */
    bool drop_param;  /* a `drop` value rule hit the current parameter */
    bool oom;
    unsigned long long replaced; /* values replaced or dropped, for the summary */
    struct edit *edits;
    size_t n_edits, cap_edits;
    char *reps;
    size_t reps_len, reps_cap;
    char *out, *prev; /* the rendered field; the one before, when scrubbed again */
    size_t out_cap, prev_cap;
    struct param *params;
    size_t cap_params;
    struct lgn_decoded dec, dec_name, dec_payload;
    unsigned char *payload; /* a decoded base64 payload */
    size_t payload_cap;
    /* The hidden addresses written back since lgn_scrub began, as written
     * (each after a length byte): the next rounds read them again and must
     * not anonymise them twice (cryptopan is not idempotent).
     * Entries before `written_seen` are from the rounds before this one. */
    struct lgn_arena written;
    size_t written_seen;
    unsigned long long regex_runs;
    const char **found; /* kinds replaced since lgn_scrub_found_reset */
    size_t n_found, cap_found;
};

/* ---- set-up ---- */

/* Splits a comma-separated list of parameter names into l (copied). */
static int split_list(struct name_list *l, const char *list)
{
    size_t n = strlen(list);
    if ((l->buf = malloc(n + 1)) == NULL)
        return -1;
    memcpy(l->buf, list, n + 1);
    if ((l->v = calloc(n / 2 + 1, sizeof *l->v)) == NULL)
        return -1;
    for (char *p = l->buf; *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (*p)
            l->v[l->n++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

static void free_list(struct name_list *l)
{
    free(l->buf);
    free(l->v);
}

/* The names of l as words of a name compare (lgn_name_words_match): lower
 * case, letters and digits only ("search_query" is "searchquery", which
 * the words "search" and "query" written together give). A prefix
 * ("utm_*") is not a word. The strings live in one block after the array. */
static char **word_list(const struct name_list *l, size_t *n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < l->n; i++)
        bytes += strlen(l->v[i]) + 1;
    char **v = malloc((l->n + 1) * sizeof *v + bytes);
    if (v == NULL)
        return NULL;
    char *w = (char *)(v + l->n + 1);
    *n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *k = l->v[i];
        size_t kn = strlen(k);
        if (kn > 0 && k[kn - 1] == '*')
            continue;
        char *start = w;
        for (; *k; k++)
            if ((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9'))
                *w++ = *k;
            else if (*k >= 'A' && *k <= 'Z')
                *w++ = (char)(*k - 'A' + 'a');
        if (w == start)
            continue;
        *w++ = '\0';
        v[(*n)++] = start;
    }
    return v;
}

static void set_class(struct lgn_scrub *s, unsigned c, uint64_t bit)
{
    s->byte_class[c & 0xff] |= bit;
    if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
        s->byte_class[(c ^ 0x20) & 0xff] |= bit; /* the pattern may be caseless */
}

/* Gives each distinct first-byte set, required byte and one-byte hint of
 * the value rules a class bit, while bits last (a rule without one is just
 * not filtered on it), so features_of costs one table load per byte. */
static void build_classes(struct lgn_scrub *s)
{
    static const char fixed[] = "?#=@%+\\";
    uint64_t first_bit[64] = {0};
    unsigned next = CLS_FIXED;
    for (unsigned c = 0; c < 256; c++)
        s->byte_class[c] = c >= 0x80 ? CLS_HIGH : 0;
    for (unsigned k = 0; fixed[k]; k++)
        s->byte_class[(unsigned char)fixed[k]] |= 1ull << k;
    for (const char *c = "&([{"; *c; c++)
        s->byte_class[(unsigned char)*c] |= CLS_FOLD;
    for (unsigned c = 'A'; c <= 'Z'; c++)
        s->byte_class[c] |= CLS_UPPER;
    for (size_t i = 0; i < s->n_value; i++) {
        const struct lgn_rule *r = &s->rules->v[s->value[i]];
        struct prefilter *pf = &s->pre[i];
        pf->min_len = r->min_len;
        pf->min_digits = r->min_digits;
        if (r->contains_len > 1) {
            pf->contains = r->contains;
            pf->contains_len = r->contains_len;
        }
        bool all = true;
        for (int w = 0; w < 4; w++)
            all = all && r->first[w] == ~0ull;
        uint64_t fb = 0;
        for (size_t j = 0; j < i && j < 64 && !all && fb == 0; j++) /* same set, same bit */
            if (memcmp(s->rules->v[s->value[j]].first, r->first, sizeof r->first) == 0)
                fb = first_bit[j];
        if (!all && fb == 0 && next < 64) {
            fb = 1ull << next++;
            for (unsigned c = 0; c < 256; c++)
                if ((r->first[c >> 6] >> (c & 63)) & 1)
                    set_class(s, c, fb);
        }
        if (i < 64)
            first_bit[i] = fb;
        pf->need |= fb;
        if (r->required >= 0 && next < 64) {
            uint64_t b = 1ull << next++;
            set_class(s, (unsigned)r->required, b);
            pf->need |= b;
        }
        /* Each byte of `contains` ("eyJ": few paths hold a 'J') gets a bit;
         * the string itself is searched only when they are all there. */
        bool all_bits = true;
        for (size_t k = 0; k < r->contains_len && k < 4; k++) {
            if (next == 64) {
                all_bits = false;
                break;
            }
            uint64_t b = 1ull << next++;
            s->byte_class[(unsigned char)r->contains[k]] |= b;
            pf->need |= b;
        }
        if (r->contains_len == 1 && !all_bits) {
            pf->contains = r->contains;
            pf->contains_len = 1;
        }
    }
}

struct lgn_scrub *lgn_scrub_new(const struct lgn_rules *rules, const struct lgn_scrub_opts *opts,
                                struct lgn_anon *anon, struct lgn_err *err)
{
    struct lgn_scrub *s = calloc(1, sizeof *s);
    if (s == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    s->rules = rules;
    s->anon = anon;
    s->drop_query = opts && opts->drop_query;
    s->has_keep = opts && opts->keep_params;
    s->drop_search = opts && opts->drop_search;
    size_t n = rules ? rules->n : 0;
    bool ok = (s->name_only = calloc(n + 1, sizeof *s->name_only)) != NULL &&
              (s->value = calloc(n + 1, sizeof *s->value)) != NULL &&
              (s->nv_bit = calloc(n + 1, sizeof *s->nv_bit)) != NULL &&
              (s->pre = calloc(n + 1, sizeof *s->pre)) != NULL &&
              (s->names = calloc(NAME_CACHE, sizeof *s->names)) != NULL &&
              (s->md = pcre2_match_data_create(16, NULL)) != NULL &&
              (s->mctx = pcre2_match_context_create(NULL)) != NULL &&
              (s->email_rule = calloc(n + 1, sizeof *s->email_rule)) != NULL &&
              (!opts || !opts->keep_params || split_list(&s->keep, opts->keep_params) == 0) &&
              (!opts || !opts->keep_cookies || split_list(&s->cookies, opts->keep_cookies) == 0) &&
              (!opts || !opts->drop_search ||
               (split_list(&s->search,
                           opts->search_params ? opts->search_params : LGN_SEARCH_PARAMS) == 0 &&
                (s->search_words = word_list(&s->search, &s->n_search_words)) != NULL));
    if (!ok) {
        lgn_scrub_free(s);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    pcre2_set_callout(s->mctx, lgn_rules_callout, NULL);
    /* Hostile URLs must not make a rule backtrack for ever. */
    pcre2_set_match_limit(s->mctx, 1000000);
    for (size_t i = 0; i < n; i++) {
        const struct lgn_rule *r = &rules->v[i];
        if (r->value_re == NULL) {
            s->name_only[s->n_name_only++] = i;
            continue;
        }
        s->nv_bit[s->n_value] = lgn_rule_has_name(r) && s->n_nv < 64 ? (int)s->n_nv++ : -1;
        s->email_rule[s->n_value] = strcmp(r->label, "email") == 0;
        s->value[s->n_value++] = i;
    }
    build_classes(s);
    return s;
}

struct lgn_scrub *lgn_scrub_open(const struct lgn_config *cfg, struct lgn_anon *anon,
                                 struct lgn_err *err)
{
    struct lgn_rules *rules = lgn_rules_new(err);
    if (rules == NULL)
        return NULL;
    int rc = 0;
    if (!cfg->no_filters) {
        char buf[4096];
        const char *dir = cfg->filters_dir;
        if (dir == NULL && (dir = lgn_rules_default_dir(buf, sizeof buf)) == NULL)
            rc = lgn_err_set(err, LGN_EXIT_USAGE,
                             "no filter rules found (looked in %s); give --filters DIR, or "
                             "--no-filters to anonymise addresses only",
                             buf);
        else
            rc = lgn_rules_load_dir(rules, dir, err);
    }
    for (size_t i = 0; rc == 0 && i < cfg->n_filter_files; i++)
        rc = lgn_rules_load_file(rules, cfg->filter_files[i], err);
    struct lgn_scrub_opts opts = {.drop_query = cfg->drop_query,
                                  .keep_params = cfg->keep_params,
                                  .keep_cookies = cfg->keep_cookies,
                                  .drop_search = cfg->drop_search,
                                  .search_params = cfg->search_params};
    struct lgn_scrub *s = rc == 0 ? lgn_scrub_new(rules, &opts, anon, err) : NULL;
    if (s == NULL) {
        lgn_rules_free(rules);
        return NULL;
    }
    s->owned = rules;
    return s;
}

void lgn_scrub_free(struct lgn_scrub *s)
{
    if (s == NULL)
        return;
    lgn_rules_free(s->owned);
    free_list(&s->keep);
    free_list(&s->search);
    free(s->search_words);
    free_list(&s->cookies);
    free(s->email_rule);
    free(s->name_only);
    free(s->value);
    free(s->nv_bit);
    free(s->pre);
    free(s->names);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    free(s->edits);
    free(s->reps);
    free(s->out);
    free(s->prev);
    free(s->params);
    lgn_decoded_free(&s->dec);
    lgn_decoded_free(&s->dec_name);
    lgn_decoded_free(&s->dec_payload);
    free(s->payload);
    free(s->written.buf);
    free(s->found);
    free(s);
}

bool lgn_scrub_enabled(const struct lgn_scrub *s)
{
    return s != NULL &&
           (s->drop_query || s->has_keep || s->drop_search || (s->rules && s->rules->n > 0));
}

const struct lgn_rules *lgn_scrub_rules(const struct lgn_scrub *s)
{
    return s->rules;
}

unsigned long long lgn_scrub_regex_runs(const struct lgn_scrub *s)
{
    return s->regex_runs;
}

/* ---- findings ---- */

void lgn_scrub_found_reset(struct lgn_scrub *s)
{
    if (s != NULL)
        s->n_found = 0;
}

void lgn_scrub_found_add(struct lgn_scrub *s, const char *kind)
{
    if (s->n_found == s->cap_found) {
        size_t cap = s->cap_found ? s->cap_found * 2 : 16;
        const char **f = realloc(s->found, cap * sizeof *f);
        if (f == NULL)
            return; /* a finding left out only shortens a report */
        s->found = f;
        s->cap_found = cap;
    }
    s->found[s->n_found++] = kind;
}

size_t lgn_scrub_found(const struct lgn_scrub *s, const char *const **kinds)
{
    *kinds = s != NULL ? s->found : NULL;
    return s != NULL ? s->n_found : 0;
}

/* ---- edits ---- */

static bool overlaps(const struct lgn_scrub *s, size_t start, size_t end)
{
    for (size_t i = 0; i < s->n_edits; i++) {
        const struct edit *e = &s->edits[i];
        if (start < e->end && e->start < end)
            return true;
        if (start == end && e->start == start && e->end == end)
            return true;
    }
    return false;
}

/* Forgets the edits inside [start, end), which a wider one replaces. */
static void drop_edits_within(struct lgn_scrub *s, size_t start, size_t end)
{
    size_t w = 0;
    for (size_t i = 0; i < s->n_edits; i++)
        if (!(s->edits[i].start >= start && s->edits[i].end <= end))
            s->edits[w++] = s->edits[i];
    s->n_edits = w;
}

/* An edit for [*start, *end) takes in the edits that cross its bounds (a
 * scan of a whole URL read for its "&#" entities finds matches across the
 * query's bounds): they go, and the range grows over what they covered,
 * which then goes too. Edits do not overlap, so one pass finds them all. */
static void absorb_crossing(struct lgn_scrub *s, size_t *start, size_t *end)
{
    size_t w = 0, s0 = *start, e0 = *end;
    for (size_t i = 0; i < s->n_edits; i++) {
        const struct edit *e = &s->edits[i];
        if (e->start < e0 && s0 < e->end) {
            *start = e->start < *start ? e->start : *start;
            *end = e->end > *end ? e->end : *end;
            continue;
        }
        s->edits[w++] = *e;
    }
    s->n_edits = w;
}

static size_t put_rep(struct lgn_scrub *s, const char *p, size_t n)
{
    if (n == 0)
        return s->reps_len;
    if (s->reps_cap - s->reps_len < n) {
        size_t cap = s->reps_cap ? s->reps_cap : 256;
        while (cap - s->reps_len < n)
            cap *= 2;
        char *r = realloc(s->reps, cap);
        if (r == NULL) {
            s->oom = true;
            return s->reps_len;
        }
        s->reps = r;
        s->reps_cap = cap;
    }
    size_t at = s->reps_len;
    memcpy(s->reps + at, p, n);
    s->reps_len += n;
    return at;
}

static void add_edit(struct lgn_scrub *s, size_t start, size_t end, const char *rep, size_t n,
                     bool claim)
{
    if (s->n_edits == s->cap_edits) {
        size_t cap = s->cap_edits ? s->cap_edits * 2 : 16;
        struct edit *e = realloc(s->edits, cap * sizeof *e);
        if (e == NULL) {
            s->oom = true;
            return;
        }
        s->edits = e;
        s->cap_edits = cap;
    }
    struct edit *e = &s->edits[s->n_edits++];
    e->kind = s->kind;
    e->start = start;
    e->end = end;
    e->claim = claim;
    e->rep = put_rep(s, rep, n);
    e->rep_len = n;
}

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* "[label]" in text, "%5Blabel%5D" in a URL (cut to fit cap, as snprintf
 * would): a copy, not a format, since URLs with values to replace are common. */
static size_t marker(char *buf, size_t cap, const char *label, bool text)
{
    const char *open = text ? "[" : "%5B", *close = text ? "]" : "%5D";
    size_t on = strlen(open), ln = strlen(label), cn = strlen(close);
    if (on + ln + cn >= cap)
        return (size_t)snprintf(buf, cap, "%s%s%s", open, label, close);
    memcpy(buf, open, on);
    memcpy(buf + on, label, ln);
    memcpy(buf + on + ln, close, cn);
    return on + ln + cn;
}

/* Replaces field bytes [start, end) as rule r says; `text` is what matched,
 * decoded (for the hash). A drop outside a query parameter is a redaction. */
static void act(struct lgn_scrub *s, const struct lgn_rule *r, size_t start, size_t end,
                const char *text, size_t n)
{
    char buf[LGN_LABEL_MAX + LGN_ANON_MAX + 8];
    size_t m;
    s->kind = r->label;
    if (r->action == LGN_ACT_KEEP) {
        add_edit(s, start, end, "", 0, true);
        return;
    }
    if (r->action == LGN_ACT_HASH && s->anon != NULL) {
        if (lgn_anon_is_name(r->label, text,
                             n)) { /* hashed before: scrubbing twice changes nothing */
            add_edit(s, start, end, "", 0, true);
            return;
        }
        m = lgn_anon_name(s->anon, r->label, text, n, buf);
    } else if (n == strlen(r->label) + 2 && text[0] == '[' && text[n - 1] == ']' &&
               memcmp(text + 1, r->label, n - 2) == 0) {
        add_edit(s, start, end, "", 0, true); /* already redacted */
        return;
    } else {
        m = marker(buf, sizeof buf, r->label, s->text_markers);
    }
    lgn_scrub_found_add(s, r->label);
    add_edit(s, start, end, buf, m, false);
}

/* --search-terms drop: a search parameter's value [start, end) becomes
 * [search] (an empty one stays empty; a marker stays as it is). */
static void search_marker(struct lgn_scrub *s, size_t start, size_t end)
{
    const char *m = s->text_markers ? "[search]" : "%5Bsearch%5D";
    size_t mn = strlen(m);
    s->kind = "search";
    if (end == start || overlaps(s, start, end))
        return;
    bool same = (end - start == mn && memcmp(s->field + start, m, mn) == 0) ||
                (end - start == 8 && memcmp(s->field + start, "[search]", 8) == 0);
    add_edit(s, start, end, same ? "" : m, same ? 0 : mn, same);
}

static int cmp_edits(const void *a, const void *b)
{
    const struct edit *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static int reserve_out(struct lgn_scrub *s, size_t n)
{
    if (n <= s->out_cap)
        return 0;
    size_t cap = s->out_cap ? s->out_cap : 1024;
    while (cap < n)
        cap *= 2;
    char *o = realloc(s->out, cap);
    if (o == NULL)
        return -1;
    s->out = o;
    s->out_cap = cap;
    return 0;
}

/* Writes field bytes [start, end) with the edits inside them applied to
 * s->out (edits sorted); returns the length, or (size_t)-1 when out of memory. */
static size_t render(struct lgn_scrub *s, size_t start, size_t end)
{
    size_t need = end - start;
    for (size_t i = 0; i < s->n_edits; i++)
        if (s->edits[i].start >= start && s->edits[i].end <= end)
            need += s->edits[i].rep_len;
    if (reserve_out(s, need + 1) != 0)
        return (size_t)-1;
    size_t n = 0, done = start;
    for (size_t i = 0; i < s->n_edits; i++) {
        const struct edit *e = &s->edits[i];
        if (e->claim || e->start < start || e->end > end)
            continue;
        memcpy(s->out + n, s->field + done, e->start - done);
        n += e->start - done;
        if (e->rep_len > 0) /* reps may still be NULL */
            memcpy(s->out + n, s->reps + e->rep, e->rep_len);
        n += e->rep_len;
        done = e->end;
    }
    memcpy(s->out + n, s->field + done, end - done);
    return n + (end - done);
}

/* ---- names ---- */

/* The rule's `name` pattern or its `words` (w: the name's words, split once). */
static bool name_matches(struct lgn_scrub *s, const struct lgn_rule *r, const char *p, size_t n,
                         const struct lgn_name_words *w)
{
    if (r->name_re != NULL && pcre2_match(r->name_re, (PCRE2_SPTR)p, n, 0, 0, s->md, NULL) >= 0)
        return true;
    return r->n_words > 0 && lgn_name_words_match(w, r->words, r->n_words);
}

static struct name_hit compute_hit(struct lgn_scrub *s, const char *p, size_t n)
{
    struct name_hit h = {-1, -1, 0};
    struct lgn_name_words w;
    lgn_name_words(p, n, &w);
    for (size_t i = 0; i < s->n_name_only && h.rule < 0; i++) {
        const struct lgn_rule *r = &s->rules->v[s->name_only[i]];
        if (!name_matches(s, r, p, n, &w))
            continue;
        if (r->when == LGN_WHEN_ALWAYS)
            h.rule = (int)s->name_only[i];
        else if (h.cond < 0)
            h.cond = (int)s->name_only[i];
    }
    for (size_t i = 0; i < s->n_value; i++) {
        const struct lgn_rule *r = &s->rules->v[s->value[i]];
        if (s->nv_bit[i] >= 0 && name_matches(s, r, p, n, &w))
            h.nv |= 1ull << s->nv_bit[i];
    }
    return h;
}

static bool oauth_callback(struct lgn_scrub *s);

/* The name rule that decides a parameter: a conditional one only in its context. */
static int deciding_rule(struct lgn_scrub *s, const struct name_hit *h)
{
    return h->cond >= 0 && oauth_callback(s) ? h->cond : h->rule;
}

static struct name_hit lookup_one(struct lgn_scrub *s, const char *p, size_t n)
{
    if (n == 0 || n > NAME_CACHE_LEN)
        return n == 0 ? (struct name_hit){-1, -1, 0} : compute_hit(s, p, n);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    struct name_slot *slot = &s->names[h & (NAME_CACHE - 1)];
    if (slot->len == n && memcmp(slot->name, p, n) == 0)
        return slot->hit;
    slot->hit = compute_hit(s, p, n);
    slot->len = (uint8_t)n;
    memcpy(slot->name, p, n);
    return slot->hit;
}

/* The rules for a parameter name; "user[email]" also answers to "email". */
static struct name_hit lookup_name(struct lgn_scrub *s, const char *p, size_t n)
{
    if (n > 4 && memcmp(p, "amp;", 4) == 0) /* "&amp;" written into a URL by HTML */
        p += 4, n -= 4;
    struct name_hit h = lookup_one(s, p, n);
    if (h.rule < 0 && h.cond < 0 && h.nv == 0 && n > 2 && p[n - 1] == ']') {
        size_t open = n - 1;
        while (open > 0 && p[open - 1] != '[')
            open--;
        if (open > 0 && open < n - 1)
            h = lookup_one(s, p + open, n - 1 - open);
    }
    return h;
}

/* Whether a list of --keep-params / --keep-cookies / --search-params
 * names p ("utm_*": a prefix). */
static bool in_list(const struct name_list *l, const char *p, size_t n)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *k = l->v[i];
        size_t kn = strlen(k);
        if (kn > 0 && k[kn - 1] == '*') {
            if (n >= kn - 1 && strncasecmp(p, k, kn - 1) == 0)
                return true;
        } else if (kn == n && strncasecmp(p, k, n) == 0) {
            return true;
        }
    }
    return false;
}

/* --search-terms drop: whether the parameter name p is a search parameter:
 * listed (as in_list reads the list), or one of its words, or two adjacent
 * ones written together, is a listed name, as the name rules' `words` read
 * names ("query[]", "search[term]", "search_query", "searchTerm"). */
static bool is_search_name(const struct lgn_scrub *s, const char *p, size_t n)
{
    if (in_list(&s->search, p, n))
        return true;
    struct lgn_name_words w;
    lgn_name_words(p, n, &w);
    return lgn_name_words_match(&w, s->search_words, s->n_search_words);
}

bool lgn_scrub_keeps_cookie(const struct lgn_scrub *s, const char *name, size_t n)
{
    return s != NULL && in_list(&s->cookies, name, n);
}

/* ---- matching decoded text ---- */

/* The number of ASCII digits among the 8 bytes of w, without a branch:
 * x = b ^ '0' is 0..9 for a digit; adding 0x76 to its low 7 bits sets the
 * top bit when they are 10 or more (no carry leaves the byte), and x's own
 * top bit marks a byte >= 0x80. The digits' top bits are then summed. */
static unsigned digits_in_word(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
    uint64_t x = w ^ (ones * '0');
    uint64_t big = ((x & ~tops) + ones * 0x76) | x;
    return (unsigned)((((~big & tops) >> 7) * ones) >> 56);
}

/* Runs on every URL, so one table load per byte, and the digits counted
 * eight bytes at a time. */
static void features_of(const struct lgn_scrub *s, const char *p, size_t n, struct features *f)
{
    uint64_t cls = 0, cls2 = 0, w;
    size_t digits = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        const unsigned char *b = (const unsigned char *)p + i;
        cls |=
            s->byte_class[b[0]] | s->byte_class[b[1]] | s->byte_class[b[2]] | s->byte_class[b[3]];
        cls2 |=
            s->byte_class[b[4]] | s->byte_class[b[5]] | s->byte_class[b[6]] | s->byte_class[b[7]];
        memcpy(&w, b, 8);
        digits += digits_in_word(w);
    }
    for (; i < n; i++) {
        unsigned c = (unsigned char)p[i];
        cls |= s->byte_class[c];
        digits += c - '0' < 10u;
    }
    f->cls = cls | cls2;
    f->digits = digits;
}

static bool contains(const char *p, size_t n, const char *w, size_t wn)
{
    for (size_t i = 0; i + wn <= n; i++) {
        const char *q = memchr(p + i, w[0], n - wn + 1 - i);
        if (q == NULL)
            return false;
        i = (size_t)(q - p);
        if (memcmp(q, w, wn) == 0)
            return true;
    }
    return false;
}

/* The prefilter's cheap part, inline: false when value rule i cannot match
 * a text of n bytes with features f (most rules, most URLs: asked for every
 * rule before anything else about it). */
static inline bool may_match_features(const struct lgn_scrub *s, size_t i, size_t n,
                                      const struct features *f)
{
    const struct prefilter *pf = &s->pre[i];
    return (f->cls & pf->need) == pf->need && n >= pf->min_len && f->digits >= pf->min_digits;
}

/* The prefilter: false when value rule i cannot match this text. */
static bool may_match(const struct lgn_scrub *s, size_t i, const char *p, size_t n,
                      const struct features *f)
{
    if (!may_match_features(s, i, n, f))
        return false;
    const struct prefilter *pf = &s->pre[i];
    return pf->contains == NULL || contains(p, n, pf->contains, pf->contains_len);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '[' || c == ']';
}

static bool ends_value(char c, char stop)
{
    return c == '&' || c == '#' || c == ';' || c == ' ' || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == ',' || c == '\\' || c == '\t' || (stop && c == stop);
}

static bool has_ci(const char *p, size_t n, const char *w)
{
    size_t wn = strlen(w);
    for (size_t i = 0; i + wn <= n; i++)
        if ((p[i] | 0x20) == w[0] && strncasecmp(p + i, w, wn) == 0)
            return true;
    return false;
}

/* "NAME=" at the start of a parameter: after the start, '?', '&', '#' or ';'. */
static bool has_param(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i + k < n; i++)
        if ((i == 0 || p[i - 1] == '?' || p[i - 1] == '&' || p[i - 1] == '#' || p[i - 1] == ';') &&
            memcmp(p + i, name, k) == 0 && p[i + k] == '=')
            return true;
    return false;
}

/* An OAuth callback: a path that says so, or `state` beside `code`. */
static bool oauth_path(const char *p, size_t n)
{
    return has_ci(p, n, "callback") || has_ci(p, n, "oauth") || has_ci(p, n, "authorize");
}

static bool oauth_query(const char *p, size_t n)
{
    return has_param(p, n, "code") && has_param(p, n, "state");
}

static bool oauth_callback(struct lgn_scrub *s)
{
    if (s->oauth < 0) {
        const struct lgn_span *p = &s->oauth_path, *q = &s->oauth_query;
        s->oauth = oauth_path(s->field + p->off, p->len) || oauth_query(s->field + q->off, q->len);
    }
    return s->oauth == 1;
}

/* "scheme://user:password@host" or "//user:password@host" anywhere in
 * decoded text (a URL nested in a parameter, encoded once or twice, in free
 * text, in a user agent): the user information goes, the host stays (the
 * address scans that follow anonymise it). */
static void scan_userinfo(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    struct lgn_span ui;
    size_t from = 0;
    while (lgn_find_userinfo(s->field + off, d, from, &ui)) {
        from = ui.off + ui.len;
        size_t rs = off + lgn_decoded_src(d, ui.off),
               re = off + lgn_decoded_src(d, ui.off + ui.len);
        if (overlaps(s, rs, re))
            continue;
        const char *m = s->text_markers ? "[user]" : "%5Buser%5D";
        s->kind = "user";
        if (ui.len == 6 && memcmp(d->text + ui.off, "[user]", 6) == 0) {
            add_edit(s, rs, re, "", 0, true); /* scrubbed before */
        } else {
            lgn_scrub_found_add(s, "user");
            add_edit(s, rs, re, m, strlen(m), false);
        }
    }
}

/* The rules for a key or header name as servers log them: nginx's
 * "http_authorization", "cookie_sid", "arg_email" answer to the name after
 * the prefix. */
static struct name_hit lookup_field_name(struct lgn_scrub *s, const char *p, size_t n)
{
    static const char *const prefixes[] = {"sent_http_", "http_",  "cookie_", "arg_",
                                           "proxy-",     "proxy_", "x-",      "x_"};
    if (n == 11 && strncasecmp(p, "remote_user", 11) == 0) /* $remote_user as a JSON key */
        p += 7, n -= 7;
    struct name_hit h = lookup_name(s, p, n);
    for (size_t i = 0; h.rule < 0 && h.nv == 0 && i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t l = strlen(prefixes[i]);
        if (n > l && strncasecmp(p, prefixes[i], l) == 0)
            h = lookup_name(s, p + l, n - l), p += l, n -= l;
    }
    /* nginx writes X-Api-Key as x_api_key; rules write session_id for Session-Id */
    char other[NAME_CACHE_LEN];
    bool under = memchr(p, '_', n) != NULL, dash = memchr(p, '-', n) != NULL;
    if (h.rule < 0 && h.nv == 0 && n <= sizeof other && (under || dash)) {
        for (size_t i = 0; i < n; i++) {
            other[i] = p[i];
            if (p[i] == '_' && under)
                other[i] = '-';
            else if (p[i] == '-' && !under)
                other[i] = '_';
        }
        h = lookup_name(s, other, n);
    }
    return h;
}

int lgn_scrub_name_rule(struct lgn_scrub *s, const char *name, size_t n)
{
    return s != NULL && s->n_name_only > 0 ? lookup_field_name(s, name, n).rule : -1;
}

/* The Authorization scheme word at t[i] ("Basic", "Bearer", ...; any
 * case): its length, else 0. */
static size_t scheme_at(const char *t, size_t i, size_t len)
{
    static const char *const schemes[] = {
        "basic", "bearer", "digest", "token",  "negotiate",
        "ntlm",  "hoba",   "hawk",   "apikey", "aws4-hmac-sha256"};
    size_t w = i;
    while (w < len && (is_name_char(t[w]) && t[w] != '.'))
        w++;
    for (size_t k = 0; w > i && k < sizeof schemes / sizeof schemes[0]; k++)
        if (strlen(schemes[k]) == w - i && strncasecmp(t + i, schemes[k], w - i) == 0)
            return w - i;
    return 0;
}

/* "Basic YWxp...", "Bearer eyJ...": an Authorization value keeps its scheme
 * word; the credential after it is the value. Returns where that starts. */
static size_t skip_scheme(const char *t, size_t vs, size_t len)
{
    size_t w = vs + scheme_at(t, vs, len);
    if (w == vs || w + 1 >= len || t[w] != ' ')
        return vs;
    while (w < len && t[w] == ' ')
        w++;
    return w;
}

size_t lgn_credential_start(const char *p, size_t n)
{
    return skip_scheme(p, 0, n);
}

static void scan_values(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d,
                        const struct features *f, const struct name_hit *param);

/* The value [vs, ve) of decoded text d, named by h: a name-only rule
 * replaces it; else the name+value rules the name selects look inside. */
static void pair_value(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d, size_t vs,
                       size_t ve, const struct name_hit *h)
{
    if (ve <= vs)
        return;
    if (h->rule >= 0) {
        if (s->user_agent && strcmp(s->rules->v[h->rule].label, "email") == 0)
            return; /* a user agent keeps its e-mail address (a bot's contact) */
        size_t rs = off + lgn_decoded_src(d, vs), re = off + lgn_decoded_src(d, ve);
        if (!overlaps(s, rs, re))
            act(s, &s->rules->v[h->rule], rs, re, d->text + vs, ve - vs);
        return;
    }
    if (h->nv == 0)
        return;
    /* A view of the value: map offsets stay relative to `off`. */
    struct lgn_decoded v = {
        .text = d->text + vs, .len = ve - vs, .map = d->map ? d->map + vs : NULL};
    struct features f;
    features_of(s, v.text, v.len, &f);
    scan_values(s, d->map ? off : off + vs, &v, &f, h);
}

/* Free text writes pairs in brackets: "[token=…]", "(password: …)",
 * "{pin=…}". Returns the closer the opener before the name asks for (a '['
 * read as the name's first byte is dropped from it), or 0. */
static char pair_closer(const char *t, size_t *ns, size_t ne)
{
    if (t[*ns] == '[' && memchr(t + *ns, ']', ne - *ns) == NULL) {
        (*ns)++;
        return ']';
    }
    if (*ns > 0 && t[*ns - 1] == '(')
        return ')';
    return *ns > 0 && t[*ns - 1] == '{' ? '}' : 0;
}

/* The closer at t[i] ends the value: the value's own brackets are closed
 * (depth 0: "[token=[token]]", a marker from before) and no letter or
 * digit follows ("(password=ab)cd)" ends at the second). */
static bool closes_at(const char *t, size_t i, size_t len, char closer, int *depth)
{
    if (closer == 0)
        return false;
    if (t[i] == (closer == ']' ? '[' : closer == ')' ? '(' : '{'))
        ++*depth;
    if (t[i] != closer || (*depth)-- > 0)
        return false;
    if (i + 1 == len)
        return true;
    char c = t[i + 1];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        *depth = 0;
        return false;
    }
    return true;
}

/* A quote at t[i]: '"', '\'', or '\"' as JSON inside a quoted log field is
 * written. Returns its length (0: none), the quote character in *qc. */
static size_t quote_at(const char *t, size_t i, size_t len, char *qc)
{
    *qc = '"';
    if (i < len && (t[i] == '"' || t[i] == '\'')) {
        *qc = t[i];
        return 1;
    }
    return i + 1 < len && t[i] == '\\' && t[i + 1] == '"' ? 2 : 0;
}

/* End of a string whose body starts at i, opened by a quote qc of length
 * q: the offset of its closing quote (len when it never closes). */
static size_t string_end(const char *t, size_t i, size_t len, size_t q, char qc)
{
    for (; i < len; i++) {
        if (q == 1 && qc == '"' && t[i] == '\\') {
            i++;
            continue;
        }
        if (q == 1 ? t[i] == qc : (t[i] == '\\' && i + 1 < len && t[i + 1] == '"'))
            return i;
    }
    return len;
}

/* A quoted value at t[*vs] ("hunter2", 'hunter2', \"hunter2\"): moves *vs
 * past the opening quote and returns the offset of the closing one; 0 when
 * no quote opens there, or a single quote (an apostrophe?) never closes. */
static size_t quoted_value(const char *t, size_t *vs, size_t len)
{
    char qc;
    size_t q = quote_at(t, *vs, len, &qc);
    if (q == 0)
        return 0;
    size_t ve = string_end(t, *vs + q, len, q, qc);
    if (ve == len && qc == '\'')
        return 0;
    *vs += q;
    return ve;
}

/* Name=value pairs inside decoded text (a path's ";jsessionid=", a URL
 * nested in a parameter, a query in a bad line): the name rules apply. The
 * value may be quoted (logfmt's password="hunter2"), and in free text the
 * pair may be Ruby's "password"=>"hunter2". */
static void scan_pairs(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d, char stop)
{
    const char *t = d->text;
    const char *eq = t, *end = t + d->len;
    int text_oauth = -1; /* the text's own context, asked once */
    while ((eq = memchr(eq, '=', (size_t)(end - eq))) != NULL) {
        size_t e = (size_t)(eq - t), ns = e, ne = e, vs = e + 1;
        eq++;
        bool rocket = s->free_text && vs < d->len && t[vs] == '>';
        if (rocket) { /* "password" => "hunter2", :password => 'x' */
            for (vs++; vs < d->len && t[vs] == ' ';)
                vs++;
            if (vs < d->len && (t[vs] == '{' || t[vs] == '['))
                continue; /* a nested hash: its own pairs follow */
            while (ne > 0 && t[ne - 1] == ' ')
                ne--;
            ns = ne;
            if (ns > 0 && (t[ns - 1] == '"' || t[ns - 1] == '\'')) { /* a quoted name */
                size_t nq = ns - 1;
                while (nq > 0 && t[nq - 1] != t[ns - 1])
                    nq--;
                if (nq == 0)
                    continue;
                ne -= 1 + (ne >= 2 && t[ne - 2] == '\\'); /* \"password\" */
                ns = nq;
            }
        }
        while (ns > 0 && is_name_char(t[ns - 1]))
            ns--;
        char closer = 0;
        if (s->free_text && !rocket)
            closer = pair_closer(t, &ns, ne);
        if (ns == ne)
            continue;
        size_t ve = quoted_value(t, &vs, d->len);
        if (ve > 0) {
            vs = skip_scheme(t, vs, ve);
        } else {
            vs = skip_scheme(t, vs, d->len);
            int depth = 0;
            for (ve = vs; ve < d->len && !ends_value(t[ve], stop) &&
                          !(rocket && (t[ve] == '}' || t[ve] == ']')) &&
                          !closes_at(t, ve, d->len, closer, &depth);)
                ve++;
        }
        if (s->drop_search && is_search_name(s, t + ns, ne - ns)) {
            search_marker(s, off + lgn_decoded_src(d, vs), off + lgn_decoded_src(d, ve));
            continue;
        }
        struct name_hit h = lookup_name(s, t + ns, ne - ns);
        if (h.cond >= 0) {
            if (text_oauth < 0)
                text_oauth = oauth_callback(s) || oauth_path(t, d->len) || oauth_query(t, d->len);
            if (text_oauth)
                h.rule = h.cond;
        }
        if (h.rule < 0 && (h.nv == 0 || !s->free_text))
            continue;
        pair_value(s, off, d, vs, ve, &h);
    }
}

/* The leaves of a JSON value under a name-ruled key: each string and
 * number is a value of that name ("password":{"old":"a1","new":"hunter2"}). */
struct ruled_json {
    struct lgn_scrub *s;
    size_t off;
    const struct lgn_decoded *d;
    const struct name_hit *h;
};

static void ruled_leaf(void *ctx, size_t vs, size_t ve, bool quoted)
{
    (void)quoted;
    const struct ruled_json *r = ctx;
    pair_value(r->s, r->off, r->d, vs, ve, r->h);
}

/* Name/value pairs written as objects ({"name":"password","value":"hunter2"},
 * as the JSON-lines walker reads them): the value is the named rule's, the
 * name stays (a rule's name is no datum). */
static void scan_pair_objects(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    const char *t = d->text;
    size_t len = d->len;
    for (const char *o = t; (o = memchr(o, '{', (size_t)(t + len - o))) != NULL; o++) {
        size_t i = (size_t)(o - t) + 1, name_at = 0, ks, ke, ns, ne, whole = i - 1;
        struct name_hit h = {.rule = lgn_jsonscan_pair_rule(s, t, len, i, 0, &name_at), .cond = -1};
        if (h.rule < 0 || !lgn_jsonscan_value(t, len, &whole, 0, NULL, NULL))
            continue; /* no pair, or no whole object: what it holds is read as text */
        const struct ruled_json r = {s, off, d, &h};
        for (bool more = true; more;) {
            i = lgn_jsonscan_ws(t, len, i);
            if (!lgn_jsonscan_string(t, len, &i, &ks, &ke))
                break;
            i = lgn_jsonscan_ws(t, len, i);
            if (i >= len || t[i] != ':')
                break;
            i = lgn_jsonscan_ws(t, len, i + 1);
            if (i == name_at && lgn_jsonscan_string(t, len, &i, &ns, &ne)) {
                size_t rs = off + lgn_decoded_src(d, ns), re = off + lgn_decoded_src(d, ne);
                if (!overlaps(s, rs, re))
                    add_edit(s, rs, re, "", 0, true);
            } else if (!lgn_jsonscan_value(
                           t, len, &i, 0,
                           lgn_jsonscan_key_is(t + ks, ke - ks, "value") ? ruled_leaf : NULL,
                           (void *)&r)) {
                break;
            }
            i = lgn_jsonscan_ws(t, len, i);
            more = i < len && t[i] == ',';
            i += more;
        }
    }
}

/* "name":"value" pairs (JSON, also escaped as \"name\":\"value\", with
 * arrays of strings) anywhere: a JSON object in a query parameter, a JSON
 * body, free text; and in free text also "name: value" (headers, Caddy's and
 * syslog's text). The name rules apply to the value. */
static void scan_colon_pairs(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    const char *t = d->text;
    size_t len = d->len;
    if (memchr(t, '{', len) != NULL && lgn_jsonscan_has_value_key(t, len))
        scan_pair_objects(s, off, d);
    for (const char *c = t; (c = memchr(c, ':', (size_t)(t + len - c))) != NULL; c++) {
        size_t e = (size_t)(c - t), k = e, ns, ne;
        char closer = 0;
        while (k > 0 && t[k - 1] == ' ')
            k--;
        bool json = k > 0 && t[k - 1] == '"';
        if (json) {
            ne = k - 1 - (k >= 2 && t[k - 2] == '\\');
            ns = ne;
            while (ns > 0 && t[ns - 1] != '"')
                ns--;
            if (ns == 0)
                continue;
        } else {
            ne = k; /* "password : hunter2" */
            ns = k;
            while (ns > 0 && is_name_char(t[ns - 1]))
                ns--;
            /* outside free text only JSON pairs count; in free text the
             * value may follow the colon at once ("api_key:abc123"): the
             * name rules tell "http://", "12:30" or an IPv6 address from a
             * pair, since no rule names "http" or "12" */
            if (!s->free_text || ns == ne || e + 1 >= len)
                continue;
            closer = pair_closer(t, &ns, ne);
        }
        /* a marker of a value replaced before ("[email]":"…" in chained
         * pairs) names nothing: scrubbing lognym's output changes nothing */
        if (ne <= ns || (t[ns] == '[' && t[ne - 1] == ']'))
            continue;
        struct name_hit h = lookup_field_name(s, t + ns, ne - ns);
        h.rule = deciding_rule(s, &h); /* "code" and "state" of an OAuth callback */
        if (h.rule < 0 && h.nv == 0)
            continue;
        size_t vs = e + 1;
        while (vs < len && t[vs] == ' ')
            vs++;
        if (json && vs < len && (t[vs] == '{' || t[vs] == '[')) { /* a nested value, leaf by leaf */
            size_t i = vs;
            const struct ruled_json r = {s, off, d, &h};
            if (lgn_jsonscan_value(t, len, &i, 0, ruled_leaf, (void *)&r)) {
                c = t + i - 1;
                continue;
            }
        }
        if (json && vs < len && t[vs] == '[') { /* "X-Api-Key":["s3cr3t"] */
            size_t i = vs + 1;
            while (i < len && t[i] != ']') {
                char qc;
                size_t qq = quote_at(t, i, len, &qc);
                if (qq == 0) {
                    i++;
                    continue;
                }
                size_t ve = string_end(t, i + qq, len, qq, qc);
                pair_value(s, off, d, skip_scheme(t, i + qq, ve), ve, &h);
                i = ve + qq;
            }
            continue;
        }
        size_t ve = quoted_value(t, &vs, len);
        if (ve > 0) {
            vs = skip_scheme(t, vs, ve);
        } else {
            vs = skip_scheme(t, vs, len);
            int depth = 0;
            for (ve = vs; ve < len && !ends_value(t[ve], 0) &&
                          !(json && (t[ve] == '}' || t[ve] == ']')) &&
                          !closes_at(t, ve, len, closer, &depth);)
                ve++;
        }
        pair_value(s, off, d, vs, ve, &h);
    }
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A token68 credential at t[i] ("YWxpOmh1bnRlcjI=", "s3cr3tOpaqueTok"):
 * its end; i when the word there reads as prose ("Basic plan", "Bearer of
 * news", "Basic Authentication"): a credential has at least 8 bytes and
 * mixes two of lower case, upper case (after the first byte), digits and
 * the symbols + / _ ~ =. */
static size_t token68_end(const char *t, size_t i, size_t len)
{
    unsigned kinds = 0;
    size_t k = i;
    for (; k < len; k++) {
        char c = t[k];
        if (c >= 'a' && c <= 'z')
            kinds |= 1;
        else if (c >= 'A' && c <= 'Z')
            kinds |= k > i ? 2 : 0;
        else if (c >= '0' && c <= '9')
            kinds |= 4;
        else if (c == '+' || c == '/' || c == '_' || c == '~')
            kinds |= 8;
        else if (c != '-' && c != '.')
            break;
    }
    size_t e = k;
    while (e < len && t[e] == '=')
        e++;
    kinds |= e > k ? 8 : 0;
    if (e - i < 8 || (kinds & (kinds - 1)) == 0 || (e < len && (is_alnum(t[e]) || t[e] == '@')))
        return i;
    return e;
}

/* An auth-param list at t[i] (Digest's username="jane", realm="x", ...,
 * Hawk's id="…", mac="…"): its end; i unless it names a username or holds
 * two parameters. Values are tokens or quoted strings. */
static size_t auth_params_end(const char *t, size_t i, size_t len)
{
    size_t k = i, params = 0, end = i;
    bool user = false;
    for (;;) {
        size_t ns = k;
        while (k < len && (is_alnum(t[k]) || t[k] == '_' || t[k] == '-'))
            k++;
        if (k == ns || k + 1 >= len || t[k] != '=')
            break;
        user = user || (k - ns == 8 && strncasecmp(t + ns, "username", 8) == 0);
        size_t vs = k + 1, ve = quoted_value(t, &vs, len);
        if (ve > 0) {
            char qc;
            k = ve + quote_at(t, ve, len, &qc);
        } else {
            for (k = vs; k < len && !ends_value(t[k], 0);)
                k++;
        }
        params++;
        end = k;
        while (k < len && t[k] == ' ')
            k++;
        if (k >= len || t[k] != ',')
            break;
        for (k++; k < len && t[k] == ' ';)
            k++;
    }
    return user || params >= 2 ? end : i;
}

/* Whether a replacement of [start, end) may go in: no edit covers it or
 * crosses its bounds; the edits inside it (a Digest's username, hashed by
 * its pair) are dropped, as it replaces them. */
static bool takes_over(struct lgn_scrub *s, size_t start, size_t end)
{
    for (size_t i = 0; i < s->n_edits; i++) {
        const struct edit *e = &s->edits[i];
        if (e->start < end && start < e->end && (e->start < start || e->end > end))
            return false;
        if (e->start == start && e->end == end)
            return false;
    }
    drop_edits_within(s, start, end);
    return true;
}

/* "Basic YWxpOmh1bnRlcjI=", "Bearer s3cr3tTok", "Digest username=…" in
 * free text (a trailing field, a bad line): the scheme word stays, the
 * credential becomes [credential], as in a credential field no rule names.
 * Pairs ("Authorization: Basic …") were read before, under their name.
 * The next such credential in t from `from` on: true, with it at [*vs, *ve). */
static bool next_credential(const char *t, size_t len, size_t from, size_t *vs, size_t *ve)
{
    for (size_t i = from; i + 13 <= len; i++) {
        char c = (char)(t[i] | 0x20);
        if ((c != 'b' && c != 'd' && c != 't' && c != 'n' && c != 'h' && c != 'a') ||
            (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '_' || t[i - 1] == '-')))
            continue;
        size_t w = scheme_at(t, i, len), v = i + w;
        if (w == 0 || v >= len || t[v] != ' ')
            continue;
        while (v < len && t[v] == ' ')
            v++;
        size_t e = auth_params_end(t, v, len);
        if (e == v)
            e = token68_end(t, v, len);
        if (e > v) {
            *vs = v;
            *ve = e;
            return true;
        }
    }
    return false;
}

static void scan_schemes(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    size_t vs, ve;
    for (size_t from = 0; next_credential(d->text, d->len, from, &vs, &ve); from = ve) {
        size_t rs = off + lgn_decoded_src(d, vs), re = off + lgn_decoded_src(d, ve);
        if (!takes_over(s, rs, re))
            continue;
        char buf[32];
        size_t m = marker(buf, sizeof buf, LGN_CREDENTIAL_LABEL, s->text_markers);
        s->kind = LGN_CREDENTIAL_LABEL;
        lgn_scrub_found_add(s, LGN_CREDENTIAL_LABEL);
        add_edit(s, rs, re, buf, m, false);
    }
}

/* One cookie's value [eq+1, ve) of a cookie list in free text, named
 * [ns, eq): the cookie policy's [cookie]; a cookie --keep-cookies names
 * keeps its value, which only the value rules read (as the policy reads it
 * as free text); a Set-Cookie attribute after the first pair stays too. */
static void cookie_value(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d, size_t ns,
                         size_t eq, size_t ve, bool first)
{
    size_t vs = eq + 1, rs = off + lgn_decoded_src(d, vs), re = off + lgn_decoded_src(d, ve);
    if (ve <= vs || overlaps(s, rs, re) || (!first && lgn_cookie_attribute(d->text + ns, eq - ns)))
        return;
    s->kind = "cookie";
    const char *v = d->text + vs;
    size_t vn = ve - vs, mn = strlen(LGN_COOKIE_MARK);
    if (lgn_scrub_keeps_cookie(s, d->text + ns, eq - ns)) {
        struct lgn_decoded view = {.text = v, .len = vn, .map = d->map ? d->map + vs : NULL};
        struct features f;
        features_of(s, v, vn, &f);
        scan_values(s, d->map ? off : off + vs, &view, &f, NULL);
        s->kind = "cookie";
        if (!overlaps(s, rs, re))
            add_edit(s, rs, re, "", 0, true);
        return;
    }
    bool same = vn == mn && memcmp(v, LGN_COOKIE_MARK, mn) == 0;
    if (!same)
        lgn_scrub_found_add(s, "cookie");
    add_edit(s, rs, re, same ? "" : LGN_COOKIE_MARK, same ? 0 : mn, same);
}

/* XML and SOAP elements in free text: "<password>hunter2</password>" is a
 * pair whose name is the element's (a namespace prefix "ns:" dropped); only
 * text content up to the element's own end tag counts. */
static void scan_xml_elements(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    const char *t = d->text;
    size_t len = d->len;
    for (const char *c = t; (c = memchr(c, '<', (size_t)(t + len - c))) != NULL; c++) {
        size_t ns = (size_t)(c - t) + 1, ne = ns;
        while (ne < len && (is_name_char(t[ne]) || t[ne] == ':'))
            ne++;
        if (ne == ns || ne >= len || t[ne] != '>')
            continue;
        size_t vs = ne + 1, ve = vs;
        while (ve < len && t[ve] != '<')
            ve++;
        size_t tag = ne - ns;
        if (ve + 3 + tag > len || t[ve + 1] != '/' || memcmp(t + ve + 2, t + ns, tag) != 0 ||
            t[ve + 2 + tag] != '>')
            continue;
        const char *colon = memchr(t + ns, ':', tag);
        if (colon != NULL)
            ns = (size_t)(colon - t) + 1;
        if (ne <= ns)
            continue;
        struct name_hit h = lookup_field_name(s, t + ns, ne - ns);
        h.rule = deciding_rule(s, &h);
        if (h.rule >= 0 || h.nv > 0)
            pair_value(s, off, d, vs, ve, &h);
        c = t + ve + 2 + tag;
    }
}

/* A line break at t[i] as a body holds it: CR LF (nginx's "\x0D\x0A" is
 * decoded before), or JSON's escaped "\r\n": its length, else 0. */
static size_t line_break_at(const char *t, size_t len, size_t i)
{
    if (len - i >= 2 && t[i] == '\r' && t[i + 1] == '\n')
        return 2;
    return len - i >= 4 && memcmp(t + i, "\\r\\n", 4) == 0 ? 4 : 0;
}

/* Multipart form bodies: after a part's header "Content-Disposition:
 * form-data; name="password"" (the quotes may be JSON-escaped) and the blank
 * line, the value up to the next line break is a pair named by the part. */
static void scan_form_parts(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    const char *t = d->text;
    size_t len = d->len;
    for (const char *c = t; (c = memchr(c, 'f', (size_t)(t + len - c))) != NULL; c++) {
        size_t i = (size_t)(c - t), k = i + 9, ns = 0, ne = 0, vs = 0, b;
        if (len - i < 9 || memcmp(c, "form-data", 9) != 0)
            continue;
        for (; k < len && line_break_at(t, len, k) == 0; k++) { /* name=, not filename= */
            if ((t[k - 1] != ' ' && t[k - 1] != ';') || len - k < 7 ||
                memcmp(t + k, "name=", 5) != 0)
                continue;
            size_t q = k + 5 + (t[k + 5] == '\\');
            for (ns = ne = q + 1;
                 q < len && t[q] == '"' && ne < len && t[ne] != '"' && t[ne] != '\\';)
                ne++;
        }
        for (; k < i + 512 && k < len; k++) /* the blank line that ends the headers */
            if ((b = line_break_at(t, len, k)) != 0 && line_break_at(t, len, k + b) != 0) {
                vs = k + b + line_break_at(t, len, k + b);
                break;
            }
        if (ne <= ns || ne >= len || vs == 0 ||
            (t[ns] == '[' && t[ne - 1] == ']')) /* a marker names nothing */
            continue;
        size_t ve = vs;
        while (ve < len && line_break_at(t, len, ve) == 0)
            ve++;
        /* the part's name is a field's name, kept when it is a plain word
         * (no "name" rule reads it as a person's name) */
        size_t digits = 0, w = ns;
        for (; w < ne && is_name_char(t[w]); w++)
            digits += t[w] >= '0' && t[w] <= '9';
        size_t rs = off + lgn_decoded_src(d, ns), re = off + lgn_decoded_src(d, ne);
        if (w == ne && digits < 6 && !overlaps(s, rs, re))
            add_edit(s, rs, re, "", 0, true);
        struct name_hit h = lookup_field_name(s, t + ns, ne - ns);
        h.rule = deciding_rule(s, &h);
        if (h.rule >= 0 || h.nv > 0)
            pair_value(s, off, d, vs, ve, &h);
        c = t + ve - 1;
    }
}

/* Cookie lists in free text ("cart=c4rt1d; _ga=GA1.2.1234567.1700000000":
 * two pairs or more, token names, ';' between them): the cookie policy of
 * a Cookie header, whatever the names. */
static void scan_cookies(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    const char *t = d->text;
    size_t len = d->len;
    for (const char *c = t; (c = memchr(c, '=', (size_t)(t + len - c))) != NULL; c++) {
        size_t e = (size_t)(c - t), ns = e;
        while (ns > 0 && t[ns - 1] != '\'' && lgn_cookie_token(t + ns - 1, 1))
            ns--;
        size_t end = ns < e ? lgn_cookie_list_at(t, len, ns) : 0;
        if (end == 0)
            continue;
        size_t i = ns, eq, ve;
        for (bool first = true; i < end && lgn_cookie_pair_at(t, end, i, &eq, &ve); first = false) {
            cookie_value(s, off, d, i, eq, ve, first);
            for (i = ve; i < end && (t[i] == ' ' || t[i] == '\t' || t[i] == ';');)
                i++;
        }
        c = t + end - 1;
    }
}

static bool is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* True when the escapes in [p, p+n) write their hex letters in lower case. */
static bool lower_escapes(const char *p, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (p[i] == '%' && is_hex_digit(p[i + 1]) && is_hex_digit(p[i + 2])) {
            const char *c = p[i + 1] > '9' ? &p[i + 1] : &p[i + 2];
            if (*c > '9')
                return *c >= 'a';
        }
    return false;
}

/* Was [p, p+n) written as a hidden address by an earlier round? */
static bool written_before(const struct lgn_scrub *s, const char *p, size_t n)
{
    const unsigned char *w = (const unsigned char *)s->written.buf;
    for (size_t i = 0; i < s->written_seen; i += 1 + w[i])
        if (w[i] == n && memcmp(w + i + 1, p, n) == 0)
            return true;
    return false;
}

/* Remembers an address written back as p[0..n) (n < 256), for the next rounds. */
static void remember_written(struct lgn_scrub *s, const char *p, size_t n)
{
    char e[256];
    if (n >= sizeof e)
        return;
    e[0] = (char)(unsigned char)n;
    memcpy(e + 1, p, n);
    if (lgn_arena_put(&s->written, e, n + 1) != 0)
        s->oom = true;
}

/* Addresses that only decoding reveals ("2001%3Adb8%3A%3A1") are
 * anonymised here, once: the next rounds over the result leave what an
 * earlier one wrote alone. Plain ones are left to the address scan that
 * follows. */
static void scan_hidden_ips(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d)
{
    struct lgn_ip_span sp;
    size_t from = 0;
    while (s->anon != NULL && lgn_ip_find(d->text, d->len, from, &sp)) {
        from = sp.start + sp.len;
        size_t rs = off + lgn_decoded_src(d, sp.start);
        size_t re = off + lgn_decoded_src(d, sp.start + sp.len);
        if (re - rs == sp.len || overlaps(s, rs, re))
            continue;
        s->kind = "address";
        /* After a '%' or a dangling "%X", the new digits could form another
         * escape with it (read differently next time): say what was there. */
        char before = rs > 0 ? s->field[rs - 1] : ' ';
        if (before == '%' || is_hex_digit(before) ||
            (sp.start > 0 && d->text[sp.start - 1] == '%')) {
            const char *m = s->text_markers ? "[address]" : "%5Baddress%5D";
            lgn_scrub_found_add(s, "address");
            add_edit(s, rs, re, m, strlen(m), false);
            continue;
        }
        if (written_before(s, s->field + rs, re - rs)) {
            add_edit(s, rs, re, "", 0, true);
            continue;
        }
        char ip[LGN_ANON_MAX], buf[3 * LGN_ANON_MAX];
        size_t m = lgn_anon_ip(s->anon, d->text + sp.start, sp.len, &sp.ip, ip), k = 0;
        bool lower = lower_escapes(s->field + rs, re - rs); /* "%3a" stays "%3a" */
        for (size_t i = 0; i < m; i++) { /* encoded, so the address scan leaves it alone */
            if (ip[i] == ':' || ip[i] == '.') {
                memcpy(buf + k, ip[i] == ':' ? (lower ? "%3a" : "%3A") : (lower ? "%2e" : "%2E"),
                       3);
                k += 3;
            } else {
                buf[k++] = ip[i];
            }
        }
        if (k != re - rs || memcmp(buf, s->field + rs, k) != 0)
            lgn_scrub_found_add(s, "address");
        add_edit(s, rs, re, buf, k, false);
        remember_written(s, buf, k);
    }
}

/* Forgets the last finding of this kind (its edit was superseded). */
static void found_drop(struct lgn_scrub *s, const char *kind)
{
    for (size_t i = s->n_found; i-- > 0;)
        if (s->found[i] == kind) {
            memmove(s->found + i, s->found + i + 1, (s->n_found - i - 1) * sizeof *s->found);
            s->n_found--;
            return;
        }
}

/* A value rule's match [start, end) that takes in, whole and with more
 * bytes, what earlier value rules matched in the same text (the edits from
 * `base` on) replaces them: the longer reading wins ("3782 822463 10005" is
 * a card, not the national code its first ten digits spell). True when it
 * did (those edits are gone); false when nothing is there to take over or
 * an edit it meets is older, a claim (`keep`), or crosses its bounds. */
static bool supersedes(struct lgn_scrub *s, size_t base, size_t start, size_t end)
{
    bool any = false;
    for (size_t i = 0; i < s->n_edits; i++) {
        const struct edit *e = &s->edits[i];
        bool inside = e->start >= start && e->end <= end;
        if (!inside && !(e->start < end && start < e->end))
            continue;
        if (i < base || e->claim || !inside || e->end - e->start == end - start)
            return false;
        any = true;
    }
    if (!any)
        return false;
    for (size_t i = base; i < s->n_edits; i++)
        if (s->edits[i].start >= start && s->edits[i].end <= end)
            found_drop(s, s->edits[i].kind);
    drop_edits_within(s, start, end);
    return true;
}

/* Runs the value rules over decoded text. `param` is the name hit of the
 * query parameter this is the value of (name+value rules need it), or NULL. */
static void scan_values(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d,
                        const struct features *f, const struct name_hit *param)
{
    if (s->rules == NULL) /* --no-filters with --query drop or --keep-params */
        return;
    size_t base = s->n_edits; /* edits from here on are this text's value matches */
    for (size_t i = 0; i < s->n_value && !s->oom; i++) {
        if (!may_match_features(s, i, d->len, f))
            continue;
        const struct lgn_rule *r = &s->rules->v[s->value[i]];
        if (lgn_rule_has_name(r) &&
            (param == NULL || s->nv_bit[i] < 0 || !((param->nv >> s->nv_bit[i]) & 1)))
            continue;
        if (s->user_agent && s->email_rule[i])
            continue;
        if (!may_match(s, i, d->text, d->len, f))
            continue;
        size_t start = 0;
        while (start <= d->len) {
            s->regex_runs++;
            int rc =
                pcre2_match(r->value_re, (PCRE2_SPTR)d->text, d->len, start, 0, s->md, s->mctx);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            size_t ms, me;
            if (rc < 0) { /* match limit: whatever is left is not looked at, so it goes */
                ms = start, me = d->len;
            } else {
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
                ms = ov[0], me = ov[1];
            }
            if (me <= ms) {
                start = ms + 1;
                continue;
            }
            size_t rs = off + lgn_decoded_src(d, ms), re = off + lgn_decoded_src(d, me);
            if (!overlaps(s, rs, re) || supersedes(s, base, rs, re)) {
                if (r->action == LGN_ACT_DROP && param != NULL)
                    s->drop_param = true;
                act(s, r, rs, re, d->text + ms, me - ms);
            }
            if (rc < 0)
                break;
            start = me;
        }
    }
}

/* The first value rule (without a name test, not `keep`) that matches
 * decoded text p, or NULL. */
static const struct lgn_rule *first_value_hit(struct lgn_scrub *s, const char *p, size_t n)
{
    struct features f;
    features_of(s, p, n, &f);
    for (size_t i = 0; i < s->n_value; i++) {
        if (!may_match_features(s, i, n, &f))
            continue;
        const struct lgn_rule *r = &s->rules->v[s->value[i]];
        if (lgn_rule_has_name(r) || r->action == LGN_ACT_KEEP || !may_match(s, i, p, n, &f))
            continue;
        s->regex_runs++;
        if (pcre2_match(r->value_re, (PCRE2_SPTR)p, n, 0, 0, s->md, s->mctx) >= 0)
            return r;
    }
    return NULL;
}

/* Base64 and base64url payloads in decoded text: one that decodes to text
 * holding what a value rule catches (an e-mail address, a phone, an id, a
 * card, an IBAN) is replaced whole, by that rule's marker, and one holding
 * a URL with credentials by the user marker. `slash`: '/'
 * belongs to a payload (not in paths); `plus`: query decoding made '+' a
 * blank. */
static void scan_payloads(struct lgn_scrub *s, size_t off, const struct lgn_decoded *d, bool slash,
                          bool plus)
{
    size_t from = 0, ps, pe;
    while (!s->oom && lgn_payload_next(d->text, d->len, from, slash, plus, &ps, &pe)) {
        from = pe;
        size_t rs = off + lgn_decoded_src(d, ps), re = off + lgn_decoded_src(d, pe);
        if (overlaps(s, rs, re))
            continue;
        size_t need = (pe - ps) / 4 * 3 + 4;
        if (need > s->payload_cap) {
            unsigned char *b = realloc(s->payload, need);
            if (b == NULL) {
                s->oom = true;
                return;
            }
            s->payload = b;
            s->payload_cap = need;
        }
        long m = lgn_base64_decode(d->text + ps, pe - ps, s->payload);
        if (m < LGN_PAYLOAD_MIN_BYTES || !lgn_payload_is_text(s->payload, (size_t)m))
            continue;
        if (lgn_decode(&s->dec_payload, (const char *)s->payload, (size_t)m, LGN_DEC_ESCAPES) !=
            0) {
            s->oom = true;
            return;
        }
        const struct lgn_rule *r = first_value_hit(s, s->dec_payload.text, s->dec_payload.len);
        struct lgn_span ui;
        if (r != NULL) {
            act(s, r, rs, re, s->dec_payload.text, s->dec_payload.len);
        } else if (lgn_find_userinfo((const char *)s->payload, &s->dec_payload, 0, &ui)) {
            const char *um = s->text_markers ? "[user]" : "%5Buser%5D";
            s->kind = "user";
            lgn_scrub_found_add(s, "user");
            add_edit(s, rs, re, um, strlen(um), false);
        }
    }
}

/* True when text with these features needs lgn_decode. */
static bool needs_decoding(const struct features *f, unsigned flags)
{
    return (f->cls & (CLS_PCT | CLS_HIGH | CLS_FOLD)) ||
           ((flags & (LGN_DEC_PLUS | LGN_DEC_DIGIT_PLUS)) && (f->cls & CLS_PLUS)) ||
           ((flags & LGN_DEC_ESCAPES) && (f->cls & CLS_BSLASH));
}

/* True when some value rule's prefilter passes for text with features f
 * (a name+value rule counts when any parameter name could select it). */
static bool any_value_rule(const struct lgn_scrub *s, const char *p, size_t n,
                           const struct features *f)
{
    for (size_t i = 0; i < s->n_value; i++)
        if (may_match_features(s, i, n, f) && may_match(s, i, p, n, f))
            return true;
    return false;
}

/* One piece of the field, [off, off+n): decoded, then name=value pairs,
 * value rules and hidden addresses. `stop` ends pair values ('/' in paths). */
static void scan(struct lgn_scrub *s, size_t off, size_t n, unsigned flags, char stop,
                 const struct name_hit *param)
{
    if (n == 0 || s->oom)
        return;
    struct features f;
    const char *raw = s->field + off;
    features_of(s, raw, n, &f);
    if (needs_decoding(&f, flags)) {
        if (lgn_decode(&s->dec, raw, n, flags) != 0) {
            s->oom = true;
            return;
        }
        features_of(s, s->dec.text, s->dec.len, &f);
    } else {
        s->dec.text = raw;
        s->dec.len = n;
        s->dec.map = NULL;
    }
    const struct lgn_decoded *d = &s->dec;
    if (s->free_text && (f.cls & CLS_EQ)) {
        /* a cookie list is read as written too: decoding may cut a value
         * ("x=%25192.0.2.1;sid=…" decodes to a control byte) */
        struct lgn_decoded as_written = {.text = raw, .len = n, .map = NULL};
        if (d->map != NULL)
            scan_cookies(s, off, &as_written);
        scan_cookies(s, off, d);
    }
    if ((f.cls & CLS_AT) && s->rules && s->rules->n > 0)
        scan_userinfo(s, off, d);
    if (s->n_name_only + s->n_nv > 0 && !s->user_agent && memchr(d->text, '<', d->len) != NULL)
        scan_xml_elements(s, off, d);
    if (s->n_name_only + s->n_nv > 0 && s->free_text && contains(d->text, d->len, "form-data", 9))
        scan_form_parts(s, off, d);
    if (s->n_name_only + s->n_nv > 0 && (f.cls & CLS_EQ))
        scan_pairs(s, off, d, stop);
    if (s->n_name_only + s->n_nv > 0 && !s->user_agent && memchr(d->text, ':', d->len) != NULL &&
        (s->free_text || memchr(d->text, '"', d->len) != NULL))
        scan_colon_pairs(s, off, d);
    scan_values(s, off, d, &f, param);
    if ((s->free_text || s->user_agent) && s->rules != NULL)
        scan_schemes(s, off, d);
    if ((f.cls & CLS_UPPER) && d->len >= (LGN_PAYLOAD_MIN_BYTES * 4 + 2) / 3 && s->n_value > 0 &&
        !s->user_agent)
        scan_payloads(s, off, d, stop != '/', (flags & LGN_DEC_PLUS) != 0);
    if (d->map != NULL)
        scan_hidden_ips(s, off, d);
}

/* 9 digits or more in a row (7 after a '+'), single blanks, dashes, dots
 * and parentheses between them allowed, except dots in a product version
 * (digits after a '/': "Chrome/122.0.6261.94"). Versions and build dates
 * ("Gecko/20100101") are shorter. */
static bool ua_may_hold_number(const char *p, size_t n)
{
    size_t run = 0, need = 9;
    bool version = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool digit_before = i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9';
        if (c >= '0' && c <= '9') {
            if (run == 0) {
                need = i > 0 && p[i - 1] == '+' ? 7 : 9;
                version = i > 0 && p[i - 1] == '/';
            }
            if (++run >= need)
                return true;
        } else if (!(digit_before &&
                     (c == ' ' || c == '-' || c == '(' || c == ')' || (c == '.' && !version)))) {
            run = 0;
        }
    }
    return false;
}

/* A URL with user information may be in a user agent: an '@' and a "//"
 * ("http://", a scheme-relative "//"), or a '%' (an encoded URL). */
static bool ua_may_hold_userinfo(const char *p, size_t n)
{
    return (memchr(p, '@', n) != NULL && contains(p, n, "//", 2)) || memchr(p, '%', n) != NULL;
}

bool lgn_scrub_ua_may_hold(const char *p, size_t n)
{
    return ua_may_hold_number(p, n) || memchr(p, '=', n) != NULL || contains(p, n, "eyJ", 3) ||
           ua_may_hold_userinfo(p, n);
}

/* ---- URLs ---- */

static struct param *param_slot(struct lgn_scrub *s, size_t i)
{
    if (i >= s->cap_params) {
        size_t cap = s->cap_params ? s->cap_params * 2 : 32;
        struct param *p = realloc(s->params, cap * sizeof *p);
        if (p == NULL) {
            s->oom = true;
            return NULL;
        }
        s->params = p;
        s->cap_params = cap;
    }
    return &s->params[i];
}

#define NO_QMARK ((size_t)-1)

/* The query [off, off+n) of the field; qmark is the offset of its '?' (or
 * NO_QMARK). Dropped parameters are cut out with their '&'. */
static void scrub_query(struct lgn_scrub *s, size_t off, size_t n, size_t qmark)
{
    size_t from = qmark == NO_QMARK ? off : qmark;
    s->kind = "query";
    if (s->drop_query) {
        size_t end = off + n;
        drop_edits_within(s, from, end);
        absorb_crossing(s, &from, &end);
        add_edit(s, from, end, qmark == NO_QMARK ? "-" : "", qmark == NO_QMARK, false);
        return;
    }
    const char *q = s->field + off;
    size_t pos = 0, np = 0;
    bool any_drop = false;
    struct lgn_param prm;
    while (lgn_query_next(q, n, &pos, &prm) && !s->oom) {
        struct param *pp = param_slot(s, np++);
        if (pp == NULL)
            return;
        pp->start = off + prm.start;
        pp->end = off + prm.end;
        pp->drop = false;
        if (prm.end == prm.start)
            continue;
        if (lgn_decode(&s->dec_name, q + prm.start, prm.name_end - prm.start,
                       LGN_DEC_PLUS | LGN_DEC_ESCAPES) != 0) {
            s->oom = true;
            return;
        }
        const char *name = s->dec_name.text;
        size_t name_n = s->dec_name.len;
        if (s->has_keep && !in_list(&s->keep, name, name_n)) {
            pp->drop = any_drop = true;
            continue;
        }
        size_t vs = off + prm.value_start, ve = off + prm.end;
        if (s->drop_search && is_search_name(s, name, name_n)) {
            search_marker(s, vs, ve);
            continue;
        }
        struct name_hit h = lookup_name(s, name, name_n);
        int rule = deciding_rule(s, &h);
        if (rule >= 0) {
            const struct lgn_rule *r = &s->rules->v[rule];
            if (r->action == LGN_ACT_DROP) {
                pp->drop = any_drop = true;
            } else if (ve > vs) {
                if (lgn_decode(&s->dec, s->field + vs, ve - vs, LGN_DEC_PLUS | LGN_DEC_ESCAPES) !=
                    0) {
                    s->oom = true;
                    return;
                }
                /* the whole value goes: what a scan of the whole URL found
                 * inside it ("&#" entities) is part of it */
                drop_edits_within(s, vs, ve);
                if (!overlaps(s, vs, ve))
                    act(s, r, vs, ve, s->dec.text, s->dec.len);
            }
            continue;
        }
        s->drop_param = false;
        if (prm.has_eq)
            scan(s, vs, ve - vs, LGN_DEC_PLUS | LGN_DEC_ESCAPES, 0, &h);
        else /* a bare "?jane@example.com" */
            scan(s, pp->start, pp->end - pp->start, LGN_DEC_PLUS | LGN_DEC_ESCAPES, 0, NULL);
        if (s->drop_param)
            pp->drop = any_drop = true;
    }
    if (!any_drop || s->oom)
        return;
    /* A parameter under an edit that crosses the query's bounds goes: its
     * bytes must not come back in the rebuilt query. */
    for (size_t i = 0; i < np; i++)
        for (size_t k = 0; k < s->n_edits && !s->params[i].drop; k++) {
            const struct edit *e = &s->edits[k];
            s->params[i].drop = e->start < s->params[i].end && s->params[i].start < e->end &&
                                !(e->start >= from && e->end <= off + n);
        }
    /* Rebuild the query from the kept parameters, their edits applied. */
    if (s->n_edits > 1)
        qsort(s->edits, s->n_edits, sizeof *s->edits, cmp_edits);
    size_t kept = 0, at = s->reps_len;
    for (size_t i = 0; i < np; i++) {
        const struct param *pp = &s->params[i];
        if (pp->drop)
            continue;
        size_t m = render(s, pp->start, pp->end);
        if (m == (size_t)-1) {
            s->oom = true;
            return;
        }
        if (kept > 0)
            put_rep(s, "&", 1);
        else if (qmark != NO_QMARK)
            put_rep(s, "?", 1);
        put_rep(s, s->out, m);
        kept++;
    }
    if (kept == 0 && qmark == NO_QMARK)
        put_rep(s, "-", 1);
    size_t end = off + n;
    drop_edits_within(s, from, end); /* they are in the rebuilt text now */
    absorb_crossing(s, &from, &end);
    size_t len = s->reps_len - at;
    add_edit(s, from, end, "", 0, false);
    if (!s->oom) {
        s->edits[s->n_edits - 1].rep = at;
        s->edits[s->n_edits - 1].rep_len = len;
    }
}

/* "jane&#64;example.com" raw in a URL or a query reads as a new parameter
 * and a fragment, so such text is also read whole. */
static void scan_entities(struct lgn_scrub *s, size_t off, size_t n)
{
    if (contains(s->field + off, n, "&#", 2))
        scan(s, off, n, LGN_DEC_ESCAPES, 0, NULL);
}

static void scrub_url(struct lgn_scrub *s, size_t off, size_t n)
{
    struct lgn_url_parts u;
    lgn_url_split(s->field + off, n, &u);
    s->oauth = -1;
    s->oauth_path = (struct lgn_span){off + u.path.off, u.path.len};
    s->oauth_query = (struct lgn_span){off + u.query.off, u.has_query ? u.query.len : 0};
    if (u.userinfo.len > 0 && s->rules && s->rules->n > 0) {
        const char *m = s->text_markers ? "[user]" : "%5Buser%5D";
        s->kind = "user";
        add_edit(s, off + u.userinfo.off, off + u.userinfo.off + u.userinfo.len, m, strlen(m),
                 false);
    }
    scan_entities(s, off, n);
    /* A host holds no personal data, but junk can stand where one should. */
    scan(s, off + u.host.off, u.host.len, LGN_DEC_ESCAPES, 0, NULL);
    scan(s, off + u.path.off, u.path.len, LGN_DEC_ESCAPES, '/', NULL);
    if (u.has_query)
        scrub_query(s, off + u.query.off, u.query.len, off + u.query.off - 1);
    if (u.has_fragment)
        scan(s, off + u.fragment.off, u.fragment.len, LGN_DEC_PLUS | LGN_DEC_ESCAPES, 0, NULL);
}

/* One pass over the field: 1 and *m when it changed (the bytes in s->out;
 * with m NULL, only the edits, for lgn_scrub_find), 0 when not, -1 when out
 * of memory. */
static int scrub_once(struct lgn_scrub *s, enum lgn_scrub_kind kind, const char *p, size_t n,
                      size_t *m)
{
    if (n == 0 || (n == 1 && p[0] == '-'))
        return 0;
    s->field = p;
    s->field_len = n;
    s->n_edits = 0;
    s->reps_len = 0;
    s->oom = false;
    s->text_markers = kind == LGN_SCRUB_TEXT || kind == LGN_SCRUB_UA;
    s->oauth = 0;
    s->free_text = kind == LGN_SCRUB_TEXT;
    s->user_agent = kind == LGN_SCRUB_UA;
    /* The fast path: nothing to split, decode or pair up, and no value rule
     * can match these bytes (so a static file's URL costs one pass). */
    struct features f;
    features_of(s, p, n, &f);
    size_t ps, pe;
    if (!(f.cls & (CLS_QMARK | CLS_HASH | CLS_EQ | CLS_AT | CLS_PCT | CLS_PLUS | CLS_BSLASH |
                   CLS_HIGH | CLS_FOLD)) &&
        !any_value_rule(s, p, n, &f) && !(s->free_text && memchr(p, ':', n) != NULL) &&
        !(s->free_text && memchr(p, '<', n) != NULL) &&
        !(s->free_text && next_credential(p, n, 0, &ps, &pe)) &&
        !(s->n_value > 0 && (f.cls & CLS_UPPER) &&
          lgn_payload_next(p, n, 0, kind == LGN_SCRUB_TEXT, false, &ps, &pe)))
        return 0;
    struct lgn_span t;
    switch (kind) {
    case LGN_SCRUB_REQUEST:
        if (lgn_request_target(p, n, &t)) {
            scrub_url(s, t.off, t.len);
        } else { /* not a request line: binary junk, "-", a bare word */
            s->text_markers = true;
            scan(s, 0, n, LGN_DEC_ESCAPES | LGN_DEC_DIGIT_PLUS, 0, NULL);
        }
        break;
    case LGN_SCRUB_URL:
        scrub_url(s, 0, n);
        break;
    case LGN_SCRUB_QUERY:
        s->oauth = -1;
        s->oauth_query = (struct lgn_span){0, n};
        scan_entities(s, 0, n);
        if (p[0] == '?')
            scrub_query(s, 1, n - 1, 0);
        else
            scrub_query(s, 0, n, NO_QMARK);
        break;
    case LGN_SCRUB_TEXT:
        scan(s, 0, n, LGN_DEC_ESCAPES | LGN_DEC_DIGIT_PLUS, 0, NULL);
        break;
    case LGN_SCRUB_UA:
        scan(s, 0, n, LGN_DEC_ESCAPES, 0, NULL);
        break;
    }
    if (s->oom)
        return -1;
    size_t changed = 0;
    for (size_t i = 0; i < s->n_edits; i++)
        changed += !s->edits[i].claim;
    if (changed == 0)
        return 0;
    if (m == NULL)
        return 1;
    s->replaced += changed;
    if (s->n_edits > 1)
        qsort(s->edits, s->n_edits, sizeof *s->edits, cmp_edits);
    *m = render(s, 0, n);
    return *m == (size_t)-1 ? -1 : 1;
}

unsigned long long lgn_scrub_replaced(const struct lgn_scrub *s)
{
    return s != NULL ? s->replaced : 0;
}

int lgn_scrub(struct lgn_scrub *s, enum lgn_scrub_kind kind, const char *p, size_t n,
              const char **out, size_t *out_len)
{
    if (!lgn_scrub_enabled(s))
        return 0;
    size_t m;
    s->written.len = s->written_seen = 0;
    int rc = scrub_once(s, kind, p, n, &m);
    if (rc <= 0)
        return rc;
    /* A redaction can end what hid a match ("jane@example.com9161234567"
     * once the national code goes), so the result is scrubbed again, a few
     * times at most, until nothing changes. */
    for (int round = 0; round < 3; round++) {
        char *t = s->prev;
        size_t tcap = s->prev_cap;
        s->prev = s->out; /* this round's input: the last output */
        s->prev_cap = s->out_cap;
        s->out = t;
        s->out_cap = tcap;
        size_t m2;
        s->written_seen = s->written.len;
        rc = scrub_once(s, kind, s->prev, m, &m2);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            *out = s->prev;
            *out_len = m;
            return 1;
        }
        m = m2;
    }
    *out = s->out;
    *out_len = m;
    return 1;
}

int lgn_scrub_find(struct lgn_scrub *s, enum lgn_scrub_kind kind, const char *p, size_t n,
                   void (*found)(const char *kind, size_t start, size_t end, void *ctx), void *ctx)
{
    if (!lgn_scrub_enabled(s))
        return 0;
    s->written.len = s->written_seen = 0;
    int rc = scrub_once(s, kind, p, n, NULL); /* finding is not scrubbing: nothing rendered */
    if (rc <= 0)
        return rc;
    int k = 0;
    for (size_t i = 0; i < s->n_edits; i++) {
        const struct edit *e = &s->edits[i];
        /* An edit that writes the same bytes (an address already in its
         * output form, re-encoded) found nothing. */
        if (e->claim || (e->rep_len == e->end - e->start &&
                         memcmp(s->reps + e->rep, p + e->start, e->rep_len) == 0))
            continue;
        found(e->kind ? e->kind : "value", e->start, e->end, ctx);
        k++;
    }
    return k;
}

/* ---- examples ---- */

/* want may hold "<hash>": any 12 lowercase hex digits (the key is random). */
static bool same_output(const char *want, const char *got, size_t n)
{
    size_t i = 0;
    while (*want) {
        if (strncmp(want, "<hash>", 6) == 0) {
            for (int k = 0; k < 12; k++, i++)
                if (i >= n || !is_lower_hex(got[i]))
                    return false;
            want += 6;
        } else {
            if (i >= n || got[i] != *want)
                return false;
            i++, want++;
        }
    }
    return i == n;
}

long lgn_scrub_examples(struct lgn_scrub *s, FILE *out)
{
    long failed = 0;
    const struct lgn_rules *rs = s->rules;
    for (size_t i = 0; rs && i < rs->n; i++) {
        const struct lgn_rule *r = &rs->v[i];
        for (size_t k = 0; k < r->n_examples; k++) {
            const struct lgn_example *e = &r->examples[k];
            const char *got = e->input;
            size_t n = strlen(e->input);
            int rc = lgn_scrub(s, LGN_SCRUB_URL, e->input, n, &got, &n);
            if (rc < 0)
                return -1;
            if (same_output(e->output, got, n)) {
                fprintf(out, "ok - %s:%u: %s: %s\n", r->file, e->line, r->id, e->input);
            } else {
                failed++;
                fprintf(out, "not ok - %s:%u: %s: %s\n#   want: %s\n#   got:  %.*s\n", r->file,
                        e->line, r->id, e->input, e->output, (int)n, got);
            }
        }
    }
    return failed;
}

int lgn_scrub_command(const struct lgn_config *cfg, bool test, FILE *out, struct lgn_err *err)
{
    struct lgn_config c = *cfg;
    c.drop_query = false; /* examples show what the rules do, whatever the options */
    c.keep_params = NULL;
    c.drop_search = false;
    struct lgn_anon_opts ao = cfg->anon;
    ao.key_file = NULL; /* a random key: examples write "<hash>" */
    ao.rotate_daily = false;
    struct lgn_anon *anon = lgn_anon_new(&ao, err);
    struct lgn_scrub *s = anon ? lgn_scrub_open(&c, anon, err) : NULL;
    int code = LGN_EXIT_OK;
    if (s == NULL) {
        code = err->exit_code;
    } else if (!test) {
        lgn_rules_list(s->rules, out);
    } else {
        long failed = lgn_scrub_examples(s, out);
        if (failed < 0) {
            code = LGN_EXIT_INTERNAL;
            lgn_err_set(err, code, "out of memory");
        } else if (failed > 0) {
            code = 1;
            lgn_err_set(err, code, "%ld example%s failed", failed, failed == 1 ? "" : "s");
        }
    }
    lgn_scrub_free(s);
    lgn_anon_free(anon);
    return code;
}
