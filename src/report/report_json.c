/* report_json.c: the report as JSON (schema lognym-stats, docs/stats.md), written and read back. */
#include "report_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

static void put_str(FILE *f, const char *s)
{
    size_t n = strlen(s);
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        /* A run of bytes that need no escape goes out at once (sketches are long). */
        size_t j = i;
        while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7f && s[j] != '"' &&
               s[j] != '\\')
            j++;
        if (j > i) {
            (void)fwrite(s + i, 1, j - i, f);
            i = j;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            i++;
        } else {
            size_t k = lgn_utf8_seq(s + i, n - i);
            if (k == 0) {
                fputs("\\ufffd", f);
                i++;
            } else {
                (void)fwrite(s + i, 1, k, f);
                i += k;
            }
        }
    }
    fputc('"', f);
}

static void put_num(FILE *f, double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.6f", x);
    /* Trim trailing zeros (and a trailing dot): 0.250000 -> 0.25, 12.000000 -> 12. */
    char *dot = strchr(buf, '.');
    if (dot != NULL) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    fputs(buf, f);
}

static void put_key(FILE *f, const char *k)
{
    put_str(f, k);
    fputs(": ", f);
}

static void put_row(FILE *f, const struct lgn_table_def *def, const struct lgn_report_row *row,
                    bool other)
{
    fputs("    {", f);
    for (unsigned k = 0; k < def->nkeys; k++) {
        put_key(f, def->keys[k]);
        if (other && def->key_numeric[k])
            fputs("null", f); /* a number column holds numbers; "other" says what it is */
        else if (other)
            put_str(f, LGN_REPORT_OTHER);
        else if (def->key_numeric[k])
            fputs(row->key[k][0] != '\0' ? row->key[k] : "0", f);
        else
            put_str(f, row->key[k] ? row->key[k] : "");
        fputs(", ", f);
    }
    if (other)
        fputs("\"other\": true, ", f);
    for (unsigned i = 0; i < def->nvals; i++) {
        put_key(f, def->vals[i]);
        fprintf(f, "%llu, ", (unsigned long long)row->v[i]);
    }
    put_key(f, "visitors");
    fprintf(f, "%llu", (unsigned long long)row->visitors);
    if (row->estimated)
        fputs(", \"estimated\": true", f);
    for (unsigned d = 0; d < def->nderived; d++) {
        fputs(", ", f);
        put_key(f, def->derived[d].name);
        put_num(f, lgn_report_row_derived(def, row, d));
    }
    if (row->hll != NULL) {
        fputs(", ", f);
        put_key(f, "hll");
        put_str(f, row->hll);
    }
    fputc('}', f);
}

