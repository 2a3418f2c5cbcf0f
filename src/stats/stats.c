/* stats.c: per-hit counting into visits (session.h) and keyed tables with distinct-visitor counts.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "hll.h"
#include "ipmask.h"
#include "session.h"

#define SUMMARY_HLL_P 14
#define MAX_ASSETS 256
#define MAX_SITE_HOSTS 64
#define MAX_TOP_SECONDS (7 * 86400) /* longer times on page are counted at this */
/* A day's exact visitor set is frozen (kept as count + sketch) once the log's
 * local time is this far into a later day. */
#define DAY_FREEZE_AFTER 7200

/* Which of lgn_visitor.rows holds what: rows that depend only on the
 * visitor (its address and user agent), set at its first page view. */
enum { VR_COUNTRY, VR_DEVICE, VR_OS, VR_BROWSER, VR_COUNT };

/* Distinct visitors of a row: exact (inline, then a hash set) up to a cap,
 * then a HyperLogLog sketch. */
struct dc {
    uint32_t n;   /* keys held exactly (FROZEN: the exact count when frozen) */
    uint32_t cap; /* 0: inline; else slots in u.set; HLL or FROZEN: u.hll */
    union {
        uint64_t inl[2];
        uint64_t *set;
        struct lgn_hll *hll;
    } u;
};
#define HLL UINT32_MAX
#define FROZEN (UINT32_MAX - 1)

/* A row: its counters (as many as the table has), then its key. */
struct srow {
    struct srow *next; /* hash chain */
    uint64_t hash;
    struct dc dc;
    char *key; /* key[0] NUL key[1] (one key: just key[0]), NUL-terminated; after v */
    uint32_t klen;
    bool overflow;      /* the row new keys go to once the table is full */
    struct srow *alias; /* a raw path's row: the masked row it counts as (never reported) */
    uint64_t v[];       /* def->nvals counters, then the key bytes */
};

/* A day's distinct visitor ids over its non-4xx hits, bots included
 * (days[].ua_ip_visitors); freed (closed) when the day is frozen. */
struct dayset {
    int64_t day;
    bool closed;
    struct dc dc;
};

struct stable {
    const struct lgn_table_def *def;
    struct srow **b;
    size_t nb, n;
    struct srow *overflow;
};

/* What a run saw of one input: its id comes from these (report_id.c). */
struct input_seen {
    uint64_t hits, bytes;
    bool has_time;
    int64_t first, last;
};

struct lgn_stats {
    int64_t timeout;
    bool partial, fold_ids;
    char *input_host;
    struct input_seen *in;
    size_t n_in;
    unsigned k;
    size_t max_rows;
    char *assets_text;
    size_t nassets;
    char *asset[MAX_ASSETS]; /* lower case; with a dot: a whole file name */
    size_t asset_len[MAX_ASSETS];
    bool asset_name[MAX_ASSETS]; /* holds a dot: compared with the whole last segment */
    /* Bit L set: some extension (ext_lens) or file name (name_lens) has
     * length L (L < 64), so most paths are told from assets at once. */
    uint64_t ext_lens, name_lens;
    /* The assets by kind (0 extension, 1 file name) and length (63: 63 or
     * more): asset[by_len[k][L] .. by_len[k][L + 1]) in that order. */
    uint16_t by_len[2][65];
    uint16_t by_len_order[MAX_ASSETS];
    char *site_text;
    size_t nsites;
    char *site[MAX_SITE_HOSTS];
    struct lgn_sessions *sessions;
    struct lgn_report *rep; /* summary counters and time-on-page histogram, filled as we go */
    struct dc visitors;
    struct stable t[LGN_T_COUNT];
    struct srow *hour[24];
    struct srow *weekday[8]; /* 1 Monday .. 7 Sunday */
    struct srow *status[1000];
    struct srow *sclass[6];
    int64_t day_cached;
    struct srow *day_row;
    int64_t newest_local;  /* newest local time seen */
    int64_t frozen_before; /* days before this one are frozen */
    struct dayset *ds;     /* per-day sets for ua_ip_visitors, in order of creation */
    size_t nds, ds_cap, ds_last;
    bool have_local;
    bool oom, done;
};

static void on_close(void *ctx, struct lgn_visitor *who);
static void on_hit(void *ctx, struct lgn_visitor *who, const struct lgn_visit_hit *h);

/* ---- distinct counters ---- */

static uint64_t dc_key(uint64_t v)
{
    return v == 0 ? 1 : v; /* 0 marks an empty set slot */
}

static size_t set_slot(uint64_t k, uint32_t cap)
{
    uint64_t x = k * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x >> 32) & (cap - 1);
}

static int set_insert(uint64_t *set, uint32_t cap, uint64_t k)
{
    size_t i = set_slot(k, cap);
    while (set[i] != 0) {
        if (set[i] == k)
            return 0;
        i = (i + 1) & (cap - 1);
    }
    set[i] = k;
    return 1;
}

/* A new sketch (precision p) of an exact count's keys, inline or in its set. */
static struct lgn_hll *exact_sketch(const struct dc *d, unsigned p)
{
    struct lgn_hll *h = lgn_hll_new(p);
    if (h == NULL)
        return NULL;
    if (d->cap == 0) {
        for (uint32_t i = 0; i < d->n; i++)
            lgn_hll_add(h, d->u.inl[i]);
    } else {
        for (uint32_t i = 0; i < d->cap; i++)
            if (d->u.set[i] != 0)
                lgn_hll_add(h, d->u.set[i]);
    }
    return h;
}

static int dc_promote(struct dc *d, unsigned p)
{
    struct lgn_hll *h = exact_sketch(d, p);
    if (h == NULL)
        return -1;
    if (d->cap != 0)
        free(d->u.set);
    d->u.hll = h;
    d->cap = HLL;
    return 0;
}

static int dc_add(struct dc *d, uint64_t key, const struct lgn_table_def *def)
{
    key = dc_key(key);
    if (d->cap >= FROZEN) {
        lgn_hll_add(d->u.hll, key);
        return 0;
    }
    if (d->cap == 0) {
        for (uint32_t i = 0; i < d->n; i++)
            if (d->u.inl[i] == key)
                return 0;
        if (d->n < 2) {
            d->u.inl[d->n++] = key;
            return 0;
        }
        uint64_t *set = calloc(8, sizeof *set);
        if (set == NULL)
            return -1;
        for (uint32_t i = 0; i < d->n; i++)
            set_insert(set, 8, d->u.inl[i]);
        d->u.set = set;
        d->cap = 8;
    }
    if (set_insert(d->u.set, d->cap, key) == 0)
        return 0;
    d->n++;
    if (def != NULL && def->exact_cap != 0 && d->n > def->exact_cap)
        return dc_promote(d, def->hll_p);
    if (4 * (uint64_t)d->n > 3 * (uint64_t)d->cap) {
        uint32_t nc = d->cap * 2;
        uint64_t *ns = calloc(nc, sizeof *ns);
        if (ns == NULL)
            return -1;
        for (uint32_t i = 0; i < d->cap; i++)
            if (d->u.set[i] != 0)
                set_insert(ns, nc, d->u.set[i]);
        free(d->u.set);
        d->u.set = ns;
        d->cap = nc;
    }
    return 0;
}

