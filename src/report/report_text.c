/* report_text.c: the report as a terminal summary: 80 columns (or the
 * terminal's width when wider), figures for reading, control bytes in keys
 * made harmless, long paths shortened in the middle. */
#define _DEFAULT_SOURCE /* TIOCGWINSZ */
#include "report_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "utf8.h"

#define MIN_WIDTH 80
#define MAX_WIDTH 240
#define MAX_COLS 10
#define MIN_KEY 16 /* columns are dropped from the right before a key gets narrower */

/* The width to fit: 80, or the terminal's when f is a wider terminal. */
static int text_width(FILE *f)
{
    struct winsize ws;
    int fd = fileno(f);
    if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > MIN_WIDTH)
        return ws.ws_col < MAX_WIDTH ? ws.ws_col : MAX_WIDTH;
    return MIN_WIDTH;
}

/* s made printable: control bytes, C1 controls and invalid UTF-8 as '?'.
 * Returns its width in characters; out holds the bytes (cap > 4). */
static size_t printable(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s), i = 0, o = 0, w = 0;
    while (i < n && o + 5 < cap) {
        unsigned char c = (unsigned char)s[i];
        size_t k = lgn_utf8_seq(s + i, n - i);
        if (c < 0x20 || c == 0x7f || k == 0 ||
            (k == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0)) {
            out[o++] = '?';
            i += k ? k : 1;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
        w++;
    }
    out[o] = '\0';
    return w;
}

/* Bytes of the character at s[0] (1 for an invalid byte). */
static size_t seq(const char *s, size_t n)
{
    size_t k = lgn_utf8_seq(s, n);
    return k ? k : 1;
}

/* Byte offset of character number ch in the printable string s. */
static size_t char_offset(const char *s, size_t ch)
{
    size_t i = 0;
    for (size_t c = 0; c < ch && s[i] != '\0'; c++)
        i += seq(s + i, strlen(s + i));
    return i;
}

/* Characters in the first n bytes of the printable string s. */
static size_t width_of_n(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i += seq(s + i, n - i))
        w++;
    return w;
}

static size_t width_of(const char *s)
{
    return width_of_n(s, strlen(s));
}

/* s (printable, w characters) shortened to at most width characters in
 * the middle: a path keeps its first segment and its end
 * ("/products/…/reviews"); anything else keeps its head and tail. */
static void shorten(const char *s, size_t w, size_t width, char *out, size_t cap)
{
    if (w <= width) {
        snprintf(out, cap, "%s", s);
        return;
    }
    size_t front = (width + 1) / 2 - 1; /* characters kept before the "…" */
    const char *second = s[0] == '/' ? strchr(s + 1, '/') : NULL;
    if (second != NULL) {
        size_t segw = width_of_n(s, (size_t)(second - s) + 1); /* "/products/" */
        if (segw + 8 <= width)
            front = segw;
    }
    size_t back = width - 1 - front;
    size_t a = char_offset(s, front), b = char_offset(s, w - back), tail = strlen(s + b);
    if (a + 3 + tail >= cap) /* not with the buffers used here */
        a = tail = 0;
    memcpy(out, s, a);
    memcpy(out + a, "\xe2\x80\xa6", 3);
    memcpy(out + a + 3, s + b, tail);
    out[a + 3 + tail] = '\0';
}

static void put_padded(FILE *f, const char *s, size_t w, size_t width, bool right)
{
    for (size_t i = w; right && i < width; i++)
        fputc(' ', f);
    fputs(s, f);
    for (size_t i = w; !right && i < width; i++)
        fputc(' ', f);
}

/* ---- tables ---- */

enum col_kind { C_COUNT, C_BYTES, C_RATE, C_SECONDS };

struct col {
    const char *label;
    enum col_kind kind;
    int val; /* counter index, -1: visitors, -2 - d: derived d */
    size_t width;
};

/* Counters the text leaves to JSON/CSV: parts of a derived column, and
 * details an analyst reads elsewhere. */
static bool text_hides(const struct lgn_table_def *def, const char *name)
{
    if (strcmp(name, "time_on_page_samples") == 0 || strcmp(name, "time_on_page_total_s") == 0 ||
        strcmp(name, "ua_ip_visitors") == 0 || strcmp(name, "bot_hits") == 0)
        return true;
    for (unsigned d = 0; d < def->nderived; d++)
        if (strcmp(name, "bounces") == 0 && strcmp(def->derived[d].name, "bounce_rate") == 0)
            return true;
    return false;
}

static size_t columns(const struct lgn_table_def *def, struct col *c)
{
    size_t n = 0;
    for (unsigned v = 0; v < def->nvals && n < MAX_COLS; v++)
        if (!text_hides(def, def->vals[v]))
            c[n++] =
                (struct col){lgn_report_label(def->vals[v]),
                             strcmp(def->vals[v], "bytes") == 0 ? C_BYTES : C_COUNT, (int)v, 0};
    c[n++] = (struct col){"visitors", C_COUNT, -1, 0};
    for (unsigned d = 0; d < def->nderived && n < MAX_COLS; d++)
        c[n++] =
            (struct col){lgn_report_label(def->derived[d].name),
                         strstr(def->derived[d].name, "rate") ? C_RATE : C_SECONDS, -2 - (int)d, 0};
    return n;
}