int lgn_report_write_json(const struct lgn_report *r, FILE *f, struct lgn_err *err)
{
    fputs("{\n  \"schema\": ", f);
    put_str(f, LGN_REPORT_SCHEMA);
    fprintf(f, ",\n  \"version\": %d,\n  \"generator\": \"lognym\",\n", LGN_REPORT_VERSION);
    fputs("  \"id\": ", f);
    put_str(f, r->id);
    fprintf(f, ",\n  \"partial\": %s,\n", r->partial ? "true" : "false");
    if (r->partial)
        fputs("  \"not_for_publication\": \"a partial report keeps rows with fewer than "
              "min_visitors visitors: only for lognym merge\",\n",
              f);
    fprintf(f,
            "  \"min_visitors\": %u,\n  \"visit_timeout_s\": %lld,\n  \"reorder_window_s\": "
            "%lld,\n  \"assets\": ",
            r->min_visitors, (long long)r->visit_timeout_s, (long long)r->reorder_window_s);
    put_str(f, r->assets ? r->assets : "");
    fputs(",\n  \"site_hosts\": ", f);
    if (r->site_hosts != NULL)
        put_str(f, r->site_hosts);
    else
        fputs("null", f);
    fprintf(f, ",\n  \"inputs\": %u,\n", r->inputs);
    if (r->parts != 0) {
        fprintf(f, "  \"visitor_partitions\": {\"of\": %u, \"held\": [", r->parts);
        const char *sep = "";
        for (unsigned i = 0; i < r->parts; i++)
            if (r->held[i / 64] >> (i % 64) & 1) {
                fprintf(f, "%s%u", sep, i);
                sep = ", ";
            }
        fputs("]},\n", f);
    }
    fputs("  \"period\": ", f);
    if (r->has_time) { /* in the log's own time zone, the offset stated */
        char a[26], b[26];
        lgn_report_local_time(r->first_time, r->first_tz, a);
        lgn_report_local_time(r->last_time, r->last_tz, b);
        fprintf(f, "{\"from\": \"%s\", \"to\": \"%s\"}", a, b);
    } else {
        fputs("null", f);
    }
    fputs(",\n  \"country_database\": ", f);
    if (r->geo_db != NULL)
        put_str(f, r->geo_db);
    else
        fputs("null", f);
    fputs(",\n  \"summary\": {\n", f);
    for (unsigned i = 0; i < LGN_S_COUNT; i++) {
        fputs("    ", f);
        put_key(f, lgn_report_sum_names[i]);
        fprintf(f, "%llu,\n", (unsigned long long)r->sum[i]);
    }
    fprintf(f, "    \"visitors\": %llu,\n    \"visitors_estimated\": %s",
            (unsigned long long)r->visitors, r->visitors_estimated ? "true" : "false");
    for (unsigned i = 0; i < LGN_SD_COUNT; i++) {
        fputs(",\n    ", f);
        put_key(f, lgn_report_derived_names[i]);
        put_num(f, lgn_report_summary(r, (enum lgn_sumd_id)i));
    }
    fputs("\n  }", f);
    fputs(",\n  \"sources\": [", f);
    for (size_t i = 0; i < r->n_in; i++) {
        const struct lgn_report_input *in = &r->in[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        put_str(f, in->id);
        fputs(", \"host\": ", f);
        put_str(f, in->host);
        fprintf(f, ", \"hits\": %llu", (unsigned long long)in->hits);
        if (in->has_time) {
            char a[21], b[21];
            lgn_report_iso_time(in->first_time, a);
            lgn_report_iso_time(in->last_time, b);
            fprintf(f, ", \"from\": \"%s\", \"to\": \"%s\"", a, b);
        }
        fputc('}', f);
    }
    fputs(r->n_in ? "\n  ]" : "]", f);
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_table_def *def = &lgn_table_defs[ti];
        const struct lgn_report_table *t = &r->t[ti];
        fputs(",\n  ", f);
        put_key(f, def->name);
        fputc('[', f);
        for (size_t i = 0; i < t->n; i++) {
            fputs(i ? ",\n" : "\n", f);
            put_row(f, def, &t->rows[i], false);
        }
        if (t->has_other) {
            fputs(t->n ? ",\n" : "\n", f);
            put_row(f, def, &t->other, true);
        }
        fputs(t->n || t->has_other ? "\n  ]" : "]", f);
    }
    fputs(",\n  \"sketches\": {\n    \"hll_precision\": ", f);
    fprintf(f, "%u,\n    \"visitors\": ", r->visitors_hll ? r->visitors_hll->p : 0);
    char *b = r->visitors_hll ? lgn_hll_to_base64(r->visitors_hll) : NULL;
    if (b != NULL)
        put_str(f, b);
    else
        fputs("null", f);
    free(b);
    fputs(",\n    \"time_on_page_histogram\": [", f);
    bool first = true;
    for (size_t s = 0; s < r->top_hist_n; s++) {
        if (r->top_hist[s] == 0)
            continue;
        fprintf(f, "%s[%zu, %llu]", first ? "" : ", ", s, (unsigned long long)r->top_hist[s]);
        first = false;
    }
    fputs("]\n  }\n}\n", f);
    if (ferror(f))
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "writing the JSON report: %s", strerror(errno));
    return 0;
}

/* ---- reading ---- */

static int bad(struct lgn_err *err, const char *what, const char *where)
{
    return lgn_err_set(err, LGN_EXIT_USAGE, "not a lognym report: %s%s%s", what,
                       where ? " in " : "", where ? where : "");
}

