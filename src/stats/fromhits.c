/* fromhits.c: hit records in, ordered by time, counted, a partial report out. */
#include "fromhits.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hits.h"
#include "ingest.h"
#include "input.h"
#include "report_write.h"
#include "stats.h"
#include "statsmerge.h"

/* Where each record's fields lie in the text (unescaped, NUL-separated). */
struct entry {
    struct lgn_hit_key key;
    size_t off;
};

struct records {
    char *text;
    size_t len, cap;
    struct entry *e;
    size_t n, ecap;
};

static int grow(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    void *np = realloc(*p, c * size);
    if (np == NULL)
        return -1;
    *p = np;
    *cap = c;
    return 0;
}

/* Keeps one record (parsed once here, to report errors with their line). */
static int keep(struct records *rs, const struct lgn_line *line, const char *name,
                const struct lgn_config *cfg, struct lgn_err *err)
{
    if (line->too_long)
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s:%llu: not a hit record: longer than 1 MiB",
                           name, (unsigned long long)line->lineno);
    if (grow((void **)&rs->text, &rs->cap, rs->len + line->len + 1, 1, 1 << 20) != 0 ||
        grow((void **)&rs->e, &rs->ecap, rs->n + 1, sizeof *rs->e, 4096) != 0)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    if (rs->text == NULL || rs->e == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    char *p = rs->text + rs->len;
    memcpy(p, line->p, line->len);
    struct lgn_hit hit;
    struct entry *e = &rs->e[rs->n];
    struct lgn_err why = {0, ""};
    if (lgn_hits_parse(p, line->len, &hit, &e->key, &why) != 0)
        return lgn_err_set(err, why.exit_code, "%s:%llu: %s", name,
                           (unsigned long long)line->lineno, why.msg);
    if (cfg->part_count != 0 && hit.visitor % cfg->part_count != cfg->part_index)
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s:%llu: the visitor is not in partition %u of %u",
                           name, (unsigned long long)line->lineno, cfg->part_index,
                           cfg->part_count);
    e->off = rs->len;
    rs->len += line->len + 1;
    rs->n++;
    return 0;
}

static int read_file(struct records *rs, const char *path, const struct lgn_config *cfg,
                     struct lgn_err *err)
{
    struct lgn_input *in = lgn_input_open(path, NULL, err);
    if (in == NULL)
        return -1;
    struct lgn_line line;
    int rc;
    while ((rc = lgn_input_next(in, &line, err)) == 1)
        if (line.len > 0 && keep(rs, &line, lgn_input_name(in), cfg, err) != 0) {
            rc = -1;
            break;
        }
    lgn_input_close(in);
    return rc < 0 ? -1 : 0;
}

static int entry_cmp(const void *a, const void *b)
{
    return lgn_hits_key_cmp(&((const struct entry *)a)->key, &((const struct entry *)b)->key);
}

/* The hits, in order, into a report for merging. */
static struct lgn_report *count(const struct records *rs, const struct lgn_config *cfg,
                                const struct lgn_report *fold_as, struct lgn_err *err)
{
    struct lgn_stats_opts so;
    lgn_ingest_stats_opts(cfg, &so);
    so.partial = true;
    if (fold_as != NULL) { /* rows it folded have fewer than its K visitors here too */
        so.fold_ids = true;
        so.min_visitors = fold_as->min_visitors;
    }
    /* One source per partition, all of the same "server": partitions overlap
     * in time by design, and their visitors do not. */
    so.input_host = cfg->input_host != NULL ? cfg->input_host : "visitor-partitions";
    struct lgn_reportable *names = lgn_reportable_new(cfg, err);
    if (names == NULL)
        return NULL;
    struct lgn_stats *st = lgn_stats_new(&so, err);
    if (st == NULL) {
        lgn_reportable_free(names);
        return NULL;
    }
    for (size_t i = 0; i < rs->n; i++) {
        struct lgn_hit hit;
        struct lgn_hit_key key;
        char *p = rs->text + rs->e[i].off;
        /* Parsed before: the fields are already unescaped; parse the
         * NUL-separated form again without moving anything. */
        if (lgn_hits_parse_again(p, names, &hit, &key) != 0 || lgn_stats_add(st, &hit) != 0) {
            lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
            lgn_reportable_free(names);
            lgn_stats_free(st);
            return NULL;
        }
    }
    lgn_reportable_free(names);
    struct lgn_report *rep = lgn_stats_report(st, err);
    lgn_stats_free(st);
    if (rep != NULL && fold_as != NULL && lgn_report_fold_as(rep, fold_as, err) != 0) {
        lgn_report_free(rep);
        return NULL;
    }
    return rep;
}

int lgn_fromhits_run(const struct lgn_config *cfg, struct lgn_err *err)
{
    struct records rs = {0};
    static char stdin_name[] = "-";
    char *const stdin_only[] = {stdin_name};
    char *const *inputs = cfg->n_inputs ? cfg->inputs : stdin_only;
    size_t n_inputs = cfg->n_inputs ? cfg->n_inputs : 1;
    int rc = 0;
    for (size_t i = 0; i < n_inputs && rc == 0; i++)
        rc = read_file(&rs, inputs[i], cfg, err);
    struct lgn_report *fold_as = NULL;
    if (rc == 0 && cfg->fold_as != NULL) {
        fold_as = lgn_statsmerge_load(cfg->fold_as, err);
        rc = fold_as == NULL ? -1 : 0;
    }
    if (rc == 0 && fold_as != NULL && (fold_as->partial || fold_as->parts != 0))
        rc = lgn_err_set(err, LGN_EXIT_USAGE,
                         "%s: --fold-as wants the merged report of every partition, "
                         "not a partial one",
                         cfg->fold_as);
    struct lgn_report *rep = NULL;
    if (rc == 0) {
        if (rs.n > 1)
            qsort(rs.e, rs.n, sizeof *rs.e, entry_cmp);
        rep = count(&rs, cfg, fold_as, err);
        rc = rep == NULL ? -1 : 0;
    }
    lgn_report_free(fold_as);
    if (rc == 0 && cfg->part_count != 0) {
        rep->parts = cfg->part_count;
        rep->held[cfg->part_index / 64] |= UINT64_C(1) << (cfg->part_index % 64);
    }
    if (rc == 0)
        rc = lgn_report_save(rep, LGN_REPORT_JSON, cfg->stats_json ? cfg->stats_json : "-",
                             cfg->top, err);
    lgn_report_free(rep);
    free(rs.text);
    free(rs.e);
    return rc == 0 ? LGN_EXIT_OK : err->exit_code;
}
