/* report_html.c: the report as one self-contained HTML page: inline SVG
 * charts, tables with headers in words, no scripts, no outside requests
 * (a CSP says so), laid out for any width from a phone's up. */
#include "report_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define BAR_ROWS 10
#define DETAILS_MAX 1000 /* rows behind <details>; the rest are in JSON and CSV */

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

static void put_count(FILE *f, uint64_t n)
{
    char b[32];
    lgn_report_fmt_count(n, b, sizeof b);
    fputs(b, f);
}

static const char *const weekday_names[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                            "Thursday", "Friday", "Saturday", "Sunday"};

/* A row's key for people: "09:00", "Monday", the key itself. */
static void put_key(FILE *f, unsigned ti, const char *k, size_t max)
{
    int n = lgn_report_key_int(k);
    if (ti == LGN_T_HOURS)
        fprintf(f, "%02d:00", n);
    else if (ti == LGN_T_WEEKDAYS && n >= 1 && n <= 7)
        fputs(weekday_names[n], f);
    else
        esc_cut(f, k, max);
}

/* ---- charts ---- */

struct bar {
    const char *label;
    uint64_t value;
};

/* A horizontal bar chart: label, bar, value and share. */
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
    fprintf(f, "<svg role=\"img\" viewBox=\"0 0 600 %u\">\n", h);
    for (size_t i = 0; i < n; i++) {
        unsigned y = (unsigned)i * 24 + 2;
        double w = 250.0 * (double)b[i].value / (double)max;
        fprintf(f, "<text x=\"0\" y=\"%u\" class=\"lbl\">", y + 16);
        esc_cut(f, b[i].label, 26);
        fprintf(f, "</text><rect x=\"210\" y=\"%u\" width=\"%.1f\" height=\"18\" class=\"bar\"/>",
                y + 2, w < 1 && b[i].value ? 1.0 : w);
        fprintf(f, "<text x=\"%.1f\" y=\"%u\" class=\"val\">", 216 + w, y + 16);
        put_count(f, b[i].value);
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

/* A column chart of two series over labelled slots (hours, weekdays, days):
 * hits as light columns, visits as dark ones in front. Labels every
 * `every` slots so that they never overlap. */
struct slot {
    char label[16];
    uint64_t a, b; /* hits, visits */
};

static void columns(FILE *f, const char *id, const char *title, const char *a_name,
                    const char *b_name, const struct slot *s, size_t n, size_t every)
{
    fprintf(f, "<figure id=\"%s\"><figcaption>%s</figcaption>\n", id, title);
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++) {
        max = s[i].a > max ? s[i].a : max;
        max = s[i].b > max ? s[i].b : max;
    }
    if (n == 0 || max == 0) {
        fputs("<p class=\"none\">no data</p></figure>\n", f);
        return;
    }
    const double W = 600, H = 160, left = 44, bottom = 22;
    double step = (W - left) / (double)n;
    fprintf(f, "<svg role=\"img\" viewBox=\"0 0 %.0f %.0f\">\n", W, H + bottom + 4);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>\n", left, H,
            W, H);
    fputs("<text x=\"0\" y=\"12\" class=\"lbl\">", f);
    put_count(f, max);
    fprintf(f, "</text><text x=\"0\" y=\"%.0f\" class=\"lbl\">0</text>\n", H);
    for (size_t i = 0; i < n; i++) {
        double x = left + (double)i * step, ha = (H - 8) * (double)s[i].a / (double)max,
               hb = (H - 8) * (double)s[i].b / (double)max;
        fprintf(f,
                "<g><title>%s: %llu %s, %llu %s</title>"
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar2\"/>"
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\"/></g>\n",
                s[i].label, (unsigned long long)s[i].a, a_name, (unsigned long long)s[i].b, b_name,
                x + step * 0.1, H - ha, step * 0.8, ha, x + step * 0.25, H - hb, step * 0.5, hb);
        if (i % every == 0)
            fprintf(f,
                    "<text x=\"%.1f\" y=\"%.0f\" class=\"lbl\" text-anchor=\"middle\">%s</text>\n",
                    x + step / 2, H + 16, s[i].label);
    }
    fprintf(f,
            "</svg><p class=\"legend\"><span class=\"sw2\"></span>%s "
            "<span class=\"sw\"></span>%s</p></figure>\n",
            a_name, b_name);
}

