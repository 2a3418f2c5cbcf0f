/* report_csv.c: the report as CSV files (RFC 4180), one per table, in a directory. */
#include "report_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "utf8.h"

/* A quoted field; invalid UTF-8 becomes U+FFFD, and a leading = + - @ is
 * defused with a ' so spreadsheets do not run it as a formula. */
static void put_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    fputc('"', f);
    if (n > 0 && strchr("=+-@\t\r", s[0]) != NULL)
        fputc('\'', f);
    for (size_t i = 0; i < n;) {
        size_t k = lgn_utf8_seq(s + i, n - i);
        if (k == 0) {
            fputs("\xef\xbf\xbd", f);
            i++;
            continue;
        }
        if (s[i] == '"')
            fputc('"', f);
        (void)fwrite(s + i, 1, k, f);
        i += k;
    }
    fputc('"', f);
}

static int open_csv(const char *dir, const char *name, FILE **f, char **tmp, char **path,
                    struct lgn_err *err)
{
    size_t n = strlen(dir) + strlen(name) + 8;
    *path = malloc(n);
    *tmp = malloc(n + 8);
    if (*path == NULL || *tmp == NULL) {
        free(*path);
        free(*tmp);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return -1;
    }
    snprintf(*path, n, "%s/%s.csv", dir, name);
    snprintf(*tmp, n + 8, "%s.tmp", *path);
    *f = fopen(*tmp, "w");
    if (*f == NULL) {
        lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", *tmp, strerror(errno));
        free(*path);
        free(*tmp);
        return -1;
    }
    return 0;
}

static int close_csv(FILE *f, char *tmp, char *path, struct lgn_err *err)
{
    int rc = 0;
    if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) != 0) {
        rc = lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", path, strerror(errno));
        (void)remove(tmp);
    }
    free(tmp);
    free(path);
    return rc;
}

static void put_row(FILE *f, const struct lgn_table_def *def, const struct lgn_report_row *row,
                    bool other)
{
    for (unsigned k = 0; k < def->nkeys; k++) {
        if (k > 0)
            fputc(',', f);
        if (other && def->key_numeric[k])
            ; /* empty: a number column holds numbers; the other column says what it is */
        else if (other)
            put_field(f, k == 0 ? LGN_REPORT_OTHER : "");
        else if (def->key_numeric[k])
            fputs(row->key[k], f);
        else
            put_field(f, row->key[k]);
    }
    for (unsigned c = 0; c < def->nvals; c++)
        fprintf(f, ",%llu", (unsigned long long)row->v[c]);
    fprintf(f, ",%llu", (unsigned long long)row->visitors);
    for (unsigned d = 0; d < def->nderived; d++)
        fprintf(f, ",%.6g", lgn_report_row_derived(def, row, d));
    fputs(row->estimated ? ",true" : ",false", f);
    fputs(other ? ",true\r\n" : ",false\r\n", f);
}

int lgn_report_write_csv(const struct lgn_report *r, const char *dir, struct lgn_err *err)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "%s: %s", dir, strerror(errno));
    FILE *f = NULL;
    char *tmp = NULL, *path = NULL;
    if (open_csv(dir, "summary", &f, &tmp, &path, err) != 0)
        return -1;
    fputs("\"name\",\"value\"\r\n", f);
    fprintf(f, "\"min_visitors\",%u\r\n\"visit_timeout_s\",%lld\r\n\"inputs\",%u\r\n",
            r->min_visitors, (long long)r->visit_timeout_s, r->inputs);
    if (r->has_time) {
        char a[26], b[26]; /* in the log's own time zone, the offset stated */
        lgn_report_local_time(r->first_time, r->first_tz, a);
        lgn_report_local_time(r->last_time, r->last_tz, b);
        fprintf(f, "\"from\",\"%s\"\r\n\"to\",\"%s\"\r\n", a, b);
    }
    for (unsigned i = 0; i < LGN_S_COUNT; i++)
        fprintf(f, "\"%s\",%llu\r\n", lgn_report_sum_names[i], (unsigned long long)r->sum[i]);
    fprintf(f, "\"visitors\",%llu\r\n", (unsigned long long)r->visitors);
    for (unsigned i = 0; i < LGN_SD_COUNT; i++)
        fprintf(f, "\"%s\",%.6g\r\n", lgn_report_derived_names[i],
                lgn_report_summary(r, (enum lgn_sumd_id)i));
    if (close_csv(f, tmp, path, err) != 0)
        return -1;
    for (unsigned ti = 0; ti < LGN_T_COUNT; ti++) {
        const struct lgn_table_def *def = &lgn_table_defs[ti];
        const struct lgn_report_table *t = &r->t[ti];
        if (open_csv(dir, def->name, &f, &tmp, &path, err) != 0)
            return -1;
        for (unsigned k = 0; k < def->nkeys; k++)
            fprintf(f, "%s\"%s\"", k ? "," : "", def->keys[k]);
        for (unsigned c = 0; c < def->nvals; c++)
            fprintf(f, ",\"%s\"", def->vals[c]);
        fputs(",\"visitors\"", f);
        for (unsigned d = 0; d < def->nderived; d++)
            fprintf(f, ",\"%s\"", def->derived[d].name);
        fputs(",\"estimated\",\"other\"\r\n", f);
        for (size_t i = 0; i < t->n; i++)
            put_row(f, def, &t->rows[i], false);
        if (t->has_other)
            put_row(f, def, &t->other, true);
        if (close_csv(f, tmp, path, err) != 0)
            return -1;
    }
    return 0;
}