/* Replaces an exact set by its sketch, keeping the exact count (a day that is over). */
static int dc_freeze(struct dc *d, unsigned p)
{
    if (d->cap >= FROZEN)
        return 0;
    uint32_t n = d->n;
    if (dc_promote(d, p) != 0)
        return -1;
    d->n = n;
    d->cap = FROZEN;
    return 0;
}

static uint64_t dc_count(const struct dc *d)
{
    if (d->cap == HLL)
        return (uint64_t)(lgn_hll_estimate(d->u.hll) + 0.5);
    return d->n;
}

/* The sketch in its serialised form; most rows hold a few exact keys, which
 * need no 2^p registers. */
static char *dc_serialise(const struct dc *d, unsigned p)
{
    if (d->cap >= FROZEN)
        return lgn_hll_to_base64(d->u.hll);
    if (d->cap == 0)
        return lgn_hll_keys_to_base64(p, d->u.inl, d->n);
    uint64_t *keys = malloc((d->n ? d->n : 1) * sizeof *keys);
    if (keys == NULL)
        return NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < d->cap; i++)
        if (d->u.set[i] != 0)
            keys[n++] = d->u.set[i];
    char *s = lgn_hll_keys_to_base64(p, keys, n);
    free(keys);
    return s;
}

static struct lgn_hll *dc_sketch(const struct dc *d, unsigned p)
{
    if (d->cap >= FROZEN)
        return lgn_hll_clone(d->u.hll);
    return exact_sketch(d, p);
}

static void dc_free(struct dc *d)
{
    if (d->cap >= FROZEN)
        lgn_hll_free(d->u.hll);
    else if (d->cap != 0)
        free(d->u.set);
}

/* ---- tables ---- */

static struct srow *row_alloc(const struct lgn_table_def *def, const char *key, size_t klen)
{
    if (klen > UINT32_MAX - 1)
        return NULL;
    struct srow *r = calloc(1, sizeof *r + def->nvals * sizeof(uint64_t) + klen + 1);
    if (r == NULL)
        return NULL;
    r->key = (char *)(r->v + def->nvals);
    memcpy(r->key, key, klen);
    r->key[klen] = '\0';
    r->klen = (uint32_t)klen;
    return r;
}

/* The row that new keys go to once a table holds max_rows rows. */
static struct srow *overflow_row(struct lgn_stats *st, struct stable *t)
{
    if (t->overflow == NULL) {
        t->overflow = row_alloc(t->def, "", 0);
        if (t->overflow == NULL) {
            st->oom = true;
            return NULL;
        }
        t->overflow->overflow = true;
    }
    return t->overflow;
}

/* The row for key[0..klen) with hash h, or NULL. */
static struct srow *find(const struct stable *t, const char *key, size_t klen, uint64_t h)
{
    if (t->nb > 0) {
        for (struct srow *r = t->b[h & (t->nb - 1)]; r != NULL; r = r->next)
            if (r->hash == h && r->klen == klen && memcmp(r->key, key, klen) == 0)
                return r;
    }
    return NULL;
}

/* A new row for key[0..klen) with hash h (the overflow row once the table
 * is full). */
static struct srow *insert(struct lgn_stats *st, struct stable *t, const char *key, size_t klen,
                           uint64_t h)
{
    if (t->n >= st->max_rows)
        return overflow_row(st, t);
    if (t->n >= t->nb) {
        size_t nnb = t->nb ? t->nb * 2 : 64;
        struct srow **nb = calloc(nnb, sizeof(struct srow *));
        if (nb == NULL)
            goto oom;
        for (size_t i = 0; i < t->nb; i++) {
            for (struct srow *r = t->b[i], *nx; r != NULL; r = nx) {
                nx = r->next;
                r->next = nb[r->hash & (nnb - 1)];
                nb[r->hash & (nnb - 1)] = r;
            }
        }
        free(t->b);
        t->b = nb;
        t->nb = nnb;
    }
    struct srow *r = row_alloc(t->def, key, klen);
    if (r == NULL)
        goto oom;
    r->hash = h;
    r->next = t->b[h & (t->nb - 1)];
    t->b[h & (t->nb - 1)] = r;
    t->n++;
    return r;
oom:
    st->oom = true;
    return NULL;
}

/* The row for key[0..klen) (two keys joined by a NUL), created when new. */
static struct srow *lookup(struct lgn_stats *st, struct stable *t, const char *key, size_t klen)
{
    uint64_t h = lgn_hash_bytes(key, klen);
    struct srow *r = find(t, key, klen, h);
    return r != NULL ? r : insert(st, t, key, klen, h);
}

static struct srow *lookup1(struct lgn_stats *st, unsigned ti, const char *k, size_t n)
{
    return lookup(st, &st->t[ti], k, n);
}

/* The row of a path (hash h) in a table keyed by paths. Rows hold no
 * address or pseudonym: a path holding one counts as its masked form
 * (ipmask.h). The raw path is kept as an alias row pointing there (never
 * reported), so the mask is worked out once per distinct path, not per hit. */
static struct srow *lookup_path(struct lgn_stats *st, unsigned ti, const char *p, size_t n,
                                uint64_t h)
{
    struct stable *t = &st->t[ti];
    struct srow *r = find(t, p, n, h);
    if (r != NULL)
        return r->alias != NULL ? r->alias : r;
    char sbuf[LGN_IPMASK_OUT(512)], *mbuf = n > 512 ? malloc(LGN_IPMASK_OUT(n)) : sbuf;
    if (mbuf == NULL) {
        st->oom = true;
        return NULL;
    }
    size_t m = lgn_ipmask_path(p, n, mbuf);
    if (m == 0) {
        r = insert(st, t, p, n, h);
    } else {
        r = lookup(st, t, mbuf, m);
        struct srow *a =
            r != NULL && !r->overflow && t->n < st->max_rows ? insert(st, t, p, n, h) : NULL;
        if (a != NULL)
            a->alias = r;
    }
    if (mbuf != sbuf)
        free(mbuf);
    return r;
}

/* Two keys, each cut at 200 bytes. */
static struct srow *lookup2(struct lgn_stats *st, unsigned ti, const char *a, const char *b)
{
    char buf[402];
    size_t na = strlen(a), nb = strlen(b);
    if (na > 200)
        na = 200;
    if (nb > 200)
        nb = 200;
    memcpy(buf, a, na);
    buf[na] = '\0';
    memcpy(buf + na + 1, b, nb);
    return lookup(st, &st->t[ti], buf, na + 1 + nb);
}

/* Adds n to counter `col` of row r (of table ti; NULL after out of memory). */
static void count(struct srow *r, unsigned ti, unsigned col, uint64_t n)
{
    (void)ti; /* names the table at the call sites */
    if (r != NULL)
        r->v[col] += n;
}

static void seen(struct lgn_stats *st, struct srow *r, unsigned ti, uint64_t visitor)
{
    if (r != NULL && dc_add(&r->dc, visitor, &lgn_table_defs[ti]) != 0)
        st->oom = true;
}

static void table_free(struct stable *t)
{
    for (size_t i = 0; i < t->nb; i++) {
        for (struct srow *r = t->b[i], *nx; r != NULL; r = nx) {
            nx = r->next;
            dc_free(&r->dc);
            free(r);
        }
    }
    free(t->b);
    if (t->overflow != NULL) {
        dc_free(&t->overflow->dc);
        free(t->overflow);
    }
}