/* Hits and visits by hour of the day (all 24 hours, the log's own time). */
static void hour_chart(FILE *f, const struct lgn_report *r, const char *title)
{
    struct slot s[24];
    memset(s, 0, sizeof s);
    for (int h = 0; h < 24; h++)
        snprintf(s[h].label, sizeof s[h].label, "%02d", h);
    const struct lgn_report_table *t = &r->t[LGN_T_HOURS];
    for (size_t i = 0; i < t->n; i++) {
        int h = lgn_report_key_int(t->rows[i].key[0]);
        if (h >= 0 && h < 24)
            s[h].a = t->rows[i].v[0], s[h].b = t->rows[i].v[3];
    }
    columns(f, "chart-hours", title, "hits", "visits", s, 24, 3);
}

static void weekday_chart(FILE *f, const struct lgn_report *r)
{
    struct slot s[7];
    memset(s, 0, sizeof s);
    for (int d = 0; d < 7; d++)
        snprintf(s[d].label, sizeof s[d].label, "%.3s", weekday_names[d + 1]);
    const struct lgn_report_table *t = &r->t[LGN_T_WEEKDAYS];
    for (size_t i = 0; i < t->n; i++) {
        int d = lgn_report_key_int(t->rows[i].key[0]);
        if (d >= 1 && d <= 7)
            s[d - 1].a = t->rows[i].v[0], s[d - 1].b = t->rows[i].v[3];
    }
    columns(f, "chart-weekdays", "Hits and visits by day of the week", "hits", "visits", s, 7, 1);
}

/* Visits by day; a log of one day is drawn by hour instead of one column. */
static void day_chart(FILE *f, const struct lgn_report *r)
{
    const struct lgn_report_table *t = &r->t[LGN_T_DAYS];
    if (t->n <= 1) {
        hour_chart(f, r, "Hits and visits by hour (one day)");
        return;
    }
    struct slot *s = calloc(t->n, sizeof *s);
    if (s == NULL)
        return;
    for (size_t i = 0; i < t->n; i++) {
        snprintf(s[i].label, sizeof s[i].label, "%.5s", t->rows[i].key[0] + 5); /* MM-DD */
        s[i].a = t->rows[i].v[0];
        s[i].b = t->rows[i].v[4];
    }
    columns(f, "chart-days", "Hits and visits by day", "hits", "visits", s, t->n,
            t->n <= 8 ? 1 : (t->n + 7) / 8);
    free(s);
}

/* ---- tables ---- */

/* Exit rate of a page: its exits over its page views (the pages table). */
static double exit_rate(const struct lgn_report *r, const struct lgn_report_row *exit, bool other)
{
    const struct lgn_report_table *p = &r->t[LGN_T_PAGES];
    const struct lgn_report_row *views = other && p->has_other ? &p->other : NULL;
    for (size_t i = 0; !other && i < p->n && views == NULL; i++)
        if (strcmp(p->rows[i].key[0], exit->key[0]) == 0)
            views = &p->rows[i];
    return views == NULL || views->v[0] == 0 ? -1 : (double)exit->v[0] / (double)views->v[0];
}

static void put_head(FILE *f, const struct lgn_table_def *def, unsigned ti)
{
    fputs("<thead><tr>", f);
    for (unsigned k = 0; k < def->nkeys; k++)
        fprintf(f, "<th>%s</th>", lgn_report_label(def->keys[k]));
    for (unsigned c = 0; c < def->nvals; c++)
        if (strcmp(def->vals[c], "time_on_page_samples") != 0 &&
            strcmp(def->vals[c], "time_on_page_total_s") != 0)
            fprintf(f, "<th class=\"n\">%s</th>", lgn_report_label(def->vals[c]));
    fputs("<th class=\"n\">visitors</th>", f);
    for (unsigned d = 0; d < def->nderived; d++)
        fprintf(f, "<th class=\"n\">%s</th>", lgn_report_label(def->derived[d].name));
    if (ti == LGN_T_EXIT_PAGES)
        fputs("<th class=\"n\">exit rate</th>", f);
    fputs("</tr></thead>\n", f);
}

