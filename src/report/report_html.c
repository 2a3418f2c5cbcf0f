/* report_html.c: the report as one self-contained HTML page with inline SVG charts (no scripts, no
 * external requests). */
#include "report_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define BAR_ROWS 10

static void esc(FILE *f, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = lgn_utf8_seq(s + i, n - i);
        unsigned char c = (unsigned char)s[i];
        if (k == 0 || c < 0x20 || c == 0x7f) {
            fputs("\xef\xbf\xbd", f);
            i++;
            continue;
        }
        switch (c) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            (void)fwrite(s + i, 1, k, f);
        }
        i += k;
    }
}

/* Prints s cut to at most max characters (with an ellipsis), escaped. */
static void esc_cut(FILE *f, const char *s, size_t max)
{
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n && chars < max) {
        size_t k = lgn_utf8_seq(s + i, n - i);
        i += k ? k : 1;
        chars++;
    }
    if (i >= n) {
        esc(f, s);
        return;
    }
    char *c = malloc(i + 1);
    if (c == NULL)
        return;
    memcpy(c, s, i);
    c[i] = '\0';
    esc(f, c);
    fputs("\xe2\x80\xa6", f);
    free(c);
}

struct bar {
    const char *label;
    uint64_t value;
};

/* A horizontal bar chart: label, bar, value. */
static void hbars(FILE *f, const char *title, const struct bar *b, size_t n, uint64_t total)
{
    fprintf(f, "<figure><figcaption>%s</figcaption>\n", title);
    if (n == 0) {
        fputs("<p class=\"none\">no data</p></figure>\n", f);
        return;
    }
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (b[i].value > max)
            max = b[i].value;
    unsigned h = (unsigned)n * 24 + 4;
    fprintf(f, "<svg role=\"img\" viewBox=\"0 0 640 %u\" width=\"640\" height=\"%u\">\n", h, h);
    for (size_t i = 0; i < n; i++) {
        unsigned y = (unsigned)i * 24 + 2;
        double w = 300.0 * (double)b[i].value / (double)max;
        fprintf(f, "<text x=\"0\" y=\"%u\" class=\"lbl\">", y + 16);
        esc_cut(f, b[i].label, 30);
        fprintf(f, "</text><rect x=\"230\" y=\"%u\" width=\"%.1f\" height=\"18\" class=\"bar\"/>",
                y + 2, w < 1 && b[i].value ? 1.0 : w);
        fprintf(f, "<text x=\"%.1f\" y=\"%u\" class=\"val\">%llu", 236 + w, y + 16,
                (unsigned long long)b[i].value);
        if (total > 0)
            fprintf(f, " (%.1f%%)", 100.0 * (double)b[i].value / (double)total);
        fputs("</text>\n", f);
    }
    fputs("</svg></figure>\n", f);
}

/* Bars of a table's first counter (rows already sorted), "(other)" last. */
static void table_bars(FILE *f, const struct lgn_report *r, unsigned ti, const char *title)
{
    const struct lgn_report_table *t = &r->t[ti];
    struct bar b[BAR_ROWS + 1];
    size_t n = 0;
    uint64_t total = 0, rest = 0;
    for (size_t i = 0; i < t->n; i++) {
        total += t->rows[i].v[0];
        if (n < BAR_ROWS)
            b[n++] = (struct bar){t->rows[i].key[0], t->rows[i].v[0]};
        else
            rest += t->rows[i].v[0];
    }
    if (t->has_other) {
        total += t->other.v[0];
        rest += t->other.v[0];
    }
    if (rest > 0)
        b[n++] = (struct bar){LGN_REPORT_OTHER, rest};
    hbars(f, title, b, n, total);
}

/* Bars by family (rows of a family/version table added up). */
static void family_bars(FILE *f, const struct lgn_report *r, unsigned ti, const char *title)
{
    const struct lgn_report_table *t = &r->t[ti];
    struct bar *all = calloc(t->n + 1, sizeof *all);
    if (all == NULL)
        return;
    size_t n = 0;
    uint64_t total = 0;
    for (size_t i = 0; i < t->n; i++) {
        total += t->rows[i].v[0];
        size_t j = 0;
        while (j < n && strcmp(all[j].label, t->rows[i].key[0]) != 0)
            j++;
        if (j == n)
            all[n++] = (struct bar){t->rows[i].key[0], 0};
        all[j].value += t->rows[i].v[0];
    }
    /* Largest first (selection of the top rows). */
    struct bar b[BAR_ROWS + 1];
    size_t m = 0;
    uint64_t rest = t->has_other ? t->other.v[0] : 0;
    total += rest;
    for (; m < BAR_ROWS && m < n; m++) {
        size_t best = m;
        for (size_t j = m + 1; j < n; j++)
            if (all[j].value > all[best].value)
                best = j;
        struct bar tmp = all[m];
        all[m] = all[best];
        all[best] = tmp;
        b[m] = all[m];
    }
    for (size_t j = m; j < n; j++)
        rest += all[j].value;
    if (rest > 0)
        b[m++] = (struct bar){LGN_REPORT_OTHER, rest};
    hbars(f, title, b, m, total);
    free(all);
}

