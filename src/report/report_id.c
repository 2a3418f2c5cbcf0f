/* report_id.c: report and input ids, and the overlap of inputs from different servers. */
#include "report.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex_id(const unsigned char *md, char out[LGN_REPORT_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < LGN_REPORT_ID_LEN / 2; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[LGN_REPORT_ID_LEN] = '\0';
}

/* SHA-256 of text, as an id. -1 on a library failure. */
static int digest_id(const char *text, size_t len, char out[LGN_REPORT_ID_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen < 16)
        return -1;
    hex_id(md, out);
    return 0;
}

void lgn_report_input_id(uint64_t hits, uint64_t bytes, bool has_time, int64_t first, int64_t last,
                         const char *host, char out[LGN_REPORT_ID_LEN + 1])
{
    char text[400];
    int n = snprintf(text, sizeof text, "lognym input\n%llu %llu %d %lld %lld\n%s",
                     (unsigned long long)hits, (unsigned long long)bytes, has_time ? 1 : 0,
                     (long long)first, (long long)last, host != NULL ? host : "");
    if (n < 0 || digest_id(text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1, out) != 0)
        out[0] = '\0';
}

int lgn_report_add_input(struct lgn_report *r, const struct lgn_report_input *in)
{
    struct lgn_report_input *n = realloc(r->in, (r->n_in + 1) * sizeof *n);
    if (n == NULL)
        return -1;
    r->in = n;
    n[r->n_in] = *in;
    n[r->n_in].host = strdup(in->host != NULL ? in->host : "");
    if (n[r->n_in].host == NULL)
        return -1;
    r->n_in++;
    return 0;
}

static int id_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int lgn_report_set_id(struct lgn_report *r)
{
    /* Settings, then the inputs' ids in sorted order: the order of the
     * files on the command line does not matter. */
    size_t cap = 256 + (r->assets ? strlen(r->assets) : 0) +
                 (r->site_hosts ? strlen(r->site_hosts) : 0) + r->n_in * (LGN_REPORT_ID_LEN + 1);
    char *text = malloc(cap);
    const char **ids = malloc((r->n_in ? r->n_in : 1) * sizeof *ids);
    int rc = -1;
    if (text == NULL || ids == NULL)
        goto out;
    int n =
        snprintf(text, cap, "lognym report\n%u %lld %lld %d\n%s\n%s\n", r->min_visitors,
                 (long long)r->visit_timeout_s, (long long)r->reorder_window_s, r->partial ? 1 : 0,
                 r->assets ? r->assets : "", r->site_hosts ? r->site_hosts : "");
    if (n < 0 || (size_t)n >= cap)
        goto out;
    size_t len = (size_t)n;
    for (size_t i = 0; i < r->n_in; i++)
        ids[i] = r->in[i].id;
    qsort(ids, r->n_in, sizeof *ids, id_cmp);
    for (size_t i = 0; i < r->n_in; i++) {
        memcpy(text + len, ids[i], LGN_REPORT_ID_LEN);
        len += LGN_REPORT_ID_LEN;
        text[len++] = '\n';
    }
    rc = digest_id(text, len, r->id);
out:
    free(text);
    free(ids);
    return rc;
}

int lgn_report_check_distinct(const struct lgn_report *into, const struct lgn_report *from,
                              struct lgn_err *err)
{
    if (into->id[0] != '\0' && strcmp(into->id, from->id) == 0)
        return lgn_err_set(err, LGN_EXIT_USAGE,
                           "the same report (id %s) is given twice: merging it would count "
                           "everything twice",
                           from->id);
    for (size_t i = 0; i < from->n_in; i++) {
        if (from->in[i].hits == 0)
            continue;
        for (size_t j = 0; j < into->n_in; j++)
            if (strcmp(from->in[i].id, into->in[j].id) == 0)
                return lgn_err_set(err, LGN_EXIT_USAGE,
                                   "shares an input (id %s) with a report already merged: "
                                   "merging it would count that input twice",
                                   from->in[i].id);
    }
    return 0;
}

bool lgn_report_overlap(const struct lgn_report *r, char *msg, size_t msgsz)
{
    for (size_t i = 0; i < r->n_in; i++) {
        const struct lgn_report_input *a = &r->in[i];
        for (size_t j = i + 1; j < r->n_in; j++) {
            const struct lgn_report_input *b = &r->in[j];
            if (!a->has_time || !b->has_time || strcmp(a->host, b->host) == 0 ||
                a->last_time < b->first_time || b->last_time < a->first_time)
                continue;
            char from[21], to[21];
            lgn_report_iso_time(a->first_time > b->first_time ? a->first_time : b->first_time,
                                from);
            lgn_report_iso_time(a->last_time < b->last_time ? a->last_time : b->last_time, to);
            snprintf(msg, msgsz,
                     "reports from different servers (%s, %s) overlap in time (%s to %s): a "
                     "visitor's visits across them cannot be joined, so visits, bounces and "
                     "visit durations are upper bounds; for exact figures run lognym stats over "
                     "all the logs at once (docs/stats.md)",
                     a->host, b->host, from, to);
            return true;
        }
    }
    return false;
}
