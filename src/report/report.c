/* report.c: the report model: table shapes, derived figures, k-suppression, merging. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logtime.h"

const char *const lgn_report_sum_names[LGN_S_COUNT] = {
    "hits",
    "bot_hits",
    "bytes",
    "bot_bytes",
    "page_views",
    "visits",
    "bounces",
    "visit_hits",
    "visit_duration_total_s",
    "time_on_page_samples",
    "time_on_page_total_s",
    "exit_page_views",
};

const char *const lgn_report_derived_names[LGN_SD_COUNT] = {
    "bounce_rate",          "avg_time_on_page_s", "median_time_on_page_s",
    "avg_visit_duration_s", "pages_per_visit",    "actions_per_visit",
};

/* Distinct visitors of a row are counted exactly up to this many (then a
 * HyperLogLog sketch, marked estimated): the same log gives the same
 * figures on every run, whatever the visitor key. */
#define LGN_EXACT_CAP 4096

/* clang-format off */
const struct lgn_table_def lgn_table_defs[LGN_T_COUNT] = {
    [LGN_T_DAYS] = {"days", "Days", 1, {"date"}, {false},
        7, {"hits", "bot_hits", "bytes", "page_views", "visits", "bounces", "ua_ip_visitors"},
        1, {{"bounce_rate", 5, 4}}, true, 12, 0, false},
    [LGN_T_HOURS] = {"hours", "Hours of the day", 1, {"hour"}, {true},
        4, {"hits", "bot_hits", "page_views", "visits"}, 0, {{0}}, true, 10, LGN_EXACT_CAP, false},
    [LGN_T_PAGES] = {"pages", "Pages", 1, {"path"}, {false},
        3, {"views", "time_on_page_samples", "time_on_page_total_s"},
        1, {{"avg_time_on_page_s", 2, 1}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_ENTRY_PAGES] = {"entry_pages", "Entry pages", 1, {"path"}, {false},
        2, {"visits", "bounces"}, 1, {{"bounce_rate", 1, 0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_EXIT_PAGES] = {"exit_pages", "Exit pages", 1, {"path"}, {false},
        1, {"visits"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_REFERRERS] = {"referrers", "Referrers", 1, {"domain"}, {false},
        2, {"visits", "page_views"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_COUNTRIES] = {"countries", "Countries", 1, {"country"}, {false},
        2, {"visits", "page_views"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_DEVICES] = {"devices", "Device types", 1, {"type"}, {false},
        2, {"visits", "page_views"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, false},
    [LGN_T_OS] = {"os", "Operating systems", 2, {"family", "version"}, {false, false},
        2, {"visits", "page_views"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_BROWSERS] = {"browsers", "Browsers", 2, {"family", "version"}, {false, false},
        2, {"visits", "page_views"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_STATUS] = {"status", "Status codes", 1, {"code"}, {true},
        1, {"hits"}, 0, {{0}}, true, 10, LGN_EXACT_CAP, false},
    [LGN_T_STATUS_CLASSES] = {"status_classes", "Status classes", 1, {"class"}, {false},
        1, {"hits"}, 0, {{0}}, true, 10, LGN_EXACT_CAP, false},
    [LGN_T_BOTS] = {"bots", "Bots", 1, {"family"}, {false},
        2, {"hits", "bytes"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_REQUESTS] = {"requests", "Requests (all hits)", 1, {"path"}, {false},
        2, {"hits", "bytes"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_WEEKDAYS] = {"weekdays", "Days of the week", 1, {"weekday"}, {true},
        4, {"hits", "bot_hits", "page_views", "visits"}, 0, {{0}}, true, 10, LGN_EXACT_CAP, false},
    [LGN_T_NOT_FOUND] = {"not_found", "Not found (404)", 1, {"path"}, {false},
        1, {"hits"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
    [LGN_T_CAMPAIGNS] = {"campaigns", "Campaigns (source / medium / campaign)", 1, {"campaign"},
        {false}, 1, {"visits"}, 0, {{0}}, false, 10, LGN_EXACT_CAP, true},
};
/* clang-format on */

struct lgn_report *lgn_report_new(void)
{
    struct lgn_report *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->min_visitors = LGN_REPORT_DEFAULT_K;
    r->visit_timeout_s = 1800;
    r->inputs = 1;
    return r;
}

static void row_clear(struct lgn_report_row *row)
{
    free(row->key[0]);
    free(row->key[1]);
    free(row->hll);
    free(row->keys);
    memset(row, 0, sizeof *row);
}

void lgn_report_free(struct lgn_report *r)
{
    if (r == NULL)
        return;
    for (unsigned t = 0; t < LGN_T_COUNT; t++) {
        for (size_t i = 0; i < r->t[t].n; i++)
            row_clear(&r->t[t].rows[i]);
        free(r->t[t].rows);
        row_clear(&r->t[t].other);
    }
    for (size_t i = 0; i < r->n_in; i++)
        free(r->in[i].host);
    free(r->in);
    free(r->assets);
    free(r->site_hosts);
    free(r->geo_db);
    lgn_hll_free(r->visitors_hll);
    free(r->top_hist);
    free(r);
}

struct lgn_report_row *lgn_report_add_row(struct lgn_report_table *t, const char *k0,
                                          const char *k1)
{
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        struct lgn_report_row *nr = realloc(t->rows, nc * sizeof *nr);
        if (nr == NULL)
            return NULL;
        t->rows = nr;
        t->cap = nc;
    }
    struct lgn_report_row *row = &t->rows[t->n];
    memset(row, 0, sizeof *row);
    row->key[0] = strdup(k0 != NULL ? k0 : "");
    row->key[1] = k1 != NULL ? strdup(k1) : NULL;
    if (row->key[0] == NULL || (k1 != NULL && row->key[1] == NULL)) {
        row_clear(row);
        return NULL;
    }
    t->n++;
    return row;
}

int lgn_report_add_top(struct lgn_report *r, uint64_t s, uint64_t n)
{
    if (s >= r->top_hist_n) {
        size_t nn = r->top_hist_n ? r->top_hist_n : 64;
        while (nn <= s)
            nn *= 2;
        uint64_t *h = realloc(r->top_hist, nn * sizeof *h);
        if (h == NULL)
            return -1;
        memset(h + r->top_hist_n, 0, (nn - r->top_hist_n) * sizeof *h);
        r->top_hist = h;
        r->top_hist_n = nn;
    }
    r->top_hist[s] += n;
    return 0;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b == 0 ? 0.0 : (double)a / (double)b;
}

static double median(const struct lgn_report *r)
{
    uint64_t n = 0;
    for (size_t i = 0; i < r->top_hist_n; i++)
        n += r->top_hist[i];
    if (n == 0)
        return 0.0;
    /* The lower and upper middle samples (the same when n is odd). */
    uint64_t lo = (n - 1) / 2, hi = n / 2, seen = 0;
    double a = -1, b = -1;
    for (size_t i = 0; i < r->top_hist_n && b < 0; i++) {
        seen += r->top_hist[i];
        if (a < 0 && seen > lo)
            a = (double)i;
        if (b < 0 && seen > hi)
            b = (double)i;
    }
    return (a + b) / 2.0;
}

double lgn_report_summary(const struct lgn_report *r, enum lgn_sumd_id id)
{
    const uint64_t *s = r->sum;
    switch (id) {
    case LGN_SD_BOUNCE_RATE:
        return ratio(s[LGN_S_BOUNCES], s[LGN_S_VISITS]);
    case LGN_SD_AVG_TOP:
        return ratio(s[LGN_S_TOP_TOTAL], s[LGN_S_TOP_N]);
    case LGN_SD_MEDIAN_TOP:
        return median(r);
    case LGN_SD_AVG_DURATION:
        return ratio(s[LGN_S_DURATION], s[LGN_S_VISITS]);
    case LGN_SD_PAGES_PER_VISIT:
        return ratio(s[LGN_S_PAGE_VIEWS], s[LGN_S_VISITS]);
    case LGN_SD_ACTIONS_PER_VISIT:
        return ratio(s[LGN_S_VISIT_HITS], s[LGN_S_VISITS]);
    case LGN_SD_COUNT:
        break;
    }
    return 0.0;
}

double lgn_report_row_derived(const struct lgn_table_def *def, const struct lgn_report_row *row,
                              unsigned d)
{
    return ratio(row->v[def->derived[d].num], row->v[def->derived[d].den]);
}

/* Adds src's counters and sketch into dst. dst's visitors become the
 * estimate of the merged sketch, or vsum (an upper bound) without one; vsum
 * itself (exact) when it is at most exact_upto (disjoint visitor sets). */
static int row_add(struct lgn_report_row *dst, const struct lgn_report_row *src, unsigned p,
                   uint64_t vsum, uint64_t exact_upto)
{
    for (unsigned i = 0; i < LGN_REPORT_MAXV; i++)
        dst->v[i] += src->v[i];
    bool exact = vsum <= exact_upto && !dst->estimated && !src->estimated;
    dst->estimated = !exact;
    if (src->hll == NULL) {
        dst->visitors = vsum;
        return 0;
    }
    int rc = -1;
    struct lgn_hll *b = lgn_hll_from_base64(src->hll, strlen(src->hll), NULL);
    struct lgn_hll *a = dst->hll != NULL ? lgn_hll_from_base64(dst->hll, strlen(dst->hll), NULL)
                                         : lgn_hll_new(b != NULL && b->p < p ? b->p : p);
    if (a == NULL || b == NULL || lgn_hll_merge(a, b) != 0)
        goto out;
    char *s = lgn_hll_to_base64(a);
    if (s == NULL)
        goto out;
    free(dst->hll);
    dst->hll = s;
    dst->visitors = exact ? vsum : (uint64_t)(lgn_hll_estimate(a) + 0.5);
    rc = 0;
out:
    lgn_hll_free(a);
    lgn_hll_free(b);
    return rc;
}

static int key_cmp(const struct lgn_table_def *def, const struct lgn_report_row *a,
                   const struct lgn_report_row *b)
{
    for (unsigned k = 0; k < def->nkeys; k++) {
        const char *x = a->key[k] ? a->key[k] : "", *y = b->key[k] ? b->key[k] : "";
        int c;
        if (def->key_numeric[k]) {
            size_t lx = strlen(x), ly = strlen(y);
            c = lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
        } else {
            c = strcmp(x, y);
        }
        if (c != 0)
            return c;
    }
    return 0;
}

static int row_order(const struct lgn_table_def *def, const struct lgn_report_row *a,
                     const struct lgn_report_row *b)
{
    if (!def->by_key) {
        if (a->v[0] != b->v[0])
            return a->v[0] > b->v[0] ? -1 : 1;
        if (a->visitors != b->visitors)
            return a->visitors > b->visitors ? -1 : 1;
    }
    return key_cmp(def, a, b);
}

/* A stable merge sort of rows (qsort has no context argument in C11). */
static int sort_rows(const struct lgn_table_def *def, struct lgn_report_row *rows, size_t n)
{
    if (n < 2)
        return 0;
    struct lgn_report_row *tmp = malloc(n * sizeof *tmp);
    if (tmp == NULL)
        return -1;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = row_order(def, &rows[j], &rows[i]) < 0 ? rows[j++] : rows[i++];
            while (i < mid)
                tmp[o++] = rows[i++];
            while (j < hi)
                tmp[o++] = rows[j++];
        }
        memcpy(rows, tmp, n * sizeof *rows);
    }
    free(tmp);
    return 0;
}

/* Rows folded into "(other)" (struct lgn_report_fold). The sketch of
 * "(other)" is decoded once and serialised once: a table may hold a hundred
 * thousand small rows. Without a sketch in every folded row, its visitors
 * are the sum (an upper bound) and it keeps no sketch. */
int lgn_report_fold_begin(struct lgn_report_fold *f, const struct lgn_table_def *def,
                          const struct lgn_report_table *t)
{
    memset(f, 0, sizeof *f);
    f->p = def->hll_p;
    const struct lgn_report_row *other = &t->other;
    f->sketched = !t->has_other || other->hll != NULL;
    /* "(other)" is counted exactly when every row in it came with its
     * visitor ids (a run, not a merge). */
    f->exact = !(t->has_other && other->keys == NULL && other->visitors > 0);
    if (t->has_other && other->hll != NULL &&
        (f->acc = lgn_hll_from_base64(other->hll, strlen(other->hll), NULL)) == NULL)
        f->rc = -1;
    return f->rc;
}

/* Appends ids to the fold's; false when out of memory. */
static bool fold_keys(struct lgn_report_fold *f, const uint64_t *keys, size_t n)
{
    if (n == 0)
        return true;
    if (n > f->cap - f->nkeys) {
        size_t nc = f->cap ? f->cap : 256;
        while (nc - f->nkeys < n)
            nc *= 2;
        uint64_t *k = realloc(f->keys, nc * sizeof *k);
        if (k == NULL)
            return false;
        f->keys = k;
        f->cap = nc;
    }
    memcpy(f->keys + f->nkeys, keys, n * sizeof *keys);
    f->nkeys += n;
    return true;
}

void lgn_report_fold_add(struct lgn_report_fold *f, const uint64_t *v, unsigned nv,
                         uint64_t visitors, const char *hll, const uint64_t *keys, size_t nkeys)
{
    if (f->rc != 0)
        return;
    f->n++;
    for (unsigned i = 0; i < nv && i < LGN_REPORT_MAXV; i++)
        f->v[i] += v[i];
    f->vsum += visitors;
    if (keys == NULL && visitors > 0)
        f->exact = false;
    if (f->exact && keys != NULL && !fold_keys(f, keys, nkeys))
        f->exact = false; /* counted from the sketch instead */
    f->sketched = f->sketched && (hll != NULL || keys != NULL);
    if (!f->sketched)
        return;
    if (f->acc == NULL && (f->acc = lgn_hll_new(f->p)) == NULL)
        f->rc = -1;
    else if (hll != NULL)
        f->rc = lgn_hll_merge_base64(f->acc, hll, strlen(hll), NULL);
    else /* a run's row: its ids, at the table's precision */
        for (size_t j = 0; j < nkeys; j++)
            lgn_hll_add(f->acc, keys[j]);
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts keys[0..n) and keeps each once; returns how many are left. */
static size_t distinct_keys(uint64_t *keys, size_t n)
{
    if (n == 0)
        return 0;
    qsort(keys, n, sizeof *keys, u64_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || keys[i] != keys[m - 1])
            keys[m++] = keys[i];
    return m;
}

int lgn_report_fold_finish(struct lgn_report_fold *f, struct lgn_report_table *t)
{
    struct lgn_report_row *other = &t->other;
    int rc = f->rc;
    if (rc == 0 && f->n > 0) {
        bool had_other = t->has_other;
        for (unsigned v = 0; v < LGN_REPORT_MAXV; v++)
            other->v[v] += f->v[v];
        uint64_t sum = (had_other ? other->visitors : 0) + f->vsum;
        /* Every id of "(other)", once each, kept for a later fold. */
        bool exact = f->exact &&
                     (!had_other || other->keys == NULL || fold_keys(f, other->keys, other->nkeys));
        if (exact) {
            f->nkeys = distinct_keys(f->keys, f->nkeys);
            free(other->keys);
            other->keys = f->keys;
            other->nkeys = f->nkeys;
            f->keys = NULL;
        }
        t->has_other = true;
        free(other->hll);
        other->hll = f->sketched ? lgn_hll_to_base64(f->acc) : NULL;
        other->visitors = f->sketched ? (uint64_t)(lgn_hll_estimate(f->acc) + 0.5) : sum;
        other->estimated = !exact;
        if (exact)
            other->visitors = other->nkeys;
        rc = f->sketched && other->hll == NULL ? -1 : 0;
    }
    lgn_hll_free(f->acc);
    free(f->keys);
    memset(f, 0, sizeof *f);
    return rc;
}

/* A transient index over a table's rows by key (merging, folding as another report). */
struct index {
    size_t *slot; /* row index + 1; 0 = empty */
    size_t mask;
};

static int index_build(struct index *ix, const struct lgn_report_table *t, size_t extra);
static size_t *index_find(struct index *ix, const struct lgn_report_table *t,
                          const struct lgn_report_row *row);

/* Folds rows into "(other)", in place: those with fewer than k visitors, or,
 * with `as` (the table of a report over every visitor), those `as` does not
 * show (its own rows folded there). */
static int fold_small_rows(const struct lgn_table_def *def, struct lgn_report_table *t, unsigned k,
                           const struct lgn_report_table *as)
{
    struct index ix = {NULL, 0};
    if (as != NULL && index_build(&ix, as, 0) != 0)
        return -1;
    /* Rows that fold move to the end (in place). */
    size_t nkeep = 0;
    for (size_t i = 0; i < t->n; i++) {
        bool keep = as != NULL ? *index_find(&ix, as, &t->rows[i]) != 0 : t->rows[i].visitors >= k;
        if (keep) {
            struct lgn_report_row tmp = t->rows[nkeep];
            t->rows[nkeep++] = t->rows[i];
            t->rows[i] = tmp;
        }
    }
    free(ix.slot);
    if (nkeep == t->n)
        return 0; /* nothing folds: "(other)", if any, keeps its count */
    struct lgn_report_fold f;
    lgn_report_fold_begin(&f, def, t);
    for (size_t i = nkeep; i < t->n; i++) {
        struct lgn_report_row *row = &t->rows[i];
        lgn_report_fold_add(&f, row->v, LGN_REPORT_MAXV, row->visitors, row->hll, row->keys,
                            row->nkeys);
        row_clear(row);
    }
    t->n = nkeep;
    return lgn_report_fold_finish(&f, t);
}

int lgn_report_suppress(struct lgn_report *r, unsigned k, struct lgn_err *err)
{
    r->min_visitors = k;
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_table_def *def = &lgn_table_defs[ti];
        struct lgn_report_table *t = &r->t[ti];
        bool fold = def->folds && !r->partial;
        if ((fold && fold_small_rows(def, t, k, NULL) != 0) || sort_rows(def, t->rows, t->n) != 0)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    return 0;
}

int lgn_report_fold_as(struct lgn_report *r, const struct lgn_report *as, struct lgn_err *err)
{
    r->min_visitors = as->min_visitors;
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_table_def *def = &lgn_table_defs[ti];
        struct lgn_report_table *t = &r->t[ti];
        if ((def->folds && fold_small_rows(def, t, 0, &as->t[ti]) != 0) ||
            sort_rows(def, t->rows, t->n) != 0)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    return 0;
}

static uint64_t key_hash(const struct lgn_report_row *row)
{
    uint64_t h = 1469598103934665603ULL;
    for (int k = 0; k < 2; k++) {
        const char *s = row->key[k] ? row->key[k] : "";
        for (; *s; s++)
            h = (h ^ (unsigned char)*s) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
    }
    return h;
}

static bool same_key(const struct lgn_report_row *a, const struct lgn_report_row *b)
{
    for (int k = 0; k < 2; k++) {
        const char *x = a->key[k] ? a->key[k] : "", *y = b->key[k] ? b->key[k] : "";
        if (strcmp(x, y) != 0)
            return false;
    }
    return true;
}

static int index_build(struct index *ix, const struct lgn_report_table *t, size_t extra)
{
    size_t cap = 16;
    while (cap < 2 * (t->n + extra))
        cap *= 2;
    ix->slot = calloc(cap, sizeof *ix->slot);
    if (ix->slot == NULL)
        return -1;
    ix->mask = cap - 1;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = key_hash(&t->rows[i]) & ix->mask;
        while (ix->slot[j] != 0)
            j = (j + 1) & ix->mask;
        ix->slot[j] = i + 1;
    }
    return 0;
}

/* The slot for row's key: holds its index + 1, or 0 when absent. */
static size_t *index_find(struct index *ix, const struct lgn_report_table *t,
                          const struct lgn_report_row *row)
{
    size_t j = key_hash(row) & ix->mask;
    while (ix->slot[j] != 0 && !same_key(&t->rows[ix->slot[j] - 1], row))
        j = (j + 1) & ix->mask;
    return &ix->slot[j];
}

static bool str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Both are partitions of the same N and hold none in common. */
static bool disjoint_parts(const struct lgn_report *a, const struct lgn_report *b)
{
    if (a->parts == 0 || a->parts != b->parts)
        return false;
    for (size_t w = 0; w < LGN_REPORT_MAX_PARTS / 64; w++)
        if (a->held[w] & b->held[w])
            return false;
    return true;
}

/* into now holds both sets of partitions; all N of them: a whole report. */
static void merge_parts(struct lgn_report *into, const struct lgn_report *from, bool disjoint)
{
    bool all = disjoint;
    for (unsigned i = 0; disjoint && i < into->parts; i++) {
        into->held[i / 64] |= from->held[i / 64] & (UINT64_C(1) << (i % 64));
        all = all && (into->held[i / 64] >> (i % 64) & 1);
    }
    if (!disjoint || all) {
        into->parts = 0;
        memset(into->held, 0, sizeof into->held);
    }
}

int lgn_report_merge(struct lgn_report *into, const struct lgn_report *from, struct lgn_err *err)
{
    if (into->visit_timeout_s != from->visit_timeout_s)
        return lgn_err_set(err, LGN_EXIT_USAGE,
                           "reports use different visit timeouts (%lld s and %lld s)",
                           (long long)into->visit_timeout_s, (long long)from->visit_timeout_s);
    if (!str_eq(into->assets, from->assets))
        return lgn_err_set(err, LGN_EXIT_USAGE, "reports use different asset lists");
    if (lgn_report_check_distinct(into, from, err) != 0)
        return -1;
    for (size_t i = 0; i < from->n_in; i++)
        if (lgn_report_add_input(into, &from->in[i]) != 0)
            goto oom;
    if (from->reorder_window_s > into->reorder_window_s)
        into->reorder_window_s = from->reorder_window_s;
    if (from->min_visitors > into->min_visitors)
        into->min_visitors = from->min_visitors;
    into->inputs += from->inputs;
    if (from->has_time) {
        if (!into->has_time || from->first_time < into->first_time)
            into->first_time = from->first_time, into->first_tz = from->first_tz;
        if (!into->has_time || from->last_time > into->last_time)
            into->last_time = from->last_time, into->last_tz = from->last_tz;
        into->has_time = true;
    }
    if (into->geo_db == NULL && from->geo_db != NULL &&
        (into->geo_db = strdup(from->geo_db)) == NULL)
        goto oom;
    for (unsigned i = 0; i < LGN_S_COUNT; i++)
        into->sum[i] += from->sum[i];
    bool disjoint = disjoint_parts(into, from);
    uint64_t vsum = into->visitors + from->visitors;
    if (from->visitors_hll != NULL) {
        if (into->visitors_hll == NULL) {
            into->visitors_hll = lgn_hll_clone(from->visitors_hll);
            if (into->visitors_hll == NULL)
                goto oom;
        } else if (lgn_hll_merge(into->visitors_hll, from->visitors_hll) != 0) {
            goto oom;
        }
    }
    if (disjoint) {
        into->visitors = vsum; /* each counted exactly, no one twice */
        into->visitors_estimated = into->visitors_estimated || from->visitors_estimated;
    } else {
        if (into->visitors_hll != NULL && from->visitors_hll != NULL)
            into->visitors = (uint64_t)(lgn_hll_estimate(into->visitors_hll) + 0.5);
        else
            into->visitors = vsum; /* no sketch: an upper bound */
        into->visitors_estimated = true;
    }
    for (size_t s = 0; s < from->top_hist_n; s++)
        if (from->top_hist[s] != 0 && lgn_report_add_top(into, s, from->top_hist[s]) != 0)
            goto oom;

    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_table_def *def = &lgn_table_defs[ti];
        struct lgn_report_table *t = &into->t[ti];
        const struct lgn_report_table *f = &from->t[ti];
        uint64_t exact_upto = !disjoint ? 0 : def->exact_cap ? def->exact_cap : UINT64_MAX;
        struct index ix;
        if (index_build(&ix, t, f->n) != 0)
            goto oom;
        for (size_t i = 0; i < f->n; i++) {
            const struct lgn_report_row *src = &f->rows[i];
            size_t *slot = index_find(&ix, t, src);
            struct lgn_report_row *dst;
            if (*slot == 0) {
                /* A row only one report has keeps its exact figures. */
                dst = lgn_report_add_row(t, src->key[0], src->key[1]);
                if (dst == NULL || (src->hll != NULL && (dst->hll = strdup(src->hll)) == NULL)) {
                    free(ix.slot);
                    goto oom;
                }
                memcpy(dst->v, src->v, sizeof dst->v);
                dst->visitors = src->visitors;
                dst->estimated = src->estimated;
                *slot = t->n;
                continue;
            } else {
                dst = &t->rows[*slot - 1];
            }
            if (row_add(dst, src, def->hll_p, dst->visitors + src->visitors, exact_upto) != 0) {
                free(ix.slot);
                goto oom;
            }
        }
        free(ix.slot);
        if (f->has_other) {
            /* A run counts "(other)" exactly from its rows' ids, however many. */
            uint64_t before = t->has_other ? t->other.visitors : 0;
            uint64_t other_upto = disjoint && def->folds ? UINT64_MAX : exact_upto;
            if (row_add(&t->other, &f->other, def->hll_p, before + f->other.visitors, other_upto) !=
                0)
                goto oom;
            t->has_other = true;
        }
    }
    merge_parts(into, from, disjoint);
    return 0;
oom:
    return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
}

void lgn_report_date(int64_t day, char out[11])
{
    int64_t y, m, d;
    lgn_logtime_civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

int lgn_report_parse_date(const char *s, int64_t *day)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = lgn_logtime_digits(s, 4), m = lgn_logtime_digits(s + 5, 2),
        d = lgn_logtime_digits(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *day = lgn_logtime_days_from_civil(y, m, d);
    return 0;
}

void lgn_report_iso_time(int64_t t, char out[21])
{
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sec = t - day * 86400;
    char date[11];
    lgn_report_date(day, date);
    unsigned hh = (unsigned)(sec / 3600) % 24u, mm = (unsigned)(sec / 60) % 60u,
             ss = (unsigned)sec % 60u;
    snprintf(out, 21, "%.10sT%02u:%02u:%02uZ", date, hh, mm, ss);
}

void lgn_report_local_time(int64_t t, int tz, char out[26])
{
    char utc[21];
    lgn_report_iso_time(t + (int64_t)tz * 60, utc);
    int a = tz < 0 ? -tz : tz;
    snprintf(out, 26, "%.19s%c%02d:%02d", utc, tz < 0 ? '-' : '+', a / 60 % 100, a % 60);
}

int lgn_report_parse_local_time(const char *s, int64_t *t, int *tz)
{
    /* exactly the two forms lgn_report_local_time and iso_time write */
    size_t n = strlen(s);
    if (n != 20 && n != 25)
        return -1;
    return lgn_logtime_parse(s, n, true, t, tz) ? 0 : -1;
}

const char *lgn_report_label(const char *name)
{
    static const char *const words[][2] = {
        {"page_views", "page views"},
        {"bot_hits", "bot hits"},
        {"bot_bytes", "bot bytes"},
        {"ua_ip_visitors", "IP+UA visitors"},
        {"bounce_rate", "bounce rate"},
        {"avg_time_on_page_s", "time on page"},
        {"time_on_page_samples", "timed views"},
        {"time_on_page_total_s", "time on page total (s)"},
        {"type", "device type"},
        {"family", "family"},
        {"code", "status"},
        {"class", "status class"},
        {"date", "day"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i][0], name) == 0)
            return words[i][1];
    return name;
}

void lgn_report_fmt_count(uint64_t n, char *out, size_t cap)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

void lgn_report_fmt_bytes(uint64_t b, char *out, size_t cap)
{
    static const char *const unit[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    double x = (double)b;
    int u = 0;
    while (x >= 999.95 && u < 6) {
        x /= 1000;
        u++;
    }
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", x, unit[u]);
}

void lgn_report_fmt_duration(double s, char *out, size_t cap)
{
    if (s < 60)
        snprintf(out, cap, "%.1f s", s);
    else if (s < 3600)
        snprintf(out, cap, "%dm %02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(out, cap, "%dh %02dm", (int)s / 3600, (int)s / 60 % 60);
}

int lgn_report_key_int(const char *k)
{
    char *end;
    long n = strtol(k != NULL ? k : "", &end, 10);
    return end == k || n < INT32_MIN || n > INT32_MAX ? -1 : (int)n;
}