/* Visits per day as columns, unique visitors as a line. */
static void daily_chart(FILE *f, const struct lgn_report *r)
{
    const struct lgn_report_table *t = &r->t[LGN_T_DAYS];
    fputs("<figure><figcaption>Visits (bars) and unique visitors (line) per day</figcaption>\n", f);
    if (t->n == 0) {
        fputs("<p class=\"none\">no data</p></figure>\n", f);
        return;
    }
    uint64_t max = 1;
    for (size_t i = 0; i < t->n; i++) {
        if (t->rows[i].v[4] > max)
            max = t->rows[i].v[4];
        if (t->rows[i].visitors > max)
            max = t->rows[i].visitors;
    }
    const double W = 900, H = 220, left = 50, bottom = 30;
    double step = (W - left) / (double)t->n;
    fprintf(f, "<svg role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">\n", W,
            H + bottom, W, H + bottom);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>\n", left, H,
            W, H);
    fprintf(f, "<text x=\"0\" y=\"14\" class=\"lbl\">%llu</text>", (unsigned long long)max);
    fprintf(f, "<text x=\"0\" y=\"%.0f\" class=\"lbl\">0</text>\n", H);
    for (size_t i = 0; i < t->n; i++) {
        double hgt = (H - 10) * (double)t->rows[i].v[4] / (double)max;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">"
                "<title>",
                left + (double)i * step + step * 0.1, H - hgt, step * 0.8, hgt);
        esc(f, t->rows[i].key[0]);
        fprintf(f, ": %llu visits, %llu visitors</title></rect>\n",
                (unsigned long long)t->rows[i].v[4], (unsigned long long)t->rows[i].visitors);
    }
    fputs("<polyline class=\"line\" points=\"", f);
    for (size_t i = 0; i < t->n; i++)
        fprintf(f, "%.1f,%.1f ", left + ((double)i + 0.5) * step,
                H - (H - 10) * (double)t->rows[i].visitors / (double)max);
    fputs("\"/>\n", f);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"lbl\">", left, H + 20);
    esc(f, t->rows[0].key[0]);
    fprintf(f, "</text><text x=\"%.0f\" y=\"%.0f\" class=\"lbl\" text-anchor=\"end\">", W, H + 20);
    esc(f, t->rows[t->n - 1].key[0]);
    fputs("</text></svg></figure>\n", f);
}