/* ---- options ---- */

static char lower(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

/* Splits a comma-separated list (lower-cased, spaces dropped) in place. */
static int split_list(char *text, char **items, size_t *lens, size_t max, size_t *n,
                      const char *what, struct lgn_err *err)
{
    *n = 0;
    char *p = text;
    while (*p != '\0') {
        while (*p == ',' || *p == ' ')
            p++;
        if (*p == '\0')
            break;
        char *start = p;
        while (*p != '\0' && *p != ',' && *p != ' ') {
            *p = lower(*p);
            p++;
        }
        if (*p != '\0')
            *p++ = '\0';
        if (*start == '.')
            start++; /* ".css" means "css" */
        if (*start == '\0')
            continue;
        if (*n == max)
            return lgn_err_set(err, LGN_EXIT_USAGE, "%s: more than %zu entries", what, max);
        items[*n] = start;
        if (lens != NULL)
            lens[*n] = strlen(start);
        (*n)++;
    }
    return 0;
}

static char *join_assets(const char *opt)
{
    const char *base = opt == NULL ? LGN_STATS_DEFAULT_ASSETS : opt;
    bool add = opt != NULL && opt[0] == '+';
    size_t n1 = add ? strlen(LGN_STATS_DEFAULT_ASSETS) : 0, n2 = strlen(base);
    char *s = malloc(n1 + n2 + 2);
    if (s == NULL)
        return NULL;
    if (add) {
        memcpy(s, LGN_STATS_DEFAULT_ASSETS, n1);
        s[n1] = ',';
        memcpy(s + n1 + 1, base + 1, n2); /* with its NUL */
    } else {
        memcpy(s, base, n2 + 1);
    }
    return s;
}

/* The normalised host in h[0..n): lower case, no port, no trailing dot, no
 * leading "www.". Writes into out (size outsz); returns the length or 0. */
static size_t norm_host(const char *h, size_t n, char *out, size_t outsz)
{
    size_t o = 0;
    if (n > 0 && h[0] == '[') { /* IPv6 literal: keep up to ']' */
        for (size_t i = 0; i < n && o + 1 < outsz; i++) {
            out[o++] = lower(h[i]);
            if (h[i] == ']')
                break;
        }
        out[o] = '\0';
        return o;
    }
    for (size_t i = 0; i < n && h[i] != ':'; i++) {
        if (o + 1 >= outsz)
            return 0;
        out[o++] = lower(h[i]);
    }
    while (o > 0 && out[o - 1] == '.')
        o--;
    out[o] = '\0';
    if (o > 4 && memcmp(out, "www.", 4) == 0) {
        memmove(out, out + 4, o - 4 + 1);
        o -= 4;
    }
    return o;
}

static unsigned len_bucket(size_t n)
{
    return n < 63 ? (unsigned)n : 63;
}

/* Fills st->by_len from the asset list (a counting sort). */
static void index_assets(struct lgn_stats *st)
{
    memset(st->by_len, 0, sizeof st->by_len);
    for (size_t i = 0; i < st->nassets; i++)
        st->by_len[st->asset_name[i]][len_bucket(st->asset_len[i]) + 1]++;
    uint16_t at = 0;
    for (unsigned k = 0; k < 2; k++)
        for (unsigned b = 0; b < 65; b++) {
            at = (uint16_t)(at + st->by_len[k][b]);
            st->by_len[k][b] = at;
        }
    /* bucket b of kind k is now by_len[k][b] .. by_len[k][b + 1] */
    uint16_t next[2][64];
    for (unsigned k = 0; k < 2; k++)
        for (unsigned b = 0; b < 64; b++)
            next[k][b] = st->by_len[k][b];
    for (size_t i = 0; i < st->nassets; i++)
        st->by_len_order[next[st->asset_name[i]][len_bucket(st->asset_len[i])]++] = (uint16_t)i;
}

struct lgn_stats *lgn_stats_new(const struct lgn_stats_opts *opts, struct lgn_err *err)
{
    struct lgn_stats_opts o = {0};
    if (opts != NULL)
        o = *opts;
    if (o.visit_timeout_s < 0) {
        lgn_err_set(err, LGN_EXIT_USAGE, "--visit-timeout must be positive");
        return NULL;
    }
    struct lgn_stats *st = calloc(1, sizeof *st);
    if (st == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    st->timeout = o.visit_timeout_s ? o.visit_timeout_s : LGN_STATS_DEFAULT_TIMEOUT;
    st->k = o.min_visitors ? o.min_visitors : LGN_REPORT_DEFAULT_K;
    st->max_rows = o.max_rows ? o.max_rows : LGN_STATS_DEFAULT_MAX_ROWS;
    st->partial = o.partial;
    st->fold_ids = o.fold_ids;
    st->day_cached = INT64_MIN;
    for (unsigned i = 0; i < LGN_T_COUNT; i++)
        st->t[i].def = &lgn_table_defs[i];
    st->rep = lgn_report_new();
    int64_t window = o.reorder_window_s == 0  ? LGN_SESSION_DEFAULT_WINDOW
                     : o.reorder_window_s < 0 ? 0
                                              : o.reorder_window_s;
    st->sessions = lgn_sessions_new(st->timeout, window, on_hit, on_close, st);
    st->assets_text = join_assets(o.assets);
    st->input_host = strdup(o.input_host != NULL ? o.input_host : "");
    if (st->input_host == NULL)
        goto oom;
    if (st->rep == NULL || st->sessions == NULL || st->assets_text == NULL)
        goto oom;
    st->rep->reorder_window_s = window;
    /* st->assets_text is split in place; the report keeps a normalised copy. */
    if (split_list(st->assets_text, st->asset, st->asset_len, MAX_ASSETS, &st->nassets, "--assets",
                   err) != 0)
        goto fail;
    for (size_t i = 0; i < st->nassets; i++) {
        for (const char *c = st->asset[i]; *c; c++) {
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
                  *c == '_')) {
                lgn_err_set(err, LGN_EXIT_USAGE, "--assets: bad entry \"%s\"", st->asset[i]);
                goto fail;
            }
        }
    }
    size_t total = 1;
    for (size_t i = 0; i < st->nassets; i++) {
        total += st->asset_len[i] + 1;
        st->asset_name[i] = strchr(st->asset[i], '.') != NULL;
        uint64_t bit = st->asset_len[i] < 64 ? 1ull << st->asset_len[i] : 1ull << 63;
        if (st->asset_name[i])
            st->name_lens |= bit;
        else
            st->ext_lens |= bit;
    }
    index_assets(st);
    st->rep->assets = malloc(total);
    if (st->rep->assets == NULL)
        goto oom;
    size_t off = 0;
    for (size_t i = 0; i < st->nassets; i++) {
        if (i > 0)
            st->rep->assets[off++] = ',';
        memcpy(st->rep->assets + off, st->asset[i], st->asset_len[i]);
        off += st->asset_len[i];
    }
    st->rep->assets[off] = '\0';
    if (o.site_hosts != NULL) {
        st->site_text = strdup(o.site_hosts);
        st->rep->site_hosts = strdup(o.site_hosts);
        if (st->site_text == NULL || st->rep->site_hosts == NULL)
            goto oom;
        if (split_list(st->site_text, st->site, NULL, MAX_SITE_HOSTS, &st->nsites, "--site-host",
                       err) != 0)
            goto fail;
        for (size_t i = 0; i < st->nsites; i++) /* in place: never longer */
            norm_host(st->site[i], strlen(st->site[i]), st->site[i], strlen(st->site[i]) + 1);
    }
    st->rep->visit_timeout_s = st->timeout;
    st->rep->min_visitors = st->k;
    return st;
oom:
    lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
fail:
    lgn_stats_free(st);
    return NULL;
}