static size_t cell(const struct lgn_table_def *def, const struct lgn_report_row *row,
                   const struct col *c, char *out, size_t cap)
{
    if (c->val >= -1) {
        uint64_t x = c->val == -1 ? row->visitors : row->v[c->val];
        if (c->kind == C_BYTES)
            lgn_report_fmt_bytes(x, out, cap);
        else
            lgn_report_fmt_count(x, out, cap);
    } else {
        double x = lgn_report_row_derived(def, row, (unsigned)(-2 - c->val));
        if (c->kind == C_RATE)
            snprintf(out, cap, "%.1f%%", 100 * x);
        else
            lgn_report_fmt_duration(x, out, cap);
    }
    return strlen(out);
}

static const char *const weekdays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                       "Thursday", "Friday", "Saturday", "Sunday"};

/* A row's key as one string: "Chrome 120", "09:00", "(other)". */
static size_t key_text(unsigned ti, const struct lgn_report_table *t, size_t i, char *out,
                       size_t cap)
{
    if (i == t->n)
        return printable(LGN_REPORT_OTHER, out, cap);
    const struct lgn_report_row *row = &t->rows[i];
    char joined[1024];
    int n = lgn_report_key_int(row->key[0]);
    if (ti == LGN_T_HOURS)
        snprintf(joined, sizeof joined, "%02d:00", n);
    else if (ti == LGN_T_WEEKDAYS && n >= 1 && n <= 7)
        snprintf(joined, sizeof joined, "%s", weekdays[n]);
    else if (row->key[1] != NULL && row->key[1][0] != '\0')
        snprintf(joined, sizeof joined, "%s %s", row->key[0], row->key[1]);
    else
        snprintf(joined, sizeof joined, "%s", row->key[0]);
    return printable(joined, out, cap);
}

static void put_table(FILE *f, const struct lgn_report *r, unsigned ti, unsigned top, int width)
{
    const struct lgn_table_def *def = &lgn_table_defs[ti];
    const struct lgn_report_table *t = &r->t[ti];
    fprintf(f, "\n%s\n", def->title);
    if (t->n == 0 && !t->has_other) {
        fputs("  (none)\n", f);
        return;
    }
    struct col c[MAX_COLS];
    size_t nc = columns(def, c);
    size_t shown = def->by_key ? t->n : (t->n < top ? t->n : top);
    const char *head = def->nkeys == 2 ? "family version" : lgn_report_label(def->keys[0]);
    size_t keyw = strlen(head);
    char buf[1024], val[64];
    for (size_t k = 0; k < nc; k++)
        c[k].width = strlen(c[k].label);
    for (size_t i = 0; i <= shown; i++) {
        if (i == shown && !t->has_other)
            break;
        const struct lgn_report_row *row = i == shown ? &t->other : &t->rows[i];
        size_t kw = key_text(ti, t, i == shown ? t->n : i, buf, sizeof buf);
        keyw = kw > keyw ? kw : keyw;
        for (size_t k = 0; k < nc; k++) {
            size_t w = cell(def, row, &c[k], val, sizeof val);
            c[k].width = w > c[k].width ? w : c[k].width;
        }
    }
    /* Fit the width: the key gets what the figures leave, at least MIN_KEY. */
    size_t figures = 0;
    for (size_t k = 0; k < nc; k++)
        figures += 2 + c[k].width;
    while (nc > 1 && 2 + MIN_KEY + figures > (size_t)width)
        figures -= 2 + c[--nc].width;
    size_t room = (size_t)width - 2 - figures;
    if (keyw > room)
        keyw = room;
    fputs("  ", f);
    put_padded(f, head, strlen(head), keyw, false);
    for (size_t k = 0; k < nc; k++) {
        fputs("  ", f);
        put_padded(f, c[k].label, strlen(c[k].label), c[k].width, true);
    }
    fputc('\n', f);
    for (size_t i = 0; i <= shown; i++) {
        if (i == shown && !t->has_other)
            break;
        const struct lgn_report_row *row = i == shown ? &t->other : &t->rows[i];
        char shortened[1024];
        size_t kw = key_text(ti, t, i == shown ? t->n : i, buf, sizeof buf);
        shorten(buf, kw, keyw, shortened, sizeof shortened);
        fputs("  ", f);
        put_padded(f, shortened, width_of(shortened), keyw, false);
        for (size_t k = 0; k < nc; k++) {
            size_t w = cell(def, row, &c[k], val, sizeof val);
            fputs("  ", f);
            put_padded(f, val, w, c[k].width, true);
        }
        fputc('\n', f);
    }
    if (t->n > shown)
        fprintf(f, "  ... %zu more rows (--json, --csv or --html for all)\n", t->n - shown);
}