static void put_table(FILE *f, const struct lgn_report *r, unsigned ti, unsigned top)
{
    const struct lgn_table_def *def = &lgn_table_defs[ti];
    const struct lgn_report_table *t = &r->t[ti];
    fprintf(f, "<section><h2>%s</h2>\n", def->title);
    if (t->n == 0 && !t->has_other) {
        fputs("<p class=\"none\">no data</p></section>\n", f);
        return;
    }
    fputs("<table><thead><tr>", f);
    for (unsigned k = 0; k < def->nkeys; k++)
        fprintf(f, "<th>%s</th>", def->keys[k]);
    for (unsigned c = 0; c < def->nvals; c++)
        fprintf(f, "<th class=\"n\">%s</th>", def->vals[c]);
    fputs("<th class=\"n\">visitors</th>", f);
    for (unsigned d = 0; d < def->nderived; d++)
        fprintf(f, "<th class=\"n\">%s</th>", def->derived[d].name);
    fputs("</tr></thead><tbody>\n", f);
    size_t shown = def->by_key || top == 0 || t->n < top ? t->n : top;
    for (size_t i = 0; i <= shown; i++) {
        bool other = i == shown;
        if (other && !t->has_other)
            break;
        const struct lgn_report_row *row = other ? &t->other : &t->rows[i];
        fputs(other ? "<tr class=\"other\">" : "<tr>", f);
        for (unsigned k = 0; k < def->nkeys; k++) {
            fputs("<td>", f);
            esc_cut(f, other ? (k == 0 ? LGN_REPORT_OTHER : "") : row->key[k], 80);
            fputs("</td>", f);
        }
        for (unsigned c = 0; c < def->nvals; c++)
            fprintf(f, "<td class=\"n\">%llu</td>", (unsigned long long)row->v[c]);
        fprintf(f, "<td class=\"n\">%llu</td>", (unsigned long long)row->visitors);
        for (unsigned d = 0; d < def->nderived; d++) {
            double x = lgn_report_row_derived(def, row, d);
            if (strstr(def->derived[d].name, "rate") != NULL)
                fprintf(f, "<td class=\"n\">%.1f%%</td>", 100 * x);
            else
                fprintf(f, "<td class=\"n\">%.1f</td>", x);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>", f);
    if (t->n > shown)
        fprintf(f, "<p class=\"none\">%zu more rows in the JSON and CSV reports.</p>",
                t->n - shown);
    fputs("</section>\n", f);
}

static void card(FILE *f, const char *name, int decimals, double x, const char *unit)
{
    fprintf(f, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\" id=\"", name);
    for (const char *c = name; *c; c++)
        fputc(*c == ' ' ? '-' : *c, f);
    fputs("\">", f);
    fprintf(f, "%.*f%s", decimals, x, unit);
    fputs("</div></div>\n", f);
}

int lgn_report_write_html(const struct lgn_report *r, FILE *f, unsigned top, struct lgn_err *err)
{
    if (top == 0)
        top = 25;
    const uint64_t *s = r->sum;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>lognym statistics</title>\n<style>\n"
          "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1000px}\n"
          "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\n"
          ".cards{display:flex;flex-wrap:wrap;gap:.6em}\n"
          ".card{border:1px solid #ccd;border-radius:6px;padding:.5em .8em;min-width:9em}\n"
          ".card .k{color:#666;font-size:.85em}.card .v{font-size:1.3em;font-weight:600}\n"
          "table{border-collapse:collapse;margin:.4em 0}td,th{padding:.15em .6em;"
          "border-bottom:1px solid #eee;text-align:left}.n{text-align:right}\n"
          "tr.other td{color:#777;font-style:italic}.none{color:#777}\n"
          "figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}\n"
          "svg .bar{fill:#4a7fb5}svg .line{fill:none;stroke:#d2691e;stroke-width:2}\n"
          "svg .axis{stroke:#999}svg .lbl,svg .val{font-size:12px;fill:#333}\n"
          "</style></head><body>\n<h1>lognym statistics</h1>\n<p>",
          f);
    if (r->has_time) {
        char a[21], b[21];
        lgn_report_iso_time(r->first_time, a);
        lgn_report_iso_time(r->last_time, b);
        fprintf(f, "From %s to %s. ", a, b);
    }
    if (r->inputs > 1)
        fprintf(f, "%u reports merged. ", r->inputs);
    fprintf(f,
            "Rows with fewer than <b id=\"k\">%u</b> distinct visitors are folded into "
            "&ldquo;%s&rdquo;. Bots are left out of everything but hits, status codes and "
            "the bot table.</p>\n<div class=\"cards\">\n",
            r->min_visitors, LGN_REPORT_OTHER);
    card(f, "hits", 0, (double)s[LGN_S_HITS], "");
    card(f, "bot hits", 0, (double)s[LGN_S_BOT_HITS], "");
    card(f, "page views", 0, (double)s[LGN_S_PAGE_VIEWS], "");
    card(f, "visits", 0, (double)s[LGN_S_VISITS], "");
    card(f, "unique visitors", 0, (double)r->visitors, "");
    card(f, "bounce rate", 1, 100 * lgn_report_summary(r, LGN_SD_BOUNCE_RATE), "%");
    card(f, "pages per visit", 2, lgn_report_summary(r, LGN_SD_PAGES_PER_VISIT), "");
    card(f, "actions per visit", 2, lgn_report_summary(r, LGN_SD_ACTIONS_PER_VISIT), "");
    card(f, "mean time on page", 1, lgn_report_summary(r, LGN_SD_AVG_TOP), " s");
    card(f, "median time on page", 1, lgn_report_summary(r, LGN_SD_MEDIAN_TOP), " s");
    card(f, "mean visit duration", 1, lgn_report_summary(r, LGN_SD_AVG_DURATION), " s");
    fputs("</div>\n", f);
    daily_chart(f, r);
    table_bars(f, r, LGN_T_DEVICES, "Device types (visits)");
    family_bars(f, r, LGN_T_OS, "Operating systems (visits)");
    family_bars(f, r, LGN_T_BROWSERS, "Browsers (visits)");
    table_bars(f, r, LGN_T_REFERRERS, "Referring domains (visits)");
    table_bars(f, r, LGN_T_COUNTRIES, "Countries (visits)");
    static const unsigned order[] = {
        LGN_T_DAYS,      LGN_T_PAGES,   LGN_T_ENTRY_PAGES, LGN_T_EXIT_PAGES, LGN_T_REFERRERS,
        LGN_T_COUNTRIES, LGN_T_DEVICES, LGN_T_OS,          LGN_T_BROWSERS,   LGN_T_STATUS_CLASSES,
        LGN_T_STATUS,    LGN_T_BOTS,    LGN_T_HOURS,       LGN_T_REQUESTS};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        put_table(f, r, order[i], top);
    fputs("<p class=\"none\">Made by lognym. Definitions: docs/stats.md.</p>\n</body></html>\n", f);
    if (ferror(f))
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "writing the HTML report: %s", strerror(errno));
    return 0;
}