void lgn_stats_free(struct lgn_stats *st)
{
    if (st == NULL)
        return;
    lgn_sessions_free(st->sessions);
    lgn_report_free(st->rep);
    dc_free(&st->visitors);
    for (unsigned i = 0; i < LGN_T_COUNT; i++)
        table_free(&st->t[i]);
    for (size_t i = 0; i < st->nds; i++)
        dc_free(&st->ds[i].dc);
    free(st->ds);
    free(st->assets_text);
    free(st->site_text);
    free(st->input_host);
    free(st->in);
    free(st);
}

/* Notes the hit against its input (for the input's id). */
static void input_seen(struct lgn_stats *st, const struct lgn_hit *h)
{
    if (h->input >= st->n_in) {
        size_t n = (size_t)h->input + 1;
        struct input_seen *in = realloc(st->in, n * sizeof *in);
        if (in == NULL) {
            st->oom = true;
            return;
        }
        memset(in + st->n_in, 0, (n - st->n_in) * sizeof *in);
        st->in = in;
        st->n_in = n;
    }
    struct input_seen *in = &st->in[h->input];
    in->hits++;
    in->bytes += h->bytes;
    if (h->time == LGN_HIT_NO_TIME)
        return;
    if (!in->has_time || h->time < in->first)
        in->first = h->time;
    if (!in->has_time || h->time > in->last)
        in->last = h->time;
    in->has_time = true;
}

/* The report's sources and id. */
static int report_sources(struct lgn_stats *st, struct lgn_report *rep)
{
    for (size_t i = 0; i < st->n_in; i++) {
        const struct input_seen *s = &st->in[i];
        if (s->hits == 0)
            continue;
        struct lgn_report_input in = {{0}, st->input_host, s->hits, s->has_time, s->first, s->last};
        lgn_report_input_id(s->hits, s->bytes, s->has_time, s->first, s->last, st->input_host,
                            in.id);
        if (lgn_report_add_input(rep, &in) != 0)
            return -1;
    }
    return lgn_report_set_id(rep);
}

/* ---- definitions ---- */

/* Whether s[0..n) is an asset extension (kind 0) or file name (kind 1),
 * in any case: only the assets of its length are compared. */
static bool is_asset(const struct lgn_stats *st, unsigned kind, const char *s, size_t n)
{
    unsigned b = len_bucket(n);
    for (unsigned i = st->by_len[kind][b]; i < st->by_len[kind][b + 1]; i++) {
        size_t a = st->by_len_order[i];
        if (st->asset_len[a] != n)
            continue;
        size_t j = 0;
        while (j < n && lower(s[j]) == st->asset[a][j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

bool lgn_stats_is_page_view(const struct lgn_stats *st, const char *method, size_t method_len,
                            int status, const char *path, size_t path_len)
{
    if (!((method_len == 3 && memcmp(method, "GET", 3) == 0) ||
          (method_len == 4 && memcmp(method, "POST", 4) == 0)))
        return false;
    if (!((status >= 200 && status <= 299) || status == 304))
        return false;
    size_t end = 0;
    while (end < path_len && path[end] != '?' && path[end] != '#')
        end++;
    size_t seg = end;
    while (seg > 0 && path[seg - 1] != '/')
        seg--;
    size_t dot = end;
    while (dot > seg && path[dot - 1] != '.')
        dot--;
    size_t elen = dot == seg ? 64 : end - dot, nlen = end - seg;
    bool ext_may = elen < 64 ? (st->ext_lens >> elen) & 1 : (st->ext_lens >> 63) & 1;
    bool name_may = nlen < 64 ? (st->name_lens >> nlen) & 1 : (st->name_lens >> 63) & 1;
    if (!(dot != seg && ext_may) && !name_may)
        return true; /* no asset has this extension's or name's length */
    return !(dot != seg && ext_may && is_asset(st, 0, path + dot, end - dot)) &&
           !(name_may && is_asset(st, 1, path + seg, nlen));
}

static bool is_ip_literal(const char *h, size_t n)
{
    if (n > 0 && (h[0] == '[' || memchr(h, ':', n) != NULL))
        return true;
    for (size_t i = 0; i < n; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || h[i] == '.'))
            return false;
    return n > 0;
}

struct engine {
    const char *label, *name;
};

static const struct engine engines[] = {
    {"google", "Google"}, {"bing", "Bing"},     {"duckduckgo", "DuckDuckGo"},
    {"yahoo", "Yahoo"},   {"yandex", "Yandex"}, {"baidu", "Baidu"},
    {"ecosia", "Ecosia"}, {"qwant", "Qwant"},   {"startpage", "Startpage"},
    {"naver", "Naver"},   {"seznam", "Seznam"}, {"ask", "Ask"},
    {"sogou", "Sogou"},
};

/* "Google" for google.com, www.google.co.uk, news.google.de: a label naming
 * an engine followed by one or two more labels (the public suffix). */
static const char *search_engine(const char *h)
{
    if (strcmp(h, "search.brave.com") == 0)
        return "Brave Search";
    if (strcmp(h, "ya.ru") == 0)
        return "Yandex";
    for (const char *l = h;;) {
        const char *dot = strchr(l, '.');
        if (dot == NULL)
            break;
        size_t len = (size_t)(dot - l);
        size_t after = 1;
        for (const char *c = dot + 1; *c; c++)
            after += *c == '.';
        if (after <= 2) {
            for (size_t i = 0; i < sizeof engines / sizeof engines[0]; i++)
                if (strlen(engines[i].label) == len && memcmp(engines[i].label, l, len) == 0)
                    return engines[i].name;
        }
        l = dot + 1;
    }
    return NULL;
}

static bool host_ok(const char *h)
{
    for (const unsigned char *c = (const unsigned char *)h; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
              *c == '_' || *c >= 0x80))
            return false;
    return true;
}

size_t lgn_stats_referrer_domain(const struct lgn_stats *st, const char *ref, size_t ref_len,
                                 const char *vhost, size_t vhost_len, char *out, size_t outsz)
{
    if (ref == NULL || ref_len == 0 || (ref_len == 1 && ref[0] == '-') || outsz < 16)
        return 0;
    const char *p = ref, *end = ref + ref_len;
    for (const char *c = p; c + 2 < end && c < p + 32; c++) {
        if (c[0] == ':' && c[1] == '/' && c[2] == '/') {
            p = c + 3;
            break;
        }
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '+' || *c == '-' || *c == '.'))
            break;
    }
    if (p == ref && end - p >= 2 && p[0] == '/' && p[1] == '/')
        p += 2;
    const char *h = p;
    while (p < end && *p != '/' && *p != '?' && *p != '#')
        p++;
    const char *at = memchr(h, '@', (size_t)(p - h));
    if (at != NULL)
        h = at + 1;
    char host[256];
    size_t n = norm_host(h, (size_t)(p - h), host, sizeof host);
    if (n == 0)
        return 0;
    if (is_ip_literal(host, n) || lgn_ipmask_holds(host, n)) {
        memcpy(out, LGN_IPMASK, sizeof LGN_IPMASK);
        return sizeof LGN_IPMASK - 1;
    }
    if (!host_ok(host))
        return 0;
    char own[256];
    if (vhost != NULL && vhost_len > 0 && norm_host(vhost, vhost_len, own, sizeof own) > 0 &&
        strcmp(own, host) == 0)
        return 0;
    for (size_t i = 0; i < st->nsites; i++)
        if (strcmp(st->site[i], host) == 0)
            return 0;
    const char *eng = search_engine(host);
    const char *res = eng != NULL ? eng : host;
    size_t rn = strlen(res);
    if (rn + 1 > outsz)
        return 0;
    memcpy(out, res, rn + 1);
    return rn;
}