static void put_row(FILE *f, const struct lgn_report *r, unsigned ti,
                    const struct lgn_report_row *row, bool other)
{
    const struct lgn_table_def *def = &lgn_table_defs[ti];
    fputs(other ? "<tr class=\"other\">" : "<tr>", f);
    for (unsigned k = 0; k < def->nkeys; k++) {
        fputs("<td class=\"k\">", f);
        if (other)
            fputs(k == 0 ? LGN_REPORT_OTHER : "", f);
        else
            put_key(f, ti, row->key[k] ? row->key[k] : "", 200);
        fputs("</td>", f);
    }
    char b[64];
    for (unsigned c = 0; c < def->nvals; c++) {
        if (strcmp(def->vals[c], "time_on_page_samples") == 0 ||
            strcmp(def->vals[c], "time_on_page_total_s") == 0)
            continue;
        if (strcmp(def->vals[c], "bytes") == 0)
            lgn_report_fmt_bytes(row->v[c], b, sizeof b);
        else
            lgn_report_fmt_count(row->v[c], b, sizeof b);
        fprintf(f, "<td class=\"n\">%s</td>", b);
    }
    lgn_report_fmt_count(row->visitors, b, sizeof b);
    if (row->estimated)
        fprintf(f, "<td class=\"n est\" title=\"estimated\">&asymp;%s</td>", b);
    else
        fprintf(f, "<td class=\"n\">%s</td>", b);
    for (unsigned d = 0; d < def->nderived; d++) {
        double x = lgn_report_row_derived(def, row, d);
        if (strstr(def->derived[d].name, "rate") != NULL)
            snprintf(b, sizeof b, "%.1f%%", 100 * x);
        else
            lgn_report_fmt_duration(x, b, sizeof b);
        fprintf(f, "<td class=\"n\">%s</td>", b);
    }
    if (ti == LGN_T_EXIT_PAGES) {
        double x = exit_rate(r, row, other);
        if (x < 0)
            fputs("<td class=\"n\">&ndash;</td>", f);
        else
            fprintf(f, "<td class=\"n\">%.1f%%</td>", 100 * x);
    }
    fputs("</tr>\n", f);
}

static const char *const table_notes[LGN_T_COUNT] = {
    [LGN_T_ENTRY_PAGES] = "Bounce rate: visits that saw only this page.",
    [LGN_T_EXIT_PAGES] = "Exit rate: visits that ended here, over the page's views.",
    [LGN_T_REFERRERS] = "By the first page view of each visit; (direct): no referrer.",
    [LGN_T_CAMPAIGNS] = "utm_source / utm_medium / utm_campaign of the first page; - if none.",
    [LGN_T_NOT_FOUND] = "Hits answered 404, bots included.",
};

static void put_table(FILE *f, const struct lgn_report *r, unsigned ti, unsigned top)
{
    const struct lgn_table_def *def = &lgn_table_defs[ti];
    const struct lgn_report_table *t = &r->t[ti];
    fprintf(f, "<section id=\"%s\"><h2>%s</h2>\n", def->name, def->title);
    if (table_notes[ti] != NULL)
        fprintf(f, "<p class=\"note\">%s</p>\n", table_notes[ti]);
    if (t->n == 0 && !t->has_other) {
        fputs("<p class=\"none\">no data</p></section>\n", f);
        return;
    }
    size_t shown = def->by_key || t->n <= top + top / 2 ? t->n : top;
    fputs("<div class=\"wrap\"><table>", f);
    put_head(f, def, ti);
    fputs("<tbody>\n", f);
    for (size_t i = 0; i < shown; i++)
        put_row(f, r, ti, &t->rows[i], false);
    if (shown == t->n && t->has_other)
        put_row(f, r, ti, &t->other, true);
    fputs("</tbody></table></div>\n", f);
    if (shown < t->n) { /* the rest, opened on demand */
        size_t end = t->n - shown > DETAILS_MAX ? shown + DETAILS_MAX : t->n;
        fprintf(f, "<details><summary>%zu more rows</summary><div class=\"wrap\"><table>",
                t->n - shown);
        put_head(f, def, ti);
        fputs("<tbody>\n", f);
        for (size_t i = shown; i < end; i++)
            put_row(f, r, ti, &t->rows[i], false);
        if (t->has_other)
            put_row(f, r, ti, &t->other, true);
        fputs("</tbody></table></div>", f);
        if (end < t->n)
            fprintf(f, "<p class=\"none\">%zu more rows in the JSON and CSV reports.</p>",
                    t->n - end);
        fputs("</details>\n", f);
    }
    fputs("</section>\n", f);
}