static int get_u64(const struct lgn_json *obj, const char *key, uint64_t *out, bool required,
                   struct lgn_err *err, const char *where)
{
    const struct lgn_json *v = lgn_json_get(obj, key);
    if (v == NULL && !required) {
        *out = 0;
        return 0;
    }
    if (!lgn_json_u64(v, out)) {
        char what[96];
        snprintf(what, sizeof what, "\"%s\" is not a count", key);
        return bad(err, what, where);
    }
    return 0;
}

static int read_sketch(const struct lgn_json *v, struct lgn_hll **out, struct lgn_err *err)
{
    *out = NULL;
    if (v == NULL || v->type == LGN_JSON_NULL)
        return 0;
    if (v->type != LGN_JSON_STRING)
        return bad(err, "a sketch is not a string", NULL);
    *out = lgn_hll_from_base64(v->str, v->len, err);
    return *out == NULL ? -1 : 0;
}

static int read_table(struct lgn_report *r, unsigned ti, const struct lgn_json *arr,
                      struct lgn_err *err)
{
    const struct lgn_table_def *def = &lgn_table_defs[ti];
    struct lgn_report_table *t = &r->t[ti];
    if (arr == NULL)
        return 0; /* a table missing from the report is empty */
    if (arr->type != LGN_JSON_ARRAY)
        return bad(err, "a table is not an array", def->name);
    for (size_t i = 0; i < arr->n; i++) {
        const struct lgn_json *o = arr->items[i];
        if (o->type != LGN_JSON_OBJECT)
            return bad(err, "a row is not an object", def->name);
        const struct lgn_json *oth = lgn_json_get(o, "other");
        bool other = oth != NULL && oth->type == LGN_JSON_TRUE;
        struct lgn_report_row *row;
        if (other) {
            if (t->has_other)
                return bad(err, "two (other) rows", def->name);
            t->has_other = true;
            row = &t->other;
        } else {
            const char *k[2] = {NULL, NULL};
            for (unsigned kk = 0; kk < def->nkeys; kk++) {
                const struct lgn_json *kv = lgn_json_get(o, def->keys[kk]);
                if (kv != NULL && (kv->type == LGN_JSON_STRING ||
                                   (def->key_numeric[kk] && kv->type == LGN_JSON_NUMBER)))
                    k[kk] = kv->str;
                else
                    return bad(err, "a row has no key", def->name);
                if (memchr(kv->str, '\0', kv->len) != NULL)
                    return bad(err, "a key holds NUL", def->name);
            }
            row = lgn_report_add_row(t, k[0], def->nkeys > 1 ? k[1] : NULL);
            if (row == NULL)
                return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        }
        for (unsigned c = 0; c < def->nvals; c++)
            if (get_u64(o, def->vals[c], &row->v[c], false, err, def->name) != 0)
                return -1;
        if (get_u64(o, "visitors", &row->visitors, true, err, def->name) != 0)
            return -1;
        const struct lgn_json *est = lgn_json_get(o, "estimated");
        row->estimated = est != NULL && est->type == LGN_JSON_TRUE;
        struct lgn_hll *h;
        if (read_sketch(lgn_json_get(o, "hll"), &h, err) != 0)
            return -1;
        if (h != NULL) {
            lgn_hll_free(h); /* checked; kept in its compact text form */
            row->hll = strdup(lgn_json_get(o, "hll")->str);
            if (row->hll == NULL)
                return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        }
    }
    return 0;
}