/* ---- counting ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static struct srow *day_row(struct lgn_stats *st, int64_t day)
{
    if (day == st->day_cached && st->day_row != NULL)
        return st->day_row;
    char date[11];
    lgn_report_date(day, date);
    struct srow *r = lookup1(st, LGN_T_DAYS, date, 10);
    if (r != NULL) {
        st->day_cached = day;
        st->day_row = r;
    }
    return r;
}

/* Once the log is well into a new day, the exact visitor sets of the days
 * before it are replaced by their counts and sketches: memory holds one or
 * two days of visitor sets, not all of them. */
static void freeze_days(struct lgn_stats *st, int64_t local)
{
    if (st->have_local && local <= st->newest_local)
        return;
    st->newest_local = local;
    st->have_local = true;
    int64_t before = floor_div(local - DAY_FREEZE_AFTER, 86400);
    if (before <= st->frozen_before)
        return;
    st->frozen_before = before;
    for (size_t i = 0; i < st->nds; i++) {
        struct dayset *d = &st->ds[i];
        if (!d->closed && d->day < before) {
            dc_free(&d->dc);
            memset(&d->dc, 0, sizeof d->dc);
            d->closed = true;
        }
    }
    const struct stable *t = &st->t[LGN_T_DAYS];
    for (size_t b = 0; b < t->nb; b++) {
        for (struct srow *r = t->b[b]; r != NULL; r = r->next) {
            int64_t day;
            if (r->dc.cap < FROZEN && lgn_report_parse_date(r->key, &day) == 0 && day < before &&
                dc_freeze(&r->dc, t->def->hll_p) != 0)
                st->oom = true;
        }
    }
}

/* GoAccess's unique visitors: a hit's visitor id into its day's set; a new
 * one adds 1 to the day's ua_ip_visitors. A closed (frozen) day is left as is. */
static void ua_ip_seen(struct lgn_stats *st, struct srow *dr, int64_t day, uint64_t visitor)
{
    if (dr == NULL)
        return;
    struct dayset *d = NULL;
    if (st->ds_last < st->nds && st->ds[st->ds_last].day == day) {
        d = &st->ds[st->ds_last];
    } else {
        for (size_t i = st->nds; i-- > 0;) {
            if (st->ds[i].day == day) {
                d = &st->ds[i];
                break;
            }
        }
    }
    if (d == NULL) {
        if (st->nds == st->ds_cap) {
            size_t nc = st->ds_cap ? st->ds_cap * 2 : 8;
            struct dayset *n = realloc(st->ds, nc * sizeof *n);
            if (n == NULL) {
                st->oom = true;
                return;
            }
            st->ds = n;
            st->ds_cap = nc;
        }
        d = &st->ds[st->nds++];
        memset(d, 0, sizeof *d);
        d->day = day;
    }
    st->ds_last = (size_t)(d - st->ds);
    if (d->closed)
        return;
    uint32_t before = d->dc.n;
    if (dc_add(&d->dc, visitor, NULL) != 0) {
        st->oom = true;
        return;
    }
    count(dr, LGN_T_DAYS, 6, d->dc.n - before);
}

/* A hit's path as counted, and its hash. */
struct path {
    const char *p;
    size_t n;
    uint64_t hash;
};

/* The request path as counted: up to '?' or '#', "(none)" when empty. */
static const char *req_path(const struct lgn_hit *h, size_t *len)
{
    size_t plen = h->path_len;
    const char *q = h->path != NULL ? memchr(h->path, '?', plen) : NULL;
    if (q != NULL)
        plen = (size_t)(q - h->path);
    const char *f = h->path != NULL ? memchr(h->path, '#', plen) : NULL;
    if (f != NULL)
        plen = (size_t)(f - h->path);
    if (plen == 0) {
        *len = 6;
        return "(none)";
    }
    *len = plen;
    return h->path;
}

static const char *or_default(const char *s, const char *d)
{
    return s != NULL && s[0] != '\0' ? s : d;
}

/* The row of table ti (entry or exit pages) for the page of a pages row. */
static struct srow *same_page(struct lgn_stats *st, unsigned ti, const struct srow *page)
{
    if (page == NULL)
        return NULL;
    if (page->overflow)
        return overflow_row(st, &st->t[ti]);
    struct srow *r = find(&st->t[ti], page->key, page->klen, page->hash); /* same key, same hash */
    return r != NULL ? r : insert(st, &st->t[ti], page->key, page->klen, page->hash);
}

/* The weekday row of a local day number (1970-01-01 was a Thursday). */
static struct srow *weekday_row(struct lgn_stats *st, int64_t day)
{
    int wd = (int)((day % 7 + 7 + 3) % 7) + 1;
    if (st->weekday[wd] == NULL) {
        char wk[2] = {(char)('0' + wd), '\0'};
        st->weekday[wd] = lookup1(st, LGN_T_WEEKDAYS, wk, 1);
    }
    return st->weekday[wd];
}

