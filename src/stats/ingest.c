/* ingest.c: from a record to an anonymous statistics hit. */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo.h"
#include "hash.h"
#include "ip.h"
#include "key.h"
#include "logtime.h"
#include "pseudo.h"
#include "report_write.h"
#include "siphash.h"
#include "stats.h"
#include "ua.h"

/* A visitor makes many hits from one address: its country is looked up
 * once (a direct-mapped cache; a database lookup costs microseconds). */
#define GEO_CACHE_SIZE 4096
struct geo_entry {
    struct lgn_ip ip; /* family 0: empty */
    char cc[3];
};

/* A visitor makes many hits with one client address and user agent: their
 * visitor id (a keyed hash), whether the client is an address, and its
 * country, worked out once (a direct-mapped cache keyed by the raw client
 * field and user agent, compared whole; memory only, wiped when freed).
 * Not with --key-rotate daily, where the id depends on the hit's day. */
#define WHO_CACHE_SIZE 4096
#define WHO_KEY_MAX 304 /* longer client fields and user agents are not cached */
struct who_entry {
    uint64_t visitor;
    uint16_t client_len, ua_len;
    bool used;
    char cc[3];            /* "" when the client is no address or there is no database */
    char key[WHO_KEY_MAX]; /* the raw client field, then the raw user agent */
};

struct lgn_ingest {
    const struct lgn_config *cfg;
    struct lgn_stats *stats;      /* NULL for a clone */
    const struct lgn_stats *defs; /* stats, or a clone's parent's: read only (lgn_stats_derive) */
    struct lgn_ua *ua;
    struct lgn_geo *geo;           /* NULL with --geoip none, or no database found */
    char *geo_path;                /* the database opened (owned), or NULL */
    unsigned char visitor_key[16]; /* never written anywhere */
    /* --key-rotate daily: each log day's visitor key, derived from the
     * master key as the addresses' day keys are; the last two days cached
     * (a log crossing midnight slightly out of order). */
    bool rotate;
    struct lgn_key master;
    int64_t key_day[2];
    unsigned char day_key[2][16];
    unsigned key_next;
    uint64_t hits;                     /* hits in the report, once finished */
    char host[256];                    /* the server the inputs come from */
    struct geo_entry *geo_cache;       /* countries of addresses seen (memory only) */
    struct who_entry *who_cache;       /* visitors seen (memory only), made on first use */
    struct lgn_logtime_memo time_memo; /* the last hit's time stamp */
};

/* --input-host, else this machine's name. */
static void input_host(const struct lgn_config *cfg, char *out, size_t outsz)
{
    if (cfg->input_host != NULL) {
        snprintf(out, outsz, "%s", cfg->input_host);
        return;
    }
    if (gethostname(out, outsz) != 0 || out[0] == '\0') {
        snprintf(out, outsz, "localhost");
        return;
    }
    out[outsz - 1] = '\0';
    for (char *c = out; *c; c++) /* as report sources allow */
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              *c == '.' || *c == '-' || *c == '_'))
            *c = '_';
}

/* The visitor key of a key (the master key, or a day's key). */
static int visitor_key_of(const struct lgn_key *key, unsigned char out[16], struct lgn_err *err)
{
    struct lgn_hmac *h = lgn_hmac_new(key, err);
    if (h == NULL)
        return -1;
    unsigned char mac[LGN_HMAC_LEN];
    static const char label[] = "lognym visitor id key";
    int rc = lgn_hmac_digest(h, label, sizeof label - 1, mac);
    lgn_hmac_free(h);
    memcpy(out, mac, 16);
    memset(mac, 0, sizeof mac);
    return rc == 0 ? 0 : lgn_err_set(err, LGN_EXIT_INTERNAL, "cannot derive the visitor key");
}

/* The visitor key: from the key file when there is one (so reports of
 * several runs merge with returning visitors counted once), else random.
 * With --key-rotate daily the master stays in memory for the day keys. */
static int visitor_key(struct lgn_ingest *g, struct lgn_err *err)
{
    const struct lgn_config *cfg = g->cfg;
    int rc = cfg->anon.key_file ? lgn_key_load(cfg->anon.key_file, &g->master, err)
                                : lgn_key_random(&g->master, err);
    if (rc == 0)
        rc = visitor_key_of(&g->master, g->visitor_key, err);
    g->rotate = cfg->anon.rotate_daily;
    g->key_day[0] = g->key_day[1] = INT64_MIN;
    if (!g->rotate)
        lgn_key_wipe(&g->master);
    return rc;
}

/* The visitor key of a hit at `time` (its log's local day): with
 * --key-rotate daily one visitor on two days has two unlinkable ids; a hit
 * without a time keeps the master's. NULL when a key cannot be derived. */