/* ---- the page ---- */

static void card(FILE *f, const char *name, const char *value, const char *title)
{
    fprintf(f, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\" id=\"", name);
    for (const char *c = name; *c; c++)
        fputc(*c == ' ' ? '-' : *c, f);
    fprintf(f, "\"%s%s%s>%s</div></div>\n", title ? " title=\"" : "", title ? title : "",
            title ? "\"" : "", value);
}

static const char style[] =
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,sans-serif;color:#222;margin:0 auto;padding:1em;"
    "max-width:1600px}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .3em}\n"
    ".meta{color:#555}.note{color:#666;font-size:.9em;margin:.2em 0}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5em,1fr));gap:.6em}\n"
    ".card{border:1px solid #ccd;border-radius:6px;padding:.5em .8em}\n"
    ".card .k{color:#666;font-size:.85em}.card .v{font-size:1.3em;font-weight:600}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30em),1fr));"
    "gap:0 2em}\n"
    "figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}\n"
    "svg{width:100%;height:auto;max-width:720px;display:block}\n"
    "svg .bar{fill:#3b6ea5}svg .bar2{fill:#b7cde6}svg .axis{stroke:#999}\n"
    "svg .lbl,svg .val{font-size:12px;fill:#333}\n"
    ".legend{font-size:.85em;color:#555;margin:.2em 0}.sw,.sw2{display:inline-block;"
    "width:.9em;height:.9em;margin:0 .3em 0 .8em;vertical-align:-.1em}"
    ".sw{background:#3b6ea5}.sw2{background:#b7cde6}\n"
    ".wrap{max-width:100%;overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:.3em 0;width:100%}\n"
    "td,th{padding:.2em .6em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}\n"
    "th{font-weight:600;color:#444;white-space:nowrap}\n"
    "td.k{overflow-wrap:anywhere;word-break:break-word}.n{text-align:right;white-space:nowrap}\n"
    "tr.other td{color:#777;font-style:italic}.none{color:#777}.est{color:#8a5a00}\n"
    "details{margin:.3em 0 1em}summary{cursor:pointer;color:#3b6ea5}\n"
    "@media (max-width:600px){body{padding:.6em;font-size:14px}td,th{padding:.2em .35em}}\n";