/* The value of query parameter name in url (scrubbed already), at most 64 bytes. */
static size_t query_param(const char *url, size_t n, const char *name, char *out)
{
    const char *end = url + n, *hash = memchr(url, '#', n);
    if (hash != NULL) /* a '?' in the fragment starts no query */
        end = hash;
    const char *q = memchr(url, '?', (size_t)(end - url));
    size_t nl = strlen(name);
    for (const char *p = q; p != NULL && p < end;) {
        p++;
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *e = amp ? amp : end;
        if ((size_t)(e - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t len = (size_t)(e - p) - nl - 1;
            len = len > 64 ? 64 : len;
            memcpy(out, p + nl + 1, len);
            return len;
        }
        p = amp;
    }
    return 0;
}

/* The campaign row of a page view with utm_ tags: "source / medium /
 * campaign" ("-" for a tag not given); NULL without any. */
static struct srow *campaign_row(struct lgn_stats *st, const struct lgn_hit *h)
{
    static const char *const tags[] = {"utm_source", "utm_medium", "utm_campaign"};
    char key[3 * 64 + 8];
    size_t o = 0;
    bool any = false;
    if (h->path == NULL || memchr(h->path, '?', h->path_len) == NULL)
        return NULL;
    for (int i = 0; i < 3; i++) {
        if (i > 0) {
            memcpy(key + o, " / ", 3);
            o += 3;
        }
        size_t n = query_param(h->path, h->path_len, tags[i], key + o);
        if (n > 0 && lgn_ipmask_holds(key + o, n)) {
            memcpy(key + o, LGN_IPMASK, sizeof LGN_IPMASK - 1);
            n = sizeof LGN_IPMASK - 1;
        }
        any = any || n > 0;
        if (n == 0)
            key[o++] = '-';
        o += n;
    }
    return any ? lookup1(st, LGN_T_CAMPAIGNS, key, o) : NULL;
}

static void close_visit(struct lgn_stats *st, struct lgn_visitor *who)
{
    const struct lgn_visit *v = &who->visit;
    if (v->page_views == 0)
        return;
    uint64_t *s = st->rep->sum;
    bool bounce = v->page_views == 1;
    uint64_t dur = (uint64_t)(v->last - v->first);
    s[LGN_S_VISITS]++;
    s[LGN_S_BOUNCES] += bounce;
    s[LGN_S_VISIT_HITS] += v->hits;
    s[LGN_S_DURATION] += dur;
    s[LGN_S_EXITS]++;
    struct srow *d = day_row(st, v->day);
    count(d, LGN_T_DAYS, 4, 1);
    count(d, LGN_T_DAYS, 5, bounce);
    struct srow *e = same_page(st, LGN_T_ENTRY_PAGES, v->entry);
    count(e, LGN_T_ENTRY_PAGES, 0, 1);
    count(e, LGN_T_ENTRY_PAGES, 1, bounce);
    seen(st, e, LGN_T_ENTRY_PAGES, who->id);
    struct srow *x = same_page(st, LGN_T_EXIT_PAGES, v->last_page);
    count(x, LGN_T_EXIT_PAGES, 0, 1);
    seen(st, x, LGN_T_EXIT_PAGES, who->id);
    /* the hour and weekday the visit began, in the log's own time */
    int64_t local = v->first + (int64_t)who->tz_offset_min * 60;
    int64_t day = floor_div(local, 86400);
    int hour = (int)((local - day * 86400) / 3600);
    count(st->hour[hour], LGN_T_HOURS, 3, 1);
    count(weekday_row(st, day), LGN_T_WEEKDAYS, 3, 1);
    count(v->campaign, LGN_T_CAMPAIGNS, 0, 1);
    seen(st, v->campaign, LGN_T_CAMPAIGNS, who->id);
    struct srow *ref = v->referrer;
    count(ref, LGN_T_REFERRERS, 0, 1);
    count(ref, LGN_T_REFERRERS, 1, v->page_views);
    seen(st, ref, LGN_T_REFERRERS, who->id);
    static const unsigned tables[] = {[VR_COUNTRY] = LGN_T_COUNTRIES,
                                      [VR_DEVICE] = LGN_T_DEVICES,
                                      [VR_OS] = LGN_T_OS,
                                      [VR_BROWSER] = LGN_T_BROWSERS};
    for (unsigned i = 0; i < VR_COUNT; i++) {
        struct srow *r = who->rows[i];
        count(r, tables[i], 0, 1);
        count(r, tables[i], 1, v->page_views);
        seen(st, r, tables[i], who->id);
    }
}

static void on_close(void *ctx, struct lgn_visitor *who)
{
    close_visit(ctx, who);
}

/* A settled hit, in time order within its visitor: entry page, time on
 * page and the visit's day. */
static void on_hit(void *ctx, struct lgn_visitor *who, const struct lgn_visit_hit *h)
{
    struct lgn_stats *st = ctx;
    struct lgn_visit *v = &who->visit;
    if (v->hits == 1)
        v->day = floor_div(h->time + (int64_t)who->tz_offset_min * 60, 86400);
    if (h->page == NULL)
        return;
    if (v->page_views > 0) {
        int64_t dt = h->time - v->last_pv_time;
        if (dt > MAX_TOP_SECONDS)
            dt = MAX_TOP_SECONDS;
        struct srow *prev = v->last_page;
        count(prev, LGN_T_PAGES, 1, 1);
        count(prev, LGN_T_PAGES, 2, (uint64_t)dt);
        uint64_t *s = st->rep->sum;
        s[LGN_S_TOP_N]++;
        s[LGN_S_TOP_TOTAL] += (uint64_t)dt;
        if (lgn_report_add_top(st->rep, (uint64_t)dt, 1) != 0)
            st->oom = true;
    } else {
        v->entry = h->page;
        v->referrer = h->ref;
        v->campaign = h->campaign;
    }
    v->page_views++;
    v->last_pv_time = h->time;
    v->last_page = h->page;
}

/* A visitor's first page view: the rows that depend only on who it is. */
static void visitor_rows(struct lgn_stats *st, struct lgn_visitor *who, const struct lgn_hit *h)
{
    const char *cc = h->country[0] != '\0' ? h->country : "(unknown)";
    who->rows[VR_COUNTRY] = lookup1(st, LGN_T_COUNTRIES, cc, strnlen(cc, 9));
    const char *dev = or_default(h->device, "other");
    who->rows[VR_DEVICE] = lookup1(st, LGN_T_DEVICES, dev, strnlen(dev, 32));
    who->rows[VR_OS] =
        lookup2(st, LGN_T_OS, or_default(h->os, "Other"), or_default(h->os_version, ""));
    who->rows[VR_BROWSER] = lookup2(st, LGN_T_BROWSERS, or_default(h->browser, "Other"),
                                    or_default(h->browser_version, ""));
}

/* Where a timed hit lands: its local day, and that day's and hour's rows. */
struct hit_when {
    int64_t day;
    struct srow *day_row, *hour_row, *weekday_row;
};

/* The report's period, and the hit's day and hour rows. */
static void count_time(struct lgn_stats *st, const struct lgn_hit *h, struct hit_when *w)
{
    if (!st->rep->has_time || h->time < st->rep->first_time)
        st->rep->first_time = h->time, st->rep->first_tz = h->tz_offset_min;
    if (!st->rep->has_time || h->time > st->rep->last_time)
        st->rep->last_time = h->time, st->rep->last_tz = h->tz_offset_min;
    st->rep->has_time = true;
    int64_t local = h->time + (int64_t)h->tz_offset_min * 60;
    freeze_days(st, local);
    w->day = floor_div(local, 86400);
    int hour = (int)((local - w->day * 86400) / 3600);
    w->day_row = day_row(st, w->day);
    if (st->hour[hour] == NULL) {
        char hk[3];
        int n = snprintf(hk, sizeof hk, "%d", hour);
        st->hour[hour] = lookup1(st, LGN_T_HOURS, hk, (size_t)n);
    }
    w->hour_row = st->hour[hour];
    w->weekday_row = weekday_row(st, w->day);
    count(w->weekday_row, LGN_T_WEEKDAYS, 0, 1);
    count(w->weekday_row, LGN_T_WEEKDAYS, 1, h->is_bot);
    count(w->day_row, LGN_T_DAYS, 0, 1);
    count(w->day_row, LGN_T_DAYS, 1, h->is_bot);
    count(w->day_row, LGN_T_DAYS, 2, h->bytes);
    count(w->hour_row, LGN_T_HOURS, 0, 1);
    count(w->hour_row, LGN_T_HOURS, 1, h->is_bot);
}

/* The requests, status and status class tables. */
static void count_response(struct lgn_stats *st, const struct lgn_hit *h, int code,
                           const struct path *p)
{
    struct srow *rq = lookup_path(st, LGN_T_REQUESTS, p->p, p->n, p->hash);
    count(rq, LGN_T_REQUESTS, 0, 1);
    count(rq, LGN_T_REQUESTS, 1, h->bytes);
    /* Only people count towards K: a row seen by bots and one person is a
     * one-visitor row. */
    if (!h->is_bot)
        seen(st, rq, LGN_T_REQUESTS, h->visitor);
    if (st->status[code] == NULL) {
        char ck[4];
        int n = snprintf(ck, sizeof ck, "%d", code);
        st->status[code] = lookup1(st, LGN_T_STATUS, ck, (size_t)n);
    }
    if (code == 404) {
        struct srow *nf = lookup_path(st, LGN_T_NOT_FOUND, p->p, p->n, p->hash);
        count(nf, LGN_T_NOT_FOUND, 0, 1);
        if (!h->is_bot)
            seen(st, nf, LGN_T_NOT_FOUND, h->visitor);
    }
    count(st->status[code], LGN_T_STATUS, 0, 1);
    if (!h->is_bot)
        seen(st, st->status[code], LGN_T_STATUS, h->visitor);
    int cls = code >= 100 && code <= 599 ? code / 100 : 0;
    if (st->sclass[cls] == NULL) {
        static const char *const names[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
        st->sclass[cls] = lookup1(st, LGN_T_STATUS_CLASSES, names[cls], strlen(names[cls]));
    }
    count(st->sclass[cls], LGN_T_STATUS_CLASSES, 0, 1);
    if (!h->is_bot)
        seen(st, st->sclass[cls], LGN_T_STATUS_CLASSES, h->visitor);
}

/* A robot's hit: counted by family, never in visits or page views. */
static void count_bot(struct lgn_stats *st, const struct lgn_hit *h)
{
    uint64_t *s = st->rep->sum;
    s[LGN_S_BOT_HITS]++;
    s[LGN_S_BOT_BYTES] += h->bytes;
    const char *fam = or_default(h->bot_family, "Other");
    struct srow *b = lookup1(st, LGN_T_BOTS, fam, strnlen(fam, 64));
    count(b, LGN_T_BOTS, 0, 1);
    count(b, LGN_T_BOTS, 1, h->bytes);
    seen(st, b, LGN_T_BOTS, h->visitor);
}

/* A page view of visitor `who`: the day, hour and page rows, counted as it
 * comes; what depends on the order within the visit (entry page, time on
 * page) is counted once the hit is settled (on_hit). */
static void count_page_view(struct lgn_stats *st, const struct lgn_hit *h, struct lgn_visitor *who,
                            const struct hit_when *w, const struct path *p,
                            struct lgn_visit_hit *vh)
{
    st->rep->sum[LGN_S_PAGE_VIEWS]++;
    /* A visitor already counted on this day needs no set lookups. */
    if (!who->any_pv || who->pv_day != w->day) {
        if (!who->any_pv && dc_add(&st->visitors, h->visitor, NULL) != 0)
            st->oom = true;
        seen(st, w->day_row, LGN_T_DAYS, h->visitor);
        if (!who->any_pv)
            visitor_rows(st, who, h);
        who->any_pv = true;
        who->pv_day = w->day;
    }
    count(w->day_row, LGN_T_DAYS, 3, 1);
    count(w->hour_row, LGN_T_HOURS, 2, 1);
    seen(st, w->hour_row, LGN_T_HOURS, h->visitor);
    count(w->weekday_row, LGN_T_WEEKDAYS, 2, 1);
    seen(st, w->weekday_row, LGN_T_WEEKDAYS, h->visitor);
    struct srow *pr = lookup_path(st, LGN_T_PAGES, p->p, p->n, p->hash);
    count(pr, LGN_T_PAGES, 0, 1);
    seen(st, pr, LGN_T_PAGES, h->visitor);
    const char *dom = h->ref_domain;
    size_t dn = strlen(dom);
    vh->page = pr;
    vh->tie = pr != NULL ? pr->hash : 0;
    bool direct = h->referrer_len == 0 || (h->referrer_len == 1 && h->referrer[0] == '-');
    vh->ref = dn > 0   ? lookup1(st, LGN_T_REFERRERS, dom, dn)
              : direct ? lookup1(st, LGN_T_REFERRERS, "(direct)", 8)
                       : NULL;
    vh->campaign = campaign_row(st, h);
}

/* A person's timed hit: into its visitor's hits, a page view when it is one. */
static void count_visit(struct lgn_stats *st, const struct lgn_hit *h, const struct hit_when *w,
                        const struct path *p)
{
    bool is_new;
    struct lgn_visitor *who = lgn_sessions_visitor(st->sessions, h->visitor, &is_new);
    if (who == NULL) {
        st->oom = true;
        return;
    }
    if (is_new)
        who->tz_offset_min = h->tz_offset_min;
    struct lgn_visit_hit vh = {h->time, 0, NULL, NULL, NULL};
    if (h->pv == LGN_PV_YES)
        count_page_view(st, h, who, w, p, &vh);
    if (lgn_sessions_add(st->sessions, who, &vh) != 0)
        st->oom = true;
}

void lgn_stats_derive(const struct lgn_stats *st, struct lgn_hit *h, char *dom, size_t domsz)
{
    size_t n;
    const char *p = req_path(h, &n); /* the path as counted, as the page-view test cuts it */
    h->path_hash = lgn_hash_bytes(p, n);
    h->path_count_len = p == h->path ? n + 1 : 1; /* 1: "(none)" */
    bool pv = !h->is_bot && lgn_stats_is_page_view(st, h->method, h->method_len, h->status, p, n);
    h->pv = pv ? LGN_PV_YES : LGN_PV_NO;
    dom[0] = '\0';
    if (pv) /* only a page view's referrer is counted */
        lgn_stats_referrer_domain(st, h->referrer, h->referrer_len, h->host, h->host_len, dom,
                                  domsz);
    h->ref_domain = dom;
}

/* The rows of a large table lie far apart: a cache miss each. Asked for
 * hits a few places ahead, their loads overlap instead of following one
 * another. (A third step, the row's visitor set, measured no faster.) */
void lgn_stats_prefetch(const struct lgn_stats *st, const struct lgn_hit *h, int step)
{
    const struct stable *t = &st->t[LGN_T_REQUESTS];
    if (h->path_hash == 0 || t->nb == 0)
        return;
    struct srow *const *bucket = &t->b[h->path_hash & (t->nb - 1)];
    if (step == 0)
        __builtin_prefetch(bucket);
    else if (*bucket != NULL) /* the bucket is in the cache by now */
        __builtin_prefetch(*bucket);
}

int lgn_stats_add(struct lgn_stats *st, const struct lgn_hit *h)
{
    if (st->done)
        return -1;
    struct lgn_hit derived;
    char dom[256];
    if (h->pv == LGN_PV_DERIVE) {
        derived = *h;
        lgn_stats_derive(st, &derived, dom, sizeof dom);
        h = &derived;
    }
    input_seen(st, h);
    st->rep->sum[LGN_S_HITS]++;
    st->rep->sum[LGN_S_BYTES] += h->bytes;
    bool timed = h->time != LGN_HIT_NO_TIME;
    struct hit_when w = {0, NULL, NULL, NULL};
    if (timed)
        count_time(st, h, &w);
    int code = h->status >= 0 && h->status <= 999 ? h->status : 0;
    if (timed && !(code >= 400 && code <= 499))
        ua_ip_seen(st, w.day_row, w.day, h->visitor);
    struct path p;
    if (h->path_count_len > 1) /* cut already (lgn_stats_derive) */
        p.p = h->path, p.n = h->path_count_len - 1;
    else if (h->path_count_len == 1)
        p.p = "(none)", p.n = 6;
    else
        p.p = req_path(h, &p.n);
    /* once for the requests, not found and pages rows (0: not derived yet, or 0) */
    p.hash = h->path_hash != 0 ? h->path_hash : lgn_hash_bytes(p.p, p.n);
    count_response(st, h, code, &p);
    if (h->is_bot)
        count_bot(st, h);
    else if (timed)
        count_visit(st, h, &w, &p);
    return st->oom ? -1 : 0;
}

/* ---- the report ---- */

/* The exact visitor ids of a row, for counting "(other)" exactly. */
static int dc_keys(const struct dc *d, uint64_t **keys, size_t *n)
{
    *keys = malloc((d->n ? d->n : 1) * sizeof **keys);
    if (*keys == NULL)
        return -1;
    *n = 0;
    if (d->cap == 0) {
        memcpy(*keys, d->u.inl, d->n * sizeof **keys);
        *n = d->n;
        return 0;
    }
    for (uint32_t i = 0; i < d->cap; i++)
        if (d->u.set[i] != 0)
            (*keys)[(*n)++] = d->u.set[i];
    return 0;
}

static int export_row(const struct lgn_stats *st, struct lgn_report_table *rt,
                      const struct lgn_table_def *def, const struct srow *r)
{
    if (r->alias != NULL)
        return 0;
    bool any = dc_count(&r->dc) > 0;
    for (unsigned i = 0; i < def->nvals && !any; i++)
        any = r->v[i] != 0;
    if (!any)
        return 0;
    struct lgn_report_row *row;
    if (r->overflow) {
        row = &rt->other;
        rt->has_other = true;
    } else {
        const char *k1 = def->nkeys > 1 ? r->key + strlen(r->key) + 1 : NULL;
        row = lgn_report_add_row(rt, r->key, k1);
        if (row == NULL)
            return -1;
    }
    memcpy(row->v, r->v, def->nvals * sizeof(uint64_t));
    row->visitors = dc_count(&r->dc);
    row->estimated = r->dc.cap == HLL;
    /* A row that may fold keeps its ids until it does. */
    if (r->dc.cap < FROZEN && def->folds && (!st->partial || st->fold_ids) &&
        (r->overflow || row->visitors < st->k) && dc_keys(&r->dc, &row->keys, &row->nkeys) != 0)
        return -1;
    /* A row that folds needs no sketch: its ids go into that of "(other)"
     * (report.h). Most rows of a large log fold. */
    if (!st->partial && def->folds && !r->overflow && r->dc.cap < FROZEN && row->visitors < st->k)
        return 0;
    row->hll = dc_serialise(&r->dc, def->hll_p);
    return row->hll == NULL ? -1 : 0;
}

/* Whether a row of a table that folds folds into "(other)" as it is
 * exported (fewer than K visitors, counted exactly): lgn_report_suppress
 * would fold its report row, so none is made. */
static bool folds_now(const struct lgn_stats *st, const struct srow *r)
{
    return !r->overflow && r->alias == NULL && r->dc.cap < FROZEN && r->dc.n < st->k;
}

/* Folds row r (folds_now) into f with its counters and visitor ids. */
static void fold_row(struct lgn_report_fold *f, const struct lgn_table_def *def,
                     const struct srow *r, uint64_t **buf, size_t *bufn)
{
    bool any = r->dc.n > 0;
    for (unsigned i = 0; i < def->nvals && !any; i++)
        any = r->v[i] != 0;
    if (!any)
        return; /* as export_row: a row with nothing counted is no row */
    const uint64_t *keys = r->dc.u.inl;
    size_t n = r->dc.n;
    if (r->dc.cap != 0) { /* the ids of a set, packed */
        if (*buf == NULL || *bufn < n) {
            uint64_t *nb = realloc(*buf, (n ? n : 1) * sizeof *nb);
            if (nb == NULL) {
                f->rc = -1;
                return;
            }
            *buf = nb;
            *bufn = n;
        }
        n = 0;
        for (uint32_t i = 0; i < r->dc.cap; i++)
            if (r->dc.u.set[i] != 0)
                (*buf)[n++] = r->dc.u.set[i];
        keys = *buf;
    }
    lgn_report_fold_add(f, r->v, def->nvals, r->dc.n, NULL, keys, n);
}

/* A table's rows into the report's: "(other)" first (the table's overflow
 * row), then each row, folded at once when it would fold. */
static int export_table(const struct lgn_stats *st, struct lgn_report_table *rt,
                        const struct stable *t)
{
    const struct lgn_table_def *def = t->def;
    if (t->overflow != NULL && export_row(st, rt, def, t->overflow) != 0)
        return -1;
    bool folds = !st->partial && def->folds;
    struct lgn_report_fold f;
    int rc = folds ? lgn_report_fold_begin(&f, def, rt) : 0;
    uint64_t *buf = NULL;
    size_t bufn = 0;
    for (size_t b = 0; b < t->nb && rc == 0; b++)
        for (const struct srow *r = t->b[b]; r != NULL && rc == 0; r = r->next)
            if (folds && folds_now(st, r))
                fold_row(&f, def, r, &buf, &bufn);
            else
                rc = export_row(st, rt, def, r);
    free(buf);
    if (folds && lgn_report_fold_finish(&f, rt) != 0)
        rc = -1;
    return rc;
}

struct lgn_report *lgn_stats_report(struct lgn_stats *st, struct lgn_err *err)
{
    if (st->done) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "stats: report already taken");
        return NULL;
    }
    st->done = true;
    lgn_sessions_close_all(st->sessions);
    struct lgn_report *rep = st->rep;
    for (unsigned ti = 0; ti < LGN_T_COUNT && !st->oom; ti++) {
        struct stable *t = &st->t[ti];
        if (export_table(st, &rep->t[ti], t) != 0)
            st->oom = true;
        /* Every visit is closed: the table can go now, keeping the peak low. */
        table_free(t);
        t->b = NULL;
        t->nb = t->n = 0;
        t->overflow = NULL;
    }
    rep->visitors = dc_count(&st->visitors);
    rep->visitors_hll = dc_sketch(&st->visitors, SUMMARY_HLL_P);
    if (rep->visitors_hll == NULL)
        st->oom = true;
    if (st->oom) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    rep->partial = st->partial;
    if (report_sources(st, rep) != 0) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    if (lgn_report_suppress(rep, st->k, err) != 0)
        return NULL;
    st->rep = NULL;
    return rep;
}

size_t lgn_stats_open_visits(const struct lgn_stats *st)
{
    return lgn_sessions_open(st->sessions);
}

size_t lgn_stats_peak_visits(const struct lgn_stats *st)
{
    return lgn_sessions_peak(st->sessions);
}