/* ---- the whole report ---- */

static void put_line(FILE *f, const char *label, const char *value)
{
    fprintf(f, "  %-19s %s\n", label, value);
}

int lgn_report_write_text(const struct lgn_report *r, FILE *f, unsigned top, struct lgn_err *err)
{
    if (top == 0)
        top = 10;
    int width = text_width(f);
    const uint64_t *s = r->sum;
    fputs("lognym statistics", f);
    if (r->inputs > 1)
        fprintf(f, ", %u reports merged", r->inputs);
    fputc('\n', f);
    if (r->has_time) {
        char a[32], b[32];
        lgn_report_local_time(r->first_time, r->first_tz, a);
        lgn_report_local_time(r->last_time, r->last_tz, b);
        fprintf(f, "Period: %.10s %.5s to %.10s %.5s (UTC%s, the log's own time)\n", a, a + 11, b,
                b + 11, a + 19);
    }
    fprintf(f, "Rows with fewer than %u distinct visitors are folded into \"%s\".\n",
            r->min_visitors, LGN_REPORT_OTHER);
    fprintf(f, "\nSummary\n");
    char x[64], y[64], line[200];
    lgn_report_fmt_count(s[LGN_S_HITS], x, sizeof x);
    lgn_report_fmt_count(s[LGN_S_BOT_HITS], y, sizeof y);
    snprintf(line, sizeof line, "%s (bots: %s)", x, y);
    put_line(f, "hits", line);
    lgn_report_fmt_count(s[LGN_S_PAGE_VIEWS], x, sizeof x);
    put_line(f, "page views", x);
    lgn_report_fmt_count(s[LGN_S_VISITS], x, sizeof x);
    put_line(f, "visits", x);
    lgn_report_fmt_count(r->visitors, x, sizeof x);
    snprintf(line, sizeof line, "%s%s", x, r->visitors_estimated ? " (estimated)" : "");
    put_line(f, "unique visitors", line);
    snprintf(line, sizeof line, "%.1f%%", 100 * lgn_report_summary(r, LGN_SD_BOUNCE_RATE));
    put_line(f, "bounce rate", line);
    snprintf(line, sizeof line, "%.2f", lgn_report_summary(r, LGN_SD_PAGES_PER_VISIT));
    put_line(f, "pages per visit", line);
    snprintf(line, sizeof line, "%.2f", lgn_report_summary(r, LGN_SD_ACTIONS_PER_VISIT));
    put_line(f, "actions per visit", line);
    lgn_report_fmt_duration(lgn_report_summary(r, LGN_SD_AVG_TOP), x, sizeof x);
    lgn_report_fmt_duration(lgn_report_summary(r, LGN_SD_MEDIAN_TOP), y, sizeof y);
    snprintf(line, sizeof line, "mean %s, median %s", x, y);
    put_line(f, "time on page", line);
    lgn_report_fmt_count(s[LGN_S_TOP_N], x, sizeof x);
    lgn_report_fmt_count(s[LGN_S_EXITS], y, sizeof y);
    snprintf(line, sizeof line, "(from %s page views; %s exit views left out)", x, y);
    put_line(f, "", line);
    lgn_report_fmt_duration(lgn_report_summary(r, LGN_SD_AVG_DURATION), x, sizeof x);
    snprintf(line, sizeof line, "mean %s", x);
    put_line(f, "visit duration", line);
    lgn_report_fmt_bytes(s[LGN_S_BYTES], x, sizeof x);
    lgn_report_fmt_bytes(s[LGN_S_BOT_BYTES], y, sizeof y);
    snprintf(line, sizeof line, "%s (to bots: %s)", x, y);
    put_line(f, "bytes sent", line);
    if (r->geo_db != NULL) {
        snprintf(line, sizeof line, "%s", r->geo_db);
        put_line(f, "countries from", line);
    }
    static const unsigned order[] = {
        LGN_T_DAYS,      LGN_T_PAGES,     LGN_T_ENTRY_PAGES,    LGN_T_EXIT_PAGES, LGN_T_NOT_FOUND,
        LGN_T_REFERRERS, LGN_T_CAMPAIGNS, LGN_T_COUNTRIES,      LGN_T_DEVICES,    LGN_T_OS,
        LGN_T_BROWSERS,  LGN_T_STATUS,    LGN_T_STATUS_CLASSES, LGN_T_BOTS,       LGN_T_HOURS,
        LGN_T_WEEKDAYS,  LGN_T_REQUESTS};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        put_table(f, r, order[i], top, width);
    /* flushed here: stdout's buffer would otherwise meet a full disk or a
     * closed pipe only at exit, when the exit code is already 0 */
    if (fflush(f) != 0 || ferror(f))
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "writing the report: %s", strerror(errno));
    return 0;
}