static const unsigned char *hit_key(struct lgn_ingest *g, int64_t time, int tz_offset_min)
{
    if (!g->rotate || time == LGN_HIT_NO_TIME)
        return g->visitor_key;
    int64_t local = time + (int64_t)tz_offset_min * 60;
    int64_t day = local / 86400 - (local % 86400 < 0);
    for (unsigned i = 0; i < 2; i++)
        if (g->key_day[i] == day)
            return g->day_key[i];
    int64_t y, m, d;
    lgn_logtime_civil_from_days(day, &y, &m, &d);
    struct lgn_key dk;
    struct lgn_err err;
    unsigned slot = g->key_next;
    int rc = lgn_key_derive_day(&g->master, (int)y, (int)m, (int)d, &dk, &err);
    if (rc == 0)
        rc = visitor_key_of(&dk, g->day_key[slot], &err);
    lgn_key_wipe(&dk);
    if (rc != 0)
        return NULL;
    g->key_day[slot] = day;
    g->key_next = slot ^ 1;
    return g->day_key[slot];
}

void lgn_ingest_stats_opts(const struct lgn_config *cfg, struct lgn_stats_opts *so)
{
    memset(so, 0, sizeof *so);
    so->visit_timeout_s = cfg->visit_timeout;
    so->reorder_window_s = cfg->reorder_window < 0    ? 0
                           : cfg->reorder_window == 0 ? -1
                                                      : cfg->reorder_window;
    so->min_visitors = cfg->min_visitors;
    so->assets = cfg->assets;
    so->site_hosts = cfg->site_host;
    so->partial = cfg->partial;
}

/* The country database: --geoip FILE, none with --geoip none, else the
 * default one when it is installed. */
static int geo_path(const struct lgn_config *cfg, char **out, struct lgn_err *err)
{
    char buf[4096];
    const char *p = cfg->geoip == NULL                ? lgn_geo_default_path(buf, sizeof buf)
                    : strcmp(cfg->geoip, "none") == 0 ? NULL
                                                      : cfg->geoip;
    *out = p ? strdup(p) : NULL;
    return p != NULL && *out == NULL ? lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory") : 0;
}

static int geo_cache_new(struct lgn_ingest *g, struct lgn_err *err)
{
    if (g->geo == NULL)
        return 0;
    g->geo_cache = calloc(GEO_CACHE_SIZE, sizeof *g->geo_cache);
    return g->geo_cache != NULL ? 0 : lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
}

/* The country of ip, from the cache or the database. */
static void country_of(struct lgn_ingest *g, const struct lgn_ip *ip, char cc[3])
{
    size_t n = ip->family == 4 ? 4 : 16;
    uint64_t h = lgn_hash_bytes((const char *)ip->bytes, n) ^ ip->family;
    struct geo_entry *e = &g->geo_cache[h & (GEO_CACHE_SIZE - 1)];
    if (e->ip.family != ip->family || memcmp(e->ip.bytes, ip->bytes, n) != 0) {
        lgn_geo_country_ip(g->geo, ip, e->cc);
        e->ip = *ip;
    }
    memcpy(cc, e->cc, 3);
}

struct lgn_ingest *lgn_ingest_new(const struct lgn_config *cfg, struct lgn_err *err)
{
    struct lgn_ingest *g = calloc(1, sizeof *g);
    if (g == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    g->cfg = cfg;
    input_host(cfg, g->host, sizeof g->host);
    struct lgn_stats_opts so;
    lgn_ingest_stats_opts(cfg, &so);
    so.input_host = g->host;
    if (geo_path(cfg, &g->geo_path, err) != 0 || visitor_key(g, err) != 0 ||
        (g->defs = g->stats = lgn_stats_new(&so, err)) == NULL ||
        (g->ua = lgn_ua_new(cfg->ua_regexes, err)) == NULL ||
        lgn_ua_use_bot_list(g->ua, cfg->bot_list, err) != 0 ||
        lgn_ua_use_filters(g->ua, cfg, err) != 0 ||
        (g->geo_path != NULL && (g->geo = lgn_geo_open(g->geo_path, err)) == NULL) ||
        geo_cache_new(g, err) != 0) {
        lgn_ingest_free(g);
        return NULL;
    }
    return g;
}

void lgn_ingest_free(struct lgn_ingest *g)
{
    if (g == NULL)
        return;
    lgn_stats_free(g->stats);
    lgn_ua_free(g->ua);
    lgn_geo_free(g->geo);
    free(g->geo_path);
    memset(g->visitor_key, 0, sizeof g->visitor_key);
    memset(g->day_key, 0, sizeof g->day_key);
    lgn_key_wipe(&g->master);
    if (g->geo_cache != NULL)
        memset(g->geo_cache, 0, GEO_CACHE_SIZE * sizeof *g->geo_cache);
    free(g->geo_cache);
    if (g->who_cache != NULL)
        memset(g->who_cache, 0, WHO_CACHE_SIZE * sizeof *g->who_cache);
    free(g->who_cache);
    free(g);
}

/* The leading digits of v ("-" and others: 0), never reading past v. */
static uint64_t digits_u64(struct lgn_slice v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < v.len && v.p[i] >= '0' && v.p[i] <= '9'; i++)
        x = x * 10 + (uint64_t)(v.p[i] - '0');
    return x;
}