int lgn_report_write_html(const struct lgn_report *r, FILE *f, unsigned top, struct lgn_err *err)
{
    if (top == 0)
        top = 25;
    const uint64_t *s = r->sum;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>lognym statistics</title>\n<style>\n%s</style></head><body>\n"
            "<h1>lognym statistics</h1>\n<p class=\"meta\">",
            style);
    if (r->has_time) {
        char a[26], b[26];
        lgn_report_local_time(r->first_time, r->first_tz, a);
        lgn_report_local_time(r->last_time, r->last_tz, b);
        fprintf(f,
                "<span id=\"period\">%.10s %.5s to %.10s %.5s (UTC%s, the log's own time)</span>. ",
                a, a + 11, b, b + 11, a + 19);
    }
    if (r->inputs > 1)
        fprintf(f, "%u reports merged. ", r->inputs);
    fprintf(f,
            "Rows with fewer than <b id=\"k\">%u</b> distinct visitors are folded into "
            "&ldquo;%s&rdquo;. Bots are left out of everything but hits, status codes, "
            "not-found pages and the bot table. &asymp; marks an estimated count.",
            r->min_visitors, LGN_REPORT_OTHER);
    if (r->geo_db != NULL) {
        fputs(" Countries from <span id=\"geodb\">", f);
        esc(f, r->geo_db);
        fputs("</span>.", f);
    }
    fputs("</p>\n<div class=\"cards\" id=\"summary\">\n", f);
    char v[96], w[64];
    lgn_report_fmt_count(s[LGN_S_HITS], v, sizeof v);
    card(f, "hits", v, NULL);
    lgn_report_fmt_count(s[LGN_S_BOT_HITS], v, sizeof v);
    card(f, "bot hits", v, NULL);
    lgn_report_fmt_count(s[LGN_S_PAGE_VIEWS], v, sizeof v);
    card(f, "page views", v, NULL);
    lgn_report_fmt_count(s[LGN_S_VISITS], v, sizeof v);
    card(f, "visits", v, NULL);
    lgn_report_fmt_count(r->visitors, w, sizeof w);
    snprintf(v, sizeof v, "%s%s", r->visitors_estimated ? "&asymp;" : "", w);
    card(f, "unique visitors", v, r->visitors_estimated ? "estimated" : NULL);
    snprintf(v, sizeof v, "%.1f%%", 100 * lgn_report_summary(r, LGN_SD_BOUNCE_RATE));
    card(f, "bounce rate", v, NULL);
    snprintf(v, sizeof v, "%.2f", lgn_report_summary(r, LGN_SD_PAGES_PER_VISIT));
    card(f, "pages per visit", v, NULL);
    snprintf(v, sizeof v, "%.2f", lgn_report_summary(r, LGN_SD_ACTIONS_PER_VISIT));
    card(f, "actions per visit", v, NULL);
    lgn_report_fmt_duration(lgn_report_summary(r, LGN_SD_AVG_TOP), v, sizeof v);
    card(f, "mean time on page", v, NULL);
    lgn_report_fmt_duration(lgn_report_summary(r, LGN_SD_MEDIAN_TOP), v, sizeof v);
    card(f, "median time on page", v, NULL);
    lgn_report_fmt_duration(lgn_report_summary(r, LGN_SD_AVG_DURATION), v, sizeof v);
    card(f, "mean visit duration", v, NULL);
    lgn_report_fmt_bytes(s[LGN_S_BYTES], v, sizeof v);
    card(f, "bytes sent", v, NULL);
    fputs("</div>\n<div class=\"grid\" id=\"charts\">\n", f);
    day_chart(f, r);
    if (r->t[LGN_T_DAYS].n > 1)
        hour_chart(f, r, "Hits and visits by hour of the day");
    weekday_chart(f, r);
    table_bars(f, r, LGN_T_STATUS_CLASSES, "Status classes (hits)");
    table_bars(f, r, LGN_T_DEVICES, "Device types (visits)");
    family_bars(f, r, LGN_T_OS, "Operating systems (visits)");
    family_bars(f, r, LGN_T_BROWSERS, "Browsers (visits)");
    table_bars(f, r, LGN_T_REFERRERS, "Referrers (visits)");
    table_bars(f, r, LGN_T_COUNTRIES, "Countries (visits)");
    fputs("</div>\n<div class=\"grid\">\n", f);
    static const unsigned order[] = {
        LGN_T_PAGES,     LGN_T_ENTRY_PAGES,    LGN_T_EXIT_PAGES, LGN_T_NOT_FOUND, LGN_T_REFERRERS,
        LGN_T_CAMPAIGNS, LGN_T_COUNTRIES,      LGN_T_DEVICES,    LGN_T_OS,        LGN_T_BROWSERS,
        LGN_T_STATUS,    LGN_T_STATUS_CLASSES, LGN_T_BOTS,       LGN_T_DAYS,      LGN_T_HOURS,
        LGN_T_WEEKDAYS,  LGN_T_REQUESTS};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        put_table(f, r, order[i], top);
    fputs("</div>\n<p class=\"none\">Made by lognym. Definitions: docs/stats.md.</p>\n"
          "</body></html>\n",
          f);
    if (ferror(f))
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "writing the HTML report: %s", strerror(errno));
    return 0;
}
