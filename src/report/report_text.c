/* report_text.c: the report as a readable terminal summary (control bytes in keys made harmless).
 */
#include "report_write.h"

#include <errno.h>
#include <string.h>

#include "utf8.h"

#define KEY_WIDTH 44

/* Prints s cut to `width` characters, control bytes and invalid UTF-8 as
 * '?', padded with spaces to width. */
static void put_cell(FILE *f, const char *s, int width)
{
    size_t n = strlen(s), i = 0;
    int w = 0;
    while (i < n && w < width) {
        unsigned char c = (unsigned char)s[i];
        size_t k = lgn_utf8_seq(s + i, n - i);
        if (c < 0x20 || c == 0x7f || k == 0) {
            fputc('?', f);
            i++;
        } else if (k > 1 && (unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
            fputc('?', f); /* C1 controls */
            i += k;
        } else {
            if (w == width - 1 && i + k < n) {
                fputc('~', f); /* cut */
                w++;
                break;
            }
            (void)fwrite(s + i, 1, k, f);
            i += k;
        }
        w++;
    }
    for (; w < width; w++)
        fputc(' ', f);
}

static void put_duration(FILE *f, double s)
{
    if (s < 60)
        fprintf(f, "%.1f s", s);
    else if (s < 3600)
        fprintf(f, "%dm %02ds", (int)s / 60, (int)s % 60);
    else
        fprintf(f, "%dh %02dm", (int)s / 3600, (int)s / 60 % 60);
}

static void put_bytes(FILE *f, uint64_t b)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double x = (double)b;
    int u = 0;
    while (x >= 1024 && u < 5) {
        x /= 1024;
        u++;
    }
    fprintf(f, u ? "%.1f %s" : "%.0f %s", x, unit[u]);
}

static bool hidden_col(const char *name)
{
    return strcmp(name, "time_on_page_samples") == 0 || strcmp(name, "time_on_page_total_s") == 0;
}

/* A counter column is 12 wide, or as wide as its name. */
static int col_width(const char *name)
{
    size_t n = strlen(name);
    return n > 12 ? (int)n : 12;
}

static void put_table(FILE *f, const struct lgn_report *r, unsigned ti, unsigned top)
{
    const struct lgn_table_def *def = &lgn_table_defs[ti];
    const struct lgn_report_table *t = &r->t[ti];
    fprintf(f, "\n%s\n", def->title);
    if (t->n == 0 && !t->has_other) {
        fputs("  (none)\n", f);
        return;
    }
    int kw = def->nkeys == 2 ? KEY_WIDTH / 2 : KEY_WIDTH;
    fputs("  ", f);
    for (unsigned k = 0; k < def->nkeys; k++)
        put_cell(f, def->keys[k], kw);
    for (unsigned c = 0; c < def->nvals; c++)
        if (!hidden_col(def->vals[c]))
            fprintf(f, " %*s", col_width(def->vals[c]), def->vals[c]);
    fprintf(f, " %12s", "visitors");
    for (unsigned d = 0; d < def->nderived; d++)
        fprintf(f, " %19s", def->derived[d].name);
    fputc('\n', f);
    size_t shown = def->by_key ? t->n : (t->n < top ? t->n : top);
    for (size_t i = 0; i <= shown; i++) {
        const struct lgn_report_row *row;
        bool other = i == shown;
        if (other && !t->has_other)
            break;
        row = other ? &t->other : &t->rows[i];
        fputs("  ", f);
        for (unsigned k = 0; k < def->nkeys; k++)
            put_cell(f, other ? (k == 0 ? LGN_REPORT_OTHER : "") : row->key[k], kw);
        for (unsigned c = 0; c < def->nvals; c++)
            if (!hidden_col(def->vals[c]))
                fprintf(f, " %*llu", col_width(def->vals[c]), (unsigned long long)row->v[c]);
        fprintf(f, " %12llu", (unsigned long long)row->visitors);
        for (unsigned d = 0; d < def->nderived; d++) {
            double x = lgn_report_row_derived(def, row, d);
            if (strstr(def->derived[d].name, "rate") != NULL)
                fprintf(f, " %17.1f %%", 100 * x);
            else
                fprintf(f, " %17.1f s", x);
        }
        fputc('\n', f);
    }
    if (t->n > shown)
        fprintf(f, "  ... %zu more rows (--json, --csv or --html for all)\n", t->n - shown);
}

