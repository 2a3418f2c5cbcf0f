/* statsmerge.c: `lognym merge`: load JSON reports, add them up, suppress small rows again. */
#include "statsmerge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"
#include "report_write.h"

struct lgn_report *lgn_statsmerge_load(const char *path, struct lgn_err *err)
{
    size_t len = 0;
    char *text = lgn_read_file(path, LGN_STATSMERGE_MAX_FILE, &len, err);
    if (text == NULL)
        return NULL;
    struct lgn_err e = {0, ""};
    struct lgn_report *r = lgn_report_read_json(text, len, &e);
    free(text);
    if (r == NULL)
        lgn_err_set(err, e.exit_code ? e.exit_code : LGN_EXIT_USAGE, "%s: %s", path, e.msg);
    return r;
}

struct lgn_report *lgn_statsmerge(const char *const *paths, size_t n, unsigned min_visitors,
                                  bool partial, struct lgn_err *err)
{
    if (n == 0) {
        lgn_err_set(err, LGN_EXIT_USAGE, "merge: no reports given");
        return NULL;
    }
    struct lgn_report *acc = lgn_statsmerge_load(paths[0], err);
    if (acc == NULL)
        return NULL;
    for (size_t i = 1; i < n; i++) {
        struct lgn_report *r = lgn_statsmerge_load(paths[i], err);
        if (r == NULL)
            goto fail;
        struct lgn_err e = {0, ""};
        int rc = lgn_report_merge(acc, r, &e);
        lgn_report_free(r);
        if (rc != 0) {
            lgn_err_set(err, e.exit_code, "%s: %s", paths[i], e.msg);
            goto fail;
        }
    }
    unsigned k = acc->min_visitors > min_visitors ? acc->min_visitors : min_visitors;
    acc->partial = partial;
    if (lgn_report_suppress(acc, k, err) != 0)
        goto fail;
    if (lgn_report_set_id(acc) != 0) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "cannot compute the report id (OpenSSL)");
        goto fail;
    }
    return acc;
fail:
    lgn_report_free(acc);
    return NULL;
}