/* "visitor_partitions": {"of": N, "held": [i, ...]} (absent: not a partition). */
static int read_parts(struct lgn_report *r, const struct lgn_json *vp, struct lgn_err *err)
{
    if (vp == NULL)
        return 0;
    uint64_t n, i;
    const struct lgn_json *held = lgn_json_get(vp, "held");
    if (vp->type != LGN_JSON_OBJECT || !lgn_json_u64(lgn_json_get(vp, "of"), &n) || n == 0 ||
        n > LGN_REPORT_MAX_PARTS || held == NULL || held->type != LGN_JSON_ARRAY || held->n == 0)
        return bad(err, "bad visitor_partitions", NULL);
    r->parts = (unsigned)n;
    for (size_t k = 0; k < held->n; k++) {
        if (!lgn_json_u64(held->items[k], &i) || i >= n)
            return bad(err, "bad visitor_partitions", NULL);
        r->held[i / 64] |= UINT64_C(1) << (i % 64);
    }
    return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" into UTC seconds. */
static bool iso_time(const struct lgn_json *v, int64_t *t)
{
    const char *s = lgn_json_str(v);
    if (s == NULL || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != 'Z')
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    int64_t day;
    if (lgn_report_parse_date(date, &day) != 0)
        return false;
    for (int i = 11; i < 19; i++)
        if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
            return false;
    *t = day * 86400 + ((s[11] - '0') * 10 + (s[12] - '0')) * 3600 +
         ((s[14] - '0') * 10 + (s[15] - '0')) * 60 + (s[17] - '0') * 10 + (s[18] - '0');
    return true;
}

static bool is_id(const char *s)
{
    size_t n = strlen(s);
    if (n != LGN_REPORT_ID_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* A server name as reported: printable ASCII of a host name only (it is
 * printed in messages). */
static bool is_host(const char *s)
{
    size_t n = strlen(s);
    if (n > 253)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' || s[i] == '-' || s[i] == '_' ||
              s[i] == ':'))
            return false;
    return true;
}

static int read_sources(struct lgn_report *r, const struct lgn_json *arr, struct lgn_err *err)
{
    if (arr == NULL)
        return 0;
    if (arr->type != LGN_JSON_ARRAY)
        return bad(err, "\"sources\" is not an array", NULL);
    for (size_t i = 0; i < arr->n; i++) {
        const struct lgn_json *o = arr->items[i];
        struct lgn_report_input in = {{0}, NULL, 0, false, 0, 0};
        const char *id = o->type == LGN_JSON_OBJECT ? lgn_json_str(lgn_json_get(o, "id")) : NULL;
        const char *host = id != NULL ? lgn_json_str(lgn_json_get(o, "host")) : NULL;
        if (id == NULL || !is_id(id) || host == NULL || !is_host(host))
            return bad(err, "a source without a good id and host", "sources");
        memcpy(in.id, id, LGN_REPORT_ID_LEN + 1);
        in.host = (char *)host;
        if (get_u64(o, "hits", &in.hits, false, err, "sources") != 0)
            return -1;
        const struct lgn_json *from = lgn_json_get(o, "from");
        if (from != NULL) {
            if (!iso_time(from, &in.first_time) || !iso_time(lgn_json_get(o, "to"), &in.last_time))
                return bad(err, "a bad time", "sources");
            in.has_time = true;
        }
        if (lgn_report_add_input(r, &in) != 0)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    return 0;
}

static int read_report(struct lgn_report *r, const struct lgn_json *doc, struct lgn_err *err)
{
    if (doc->type != LGN_JSON_OBJECT)
        return bad(err, "not an object", NULL);
    const char *schema = lgn_json_str(lgn_json_get(doc, "schema"));
    if (schema == NULL || strcmp(schema, LGN_REPORT_SCHEMA) != 0)
        return bad(err, "no \"schema\": \"" LGN_REPORT_SCHEMA "\"", NULL);
    uint64_t ver, k, timeout, inputs;
    if (get_u64(doc, "version", &ver, true, err, NULL) != 0)
        return -1;
    if (ver != LGN_REPORT_VERSION)
        return lgn_err_set(err, LGN_EXIT_USAGE, "report schema version %llu is not %d",
                           (unsigned long long)ver, LGN_REPORT_VERSION);
    if (get_u64(doc, "min_visitors", &k, true, err, NULL) != 0 ||
        get_u64(doc, "visit_timeout_s", &timeout, true, err, NULL) != 0 ||
        get_u64(doc, "inputs", &inputs, false, err, NULL) != 0)
        return -1;
    if (k > UINT32_MAX || timeout > INT32_MAX || inputs > UINT32_MAX)
        return bad(err, "a setting is out of range", NULL);
    r->min_visitors = (unsigned)k;
    r->visit_timeout_s = (int64_t)timeout;
    r->inputs = inputs ? (unsigned)inputs : 1;
    const char *assets = lgn_json_str(lgn_json_get(doc, "assets"));
    const char *sites = lgn_json_str(lgn_json_get(doc, "site_hosts"));
    r->assets = strdup(assets ? assets : "");
    r->site_hosts = sites ? strdup(sites) : NULL;
    if (r->assets == NULL || (sites && r->site_hosts == NULL))
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    if (read_parts(r, lgn_json_get(doc, "visitor_partitions"), err) != 0)
        return -1;
    const struct lgn_json *period = lgn_json_get(doc, "period");
    if (period != NULL && period->type == LGN_JSON_OBJECT) {
        const char *from = lgn_json_str(lgn_json_get(period, "from"));
        const char *to = lgn_json_str(lgn_json_get(period, "to"));
        if (from == NULL || to == NULL ||
            lgn_report_parse_local_time(from, &r->first_time, &r->first_tz) != 0 ||
            lgn_report_parse_local_time(to, &r->last_time, &r->last_tz) != 0)
            return bad(err, "bad period", NULL);
        r->has_time = true;
    }
    const char *geo = lgn_json_str(lgn_json_get(doc, "country_database"));
    if (geo != NULL && (r->geo_db = strdup(geo)) == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    uint64_t window;
    if (get_u64(doc, "reorder_window_s", &window, false, err, NULL) != 0)
        return -1;
    r->reorder_window_s = window > 86400 ? 86400 : (int64_t)window;
    const struct lgn_json *partial = lgn_json_get(doc, "partial");
    r->partial = partial != NULL && partial->type == LGN_JSON_TRUE;
    const char *id = lgn_json_str(lgn_json_get(doc, "id"));
    if (id != NULL && !is_id(id))
        return bad(err, "bad \"id\"", NULL);
    if (id != NULL)
        memcpy(r->id, id, LGN_REPORT_ID_LEN + 1);
    if (read_sources(r, lgn_json_get(doc, "sources"), err) != 0)
        return -1;
    const struct lgn_json *sum = lgn_json_get(doc, "summary");
    if (sum == NULL || sum->type != LGN_JSON_OBJECT)
        return bad(err, "no summary", NULL);
    for (unsigned i = 0; i < LGN_S_COUNT; i++)
        if (get_u64(sum, lgn_report_sum_names[i], &r->sum[i], true, err, "summary") != 0)
            return -1;
    if (get_u64(sum, "visitors", &r->visitors, true, err, "summary") != 0)
        return -1;
    const struct lgn_json *est = lgn_json_get(sum, "visitors_estimated");
    r->visitors_estimated = est != NULL && est->type == LGN_JSON_TRUE;
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++)
        if (read_table(r, ti, lgn_json_get(doc, lgn_table_defs[ti].name), err) != 0)
            return -1;
    const struct lgn_json *sk = lgn_json_get(doc, "sketches");
    if (sk != NULL && sk->type == LGN_JSON_OBJECT) {
        if (read_sketch(lgn_json_get(sk, "visitors"), &r->visitors_hll, err) != 0)
            return -1;
        const struct lgn_json *h = lgn_json_get(sk, "time_on_page_histogram");
        if (h != NULL && h->type != LGN_JSON_ARRAY)
            return bad(err, "bad histogram", NULL);
        for (size_t i = 0; h != NULL && i < h->n; i++) {
            const struct lgn_json *pair = h->items[i];
            uint64_t s, n;
            if (pair->type != LGN_JSON_ARRAY || pair->n != 2 || !lgn_json_u64(pair->items[0], &s) ||
                !lgn_json_u64(pair->items[1], &n) || s > 30 * 86400)
                return bad(err, "bad histogram entry", NULL);
            if (lgn_report_add_top(r, s, n) != 0)
                return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        }
    }
    return 0;
}

struct lgn_report *lgn_report_read_json(const char *text, size_t len, struct lgn_err *err)
{
    struct lgn_err jerr = {0, ""};
    struct lgn_json *doc = lgn_json_parse(text, len, &jerr);
    if (doc == NULL) {
        lgn_err_set(err, jerr.exit_code == LGN_EXIT_INTERNAL ? LGN_EXIT_INTERNAL : LGN_EXIT_USAGE,
                    "not a lognym report (not JSON: %s)", jerr.msg);
        return NULL;
    }
    struct lgn_report *r = lgn_report_new();
    if (r == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    } else if (read_report(r, doc, err) != 0) {
        lgn_report_free(r);
        r = NULL;
    }
    lgn_json_free(doc);
    return r;
}