int lgn_report_write_text(const struct lgn_report *r, FILE *f, unsigned top, struct lgn_err *err)
{
    if (top == 0)
        top = 10;
    const uint64_t *s = r->sum;
    fputs("lognym statistics", f);
    if (r->has_time) {
        char a[21], b[21];
        lgn_report_iso_time(r->first_time, a);
        lgn_report_iso_time(r->last_time, b);
        fprintf(f, ", %s to %s", a, b);
    }
    if (r->inputs > 1)
        fprintf(f, ", %u reports merged", r->inputs);
    fprintf(f, "\nRows with fewer than %u distinct visitors are folded into \"%s\".\n",
            r->min_visitors, LGN_REPORT_OTHER);
    fprintf(f, "\nSummary\n");
    fprintf(f, "  %-26s %llu (bots: %llu)\n", "hits", (unsigned long long)s[LGN_S_HITS],
            (unsigned long long)s[LGN_S_BOT_HITS]);
    fprintf(f, "  %-26s %llu\n", "page views", (unsigned long long)s[LGN_S_PAGE_VIEWS]);
    fprintf(f, "  %-26s %llu\n", "visits", (unsigned long long)s[LGN_S_VISITS]);
    fprintf(f, "  %-26s %llu%s\n", "unique visitors", (unsigned long long)r->visitors,
            r->visitors_estimated ? " (estimated)" : "");
    fprintf(f, "  %-26s %.1f %%\n", "bounce rate", 100 * lgn_report_summary(r, LGN_SD_BOUNCE_RATE));
    fprintf(f, "  %-26s %.2f\n", "pages per visit", lgn_report_summary(r, LGN_SD_PAGES_PER_VISIT));
    fprintf(f, "  %-26s %.2f\n", "actions per visit",
            lgn_report_summary(r, LGN_SD_ACTIONS_PER_VISIT));
    fprintf(f, "  %-26s mean ", "time on page");
    put_duration(f, lgn_report_summary(r, LGN_SD_AVG_TOP));
    fputs(", median ", f);
    put_duration(f, lgn_report_summary(r, LGN_SD_MEDIAN_TOP));
    fprintf(f, " (%llu page views; %llu exit page views left out)\n",
            (unsigned long long)s[LGN_S_TOP_N], (unsigned long long)s[LGN_S_EXITS]);
    fprintf(f, "  %-26s mean ", "visit duration");
    put_duration(f, lgn_report_summary(r, LGN_SD_AVG_DURATION));
    fprintf(f, "\n  %-26s ", "bytes sent");
    put_bytes(f, s[LGN_S_BYTES]);
    fputs(" (to bots: ", f);
    put_bytes(f, s[LGN_S_BOT_BYTES]);
    fputs(")\n", f);
    static const unsigned order[] = {
        LGN_T_DAYS,      LGN_T_PAGES,   LGN_T_ENTRY_PAGES, LGN_T_EXIT_PAGES, LGN_T_REFERRERS,
        LGN_T_COUNTRIES, LGN_T_DEVICES, LGN_T_OS,          LGN_T_BROWSERS,   LGN_T_STATUS_CLASSES,
        LGN_T_BOTS,      LGN_T_HOURS,   LGN_T_REQUESTS};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        put_table(f, r, order[i], top);
    if (ferror(f))
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "writing the report: %s", strerror(errno));
    return 0;
}