/* The client's address: the first address in the field (the client end of
 * an X-Forwarded-For list), or the whole field when it holds none. */
static struct lgn_slice client_of(struct lgn_slice v, struct lgn_ip *ip, bool *is_ip)
{
    struct lgn_ip_span span;
    *is_ip = true;
    if (lgn_ip_parse(v.p, v.len, ip)) /* the usual case: the field is the address */
        return v;
    if (lgn_ip_find(v.p, v.len, 0, &span)) {
        *ip = span.ip;
        return (struct lgn_slice){v.p + span.start, span.len};
    }
    *is_ip = false;
    return v;
}

struct lgn_ingest *lgn_ingest_clone(const struct lgn_ingest *g, struct lgn_err *err)
{
    struct lgn_ingest *c = calloc(1, sizeof *c);
    if (c == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    c->cfg = g->cfg;
    c->defs = g->defs;
    memcpy(c->visitor_key, g->visitor_key, sizeof c->visitor_key);
    c->rotate = g->rotate;
    c->master = g->master;
    c->key_day[0] = c->key_day[1] = INT64_MIN;
    if ((c->ua = lgn_ua_share(g->ua, err)) == NULL ||
        (g->geo_path != NULL && (c->geo = lgn_geo_open(g->geo_path, err)) == NULL) ||
        geo_cache_new(c, err) != 0) {
        lgn_ingest_free(c);
        return NULL;
    }
    return c;
}

/* What a hit's client field and user agent make of it, worked out from them:
 * the visitor (a keyed hash of (raw client, raw user agent), in memory) and
 * the client's country. */
static void who_compute(struct lgn_ingest *g, const unsigned char *key, struct lgn_slice field,
                        struct lgn_slice ua, struct who_entry *w)
{
    struct lgn_ip client_ip;
    bool is_ip;
    struct lgn_slice client = client_of(field, &client_ip, &is_ip);
    unsigned char buf[1024];
    size_t n = client.len < 512 ? client.len : 512;
    size_t m = ua.len < sizeof buf - n - 1 ? ua.len : sizeof buf - n - 1;
    memcpy(buf, client.p, n);
    buf[n] = 0;
    memcpy(buf + n + 1, ua.p, m);
    w->visitor = lgn_siphash(key, buf, n + 1 + m);
    memset(buf, 0, n + 1 + m);
    memset(w->cc, 0, sizeof w->cc);
    if (g->geo != NULL && is_ip)
        country_of(g, &client_ip, w->cc);
    memset(&client_ip, 0, sizeof client_ip);
}

/* who_compute, through the cache when there is one. */
static void who_of(struct lgn_ingest *g, const unsigned char *key, struct lgn_slice field,
                   struct lgn_slice ua, uint64_t *visitor, char cc[3])
{
    struct who_entry tmp, *w = &tmp;
    bool cache = !g->rotate && field.len + ua.len <= WHO_KEY_MAX;
    if (cache && g->who_cache == NULL)
        g->who_cache = calloc(WHO_CACHE_SIZE, sizeof *g->who_cache);
    if (cache && g->who_cache != NULL) {
        uint64_t h = lgn_hash_bytes(field.p, field.len) ^
                     lgn_hash_bytes(ua.p, ua.len) * 0x9E3779B97F4A7C15ull;
        w = &g->who_cache[(h ^ (h >> 32)) & (WHO_CACHE_SIZE - 1)];
        if (w->used && w->client_len == field.len && w->ua_len == ua.len &&
            memcmp(w->key, field.p, field.len) == 0 &&
            memcmp(w->key + field.len, ua.p, ua.len) == 0) {
            *visitor = w->visitor;
            memcpy(cc, w->cc, 3);
            return;
        }
        memcpy(w->key, field.p, field.len);
        memcpy(w->key + field.len, ua.p, ua.len);
        w->client_len = (uint16_t)field.len;
        w->ua_len = (uint16_t)ua.len;
        w->used = true;
    }
    who_compute(g, key, field, ua, w);
    *visitor = w->visitor;
    memcpy(cc, w->cc, 3);
    if (w == &tmp)
        memset(&tmp, 0, sizeof tmp);
}

int lgn_ingest_extract(struct lgn_ingest *g, const struct lgn_record *r, struct lgn_hit *out,
                       struct lgn_ua_info *info)
{
    struct lgn_hit hit;
    memset(&hit, 0, sizeof hit);
    hit.time = LGN_HIT_NO_TIME;
    struct lgn_slice field = {"", 0}, ua = {"", 0}, request = {NULL, 0};
    bool have_client = false;
    for (size_t i = 0; i < r->fmt->n_fields; i++) {
        const struct lgn_op *op = r->fmt->fields[i];
        struct lgn_slice raw = r->in[i], val = lgn_record_value(r, i);
        switch (op->kind) {
        case LGN_K_ADDR:
            if (!have_client) {
                field = raw;
                have_client = true;
            }
            break;
        case LGN_K_TIME:
        case LGN_K_TIME_ISO:
            if (hit.time == LGN_HIT_NO_TIME &&
                !lgn_logtime_parse_memo(&g->time_memo, raw.p, raw.len, op->kind == LGN_K_TIME_ISO,
                                        &hit.time, &hit.tz_offset_min))
                hit.time = LGN_HIT_NO_TIME;
            break;
        case LGN_K_REQUEST:
            request = val;
            break;
        case LGN_K_METHOD:
            hit.method = val.p, hit.method_len = val.len;
            break;
        case LGN_K_URL:
            hit.path = val.p, hit.path_len = val.len;
            break;
        case LGN_K_STATUS:
            hit.status = lgn_logtime_digits(raw.p, 3);
            break;
        case LGN_K_NUMBER:
            if (op->bytes)
                hit.bytes = digits_u64(raw); /* not strtoull: a worker's batch holds the
                                                 next line right after this one */
            break;
        case LGN_K_REFERER:
            hit.referrer = val.p, hit.referrer_len = val.len;
            break;
        case LGN_K_UA:
            ua = raw;
            break;
        case LGN_K_HOST:
            if (hit.host == NULL)
                hit.host = val.p, hit.host_len = val.len;
            break;
        default:
            break;
        }
    }
    if (request.p != NULL) { /* "METHOD PATH PROTOCOL" */
        const char *sp = memchr(request.p, ' ', request.len);
        if (sp != NULL) {
            hit.method = request.p, hit.method_len = (size_t)(sp - request.p);
            const char *path = sp + 1, *end = request.p + request.len;
            const char *sp2 = memchr(path, ' ', (size_t)(end - path));
            hit.path = path, hit.path_len = (size_t)((sp2 ? sp2 : end) - path);
        }
    }
    const unsigned char *key = hit_key(g, hit.time, hit.tz_offset_min);
    if (key == NULL)
        return -1;
    who_of(g, key, field, ua, &hit.visitor, hit.country);
    if (lgn_ua_classify(g->ua, ua.p, ua.len, info) == 0) {
        hit.browser = info->browser, hit.browser_version = info->browser_major;
        hit.os = info->os, hit.os_version = info->os_version;
        hit.device = lgn_ua_device_name(info->device);
        hit.is_bot = info->is_bot, hit.bot_family = info->bot;
    }
    *out = hit;
    return 0;
}

const struct lgn_stats *lgn_ingest_stats(const struct lgn_ingest *g)
{
    return g->defs;
}

int lgn_ingest_add(struct lgn_ingest *g, const struct lgn_hit *hit)
{
    return lgn_stats_add(g->stats, hit);
}

int lgn_ingest_record(struct lgn_ingest *g, const struct lgn_record *r, unsigned input)
{
    struct lgn_hit hit;
    struct lgn_ua_info info;
    if (lgn_ingest_extract(g, r, &hit, &info) != 0)
        return -1;
    hit.input = input;
    return lgn_ingest_add(g, &hit);
}

int lgn_ingest_finish(struct lgn_ingest *g, struct lgn_err *err)
{
    const struct lgn_config *c = g->cfg;
    struct lgn_report *rep = lgn_stats_report(g->stats, err);
    if (rep == NULL)
        return -1;
    g->hits = rep->sum[LGN_S_HITS];
    if (g->geo != NULL) {
        char desc[256];
        lgn_geo_describe(g->geo, g->geo_path, desc, sizeof desc);
        if ((rep->geo_db = strdup(desc)) == NULL) {
            lgn_report_free(rep);
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        }
    }
    int rc = 0;
    if (rc == 0 && c->stats_json != NULL)
        rc = lgn_report_save(rep, LGN_REPORT_JSON, c->stats_json, c->top, err);
    if (rc == 0 && c->stats_html != NULL)
        rc = lgn_report_save(rep, LGN_REPORT_HTML, c->stats_html, c->top, err);
    if (rc == 0 && c->stats_csv != NULL)
        rc = lgn_report_write_csv(rep, c->stats_csv, err);
    if (rc == 0 && c->stats_text)
        rc = lgn_report_write_text(rep, stdout, c->top, err);
    lgn_report_free(rep);
    return rc;
}

uint64_t lgn_ingest_hits(const struct lgn_ingest *g)
{
    return g->hits;
}
