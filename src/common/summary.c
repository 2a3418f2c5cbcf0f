/* summary.c: counts of lines and bad lines, and the end-of-run report on stderr. */
#include "summary.h"

static void remember(uint64_t *lines, unsigned long long count, uint64_t lineno)
{
    if (count <= LGN_SUMMARY_LINENOS)
        lines[count - 1] = lineno;
}

void lgn_summary_bad(struct lgn_summary *s, enum lgn_bad_kind k, uint64_t lineno, const char *file)
{
    s->bad[k]++;
    if (s->bad[k] <= LGN_SUMMARY_LINENOS)
        snprintf(s->bad_files[k][s->bad[k] - 1], sizeof s->bad_files[k][0], "%s", file);
    remember(s->bad_lines[k], s->bad[k], lineno);
}

void lgn_summary_note(struct lgn_summary *s, enum lgn_note_kind k, uint64_t lineno)
{
    s->notes[k]++;
    remember(s->note_lines[k], s->notes[k], lineno);
}

void lgn_summary_add(struct lgn_summary *to, const struct lgn_summary *from)
{
    to->lines += from->lines;
    to->written += from->written;
    to->anonymised += from->anonymised;
    to->scrubbed += from->scrubbed;
    to->unreadable_inputs += from->unreadable_inputs;
    for (int k = 0; k < LGN_BAD_KINDS; k++) {
        unsigned long long n = from->bad[k],
                           listed = n < LGN_SUMMARY_LINENOS ? n : LGN_SUMMARY_LINENOS;
        for (unsigned long long i = 0; i < listed; i++)
            lgn_summary_bad(to, (enum lgn_bad_kind)k, from->bad_lines[k][i], from->bad_files[k][i]);
        to->bad[k] += n - listed;
    }
    for (int k = 0; k < LGN_NOTE_KINDS; k++) {
        unsigned long long n = from->notes[k],
                           listed = n < LGN_SUMMARY_LINENOS ? n : LGN_SUMMARY_LINENOS;
        for (unsigned long long i = 0; i < listed; i++)
            lgn_summary_note(to, (enum lgn_note_kind)k, from->note_lines[k][i]);
        to->notes[k] += n - listed;
    }
}

unsigned long long lgn_summary_bad_total(const struct lgn_summary *s)
{
    unsigned long long n = 0;
    for (int k = 0; k < LGN_BAD_KINDS; k++)
        n += s->bad[k];
    return n;
}

/* " (lines 3, 7)" or, with files, " (a.log:3, b.log:7)". */
static void print_lines(FILE *f, const uint64_t *lines, char (*files)[128],
                        unsigned long long count)
{
    unsigned long long shown = count < LGN_SUMMARY_LINENOS ? count : LGN_SUMMARY_LINENOS;
    fprintf(f, " (%s", files ? "" : count > 1 ? "lines " : "line ");
    for (unsigned long long i = 0; i < shown; i++)
        if (files)
            fprintf(f, "%s%s:%llu", i ? ", " : "", files[i], (unsigned long long)lines[i]);
        else
            fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)lines[i]);
    fprintf(f, "%s)\n", count > shown ? ", ..." : "");
}

/* One line per kind of bad line or note, with line numbers. */
static void print_kinds(FILE *f, const struct lgn_summary *s, const char *bad_action)
{
    static const char *const bad_text[LGN_BAD_KINDS] = {"matched no log format", "held NUL bytes",
                                                        "were longer than 1 MiB and were dropped"};
    static const char *const note_text[LGN_NOTE_KINDS] = {
        "ended in CR LF (kept)", "held invalid UTF-8 (kept as bytes)",
        "last line had no newline (kept without one)"};
    for (int k = 0; k < LGN_BAD_KINDS; k++) {
        if (s->bad[k] == 0)
            continue;
        fprintf(f, "lognym: %llu line%s %s%s%s", s->bad[k], s->bad[k] > 1 ? "s" : "", bad_text[k],
                k == LGN_BAD_TOO_LONG ? "" : ", ", k == LGN_BAD_TOO_LONG ? "" : bad_action);
        print_lines(f, s->bad_lines[k], (char(*)[128])s->bad_files[k], s->bad[k]);
    }
    for (int k = 0; k < LGN_NOTE_KINDS; k++) {
        if (s->notes[k] == 0)
            continue;
        fprintf(f, "lognym: note: %llu line%s %s", s->notes[k], s->notes[k] > 1 ? "s" : "",
                note_text[k]);
        print_lines(f, s->note_lines[k], NULL, s->notes[k]);
    }
}

void lgn_summary_print(FILE *f, const struct lgn_summary *s, const char *bad_action)
{
    unsigned long long bad = lgn_summary_bad_total(s);
    fprintf(f,
            "lognym: %llu line%s, %llu written, %llu address%s anonymised, %llu value%s "
            "scrubbed, %llu bad line%s\n",
            s->lines, s->lines == 1 ? "" : "s", s->written, s->anonymised,
            s->anonymised == 1 ? "" : "es", s->scrubbed, s->scrubbed == 1 ? "" : "s", bad,
            bad == 1 ? "" : "s");
    print_kinds(f, s, bad_action);
}

void lgn_summary_print_stats(FILE *f, const struct lgn_summary *s)
{
    unsigned long long bad = lgn_summary_bad_total(s);
    fprintf(f, "lognym: %llu line%s read, %llu hit%s counted, %llu bad line%s\n", s->lines,
            s->lines == 1 ? "" : "s", s->hits, s->hits == 1 ? "" : "s", bad, bad == 1 ? "" : "s");
    print_kinds(f, s, "not counted");
}
