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
    if (s->bad[k] == 1)
        snprintf(s->bad_file[k], sizeof s->bad_file[k], "%s", file); /* may be cut: harmless */
    remember(s->bad_lines[k], s->bad[k], lineno);
}

void lgn_summary_note(struct lgn_summary *s, enum lgn_note_kind k, uint64_t lineno)
{
    s->notes[k]++;
    remember(s->note_lines[k], s->notes[k], lineno);
}

unsigned long long lgn_summary_bad_total(const struct lgn_summary *s)
{
    unsigned long long n = 0;
    for (int k = 0; k < LGN_BAD_KINDS; k++)
        n += s->bad[k];
    return n;
}

static void print_lines(FILE *f, const uint64_t *lines, unsigned long long count)
{
    unsigned long long shown = count < LGN_SUMMARY_LINENOS ? count : LGN_SUMMARY_LINENOS;
    fprintf(f, " (line%s", count > 1 ? "s" : "");
    for (unsigned long long i = 0; i < shown; i++)
        fprintf(f, "%s %llu", i ? "," : "", (unsigned long long)lines[i]);
    fprintf(f, "%s)\n", count > shown ? ", ..." : "");
}

void lgn_summary_print(FILE *f, const struct lgn_summary *s, const char *bad_action)
{
    static const char *const bad_text[LGN_BAD_KINDS] = {"matched no log format", "held NUL bytes",
                                                        "were longer than 1 MiB and were dropped"};
    static const char *const note_text[LGN_NOTE_KINDS] = {
        "ended in CR LF (kept)", "held invalid UTF-8 (kept as bytes)",
        "last line had no newline (kept without one)"};
    fprintf(f, "lognym: %llu lines, %llu written, %llu addresses anonymised, %llu bad lines\n",
            s->lines, s->written, s->anonymised, lgn_summary_bad_total(s));
    for (int k = 0; k < LGN_BAD_KINDS; k++) {
        if (s->bad[k] == 0)
            continue;
        fprintf(f, "lognym: %s: %llu line%s %s%s%s", s->bad_file[k], s->bad[k],
                s->bad[k] > 1 ? "s" : "", bad_text[k], k == LGN_BAD_TOO_LONG ? "" : ", ",
                k == LGN_BAD_TOO_LONG ? "" : bad_action);
        print_lines(f, s->bad_lines[k], s->bad[k]);
    }
    for (int k = 0; k < LGN_NOTE_KINDS; k++) {
        if (s->notes[k] == 0)
            continue;
        fprintf(f, "lognym: note: %llu line%s %s", s->notes[k], s->notes[k] > 1 ? "s" : "",
                note_text[k]);
        print_lines(f, s->note_lines[k], s->notes[k]);
    }
}
