/* summary.h: what a run did: line counts and bad lines by kind, with line
 * numbers (never their content), printed at exit. */
#ifndef LGN_SUMMARY_H
#define LGN_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

enum lgn_bad_kind {
    LGN_BAD_NO_MATCH, /* matched no format */
    LGN_BAD_NUL,      /* held NUL bytes */
    LGN_BAD_TOO_LONG, /* longer than 1 MiB: dropped */
    LGN_BAD_KINDS
};

enum lgn_note_kind {
    LGN_NOTE_CRLF,         /* ended in CR LF (kept) */
    LGN_NOTE_INVALID_UTF8, /* held invalid UTF-8 (kept as bytes) */
    LGN_NOTE_NO_NEWLINE,   /* last line had no newline (kept without one) */
    LGN_NOTE_KINDS
};

#define LGN_SUMMARY_LINENOS 5

struct lgn_summary {
    unsigned long long lines, written, anonymised, scrubbed;
    unsigned long long hits;        /* lognym stats: hits counted in the report */
    unsigned long long found_kinds; /* lognym audit: kinds of personal data found */
    unsigned long long bad[LGN_BAD_KINDS];
    uint64_t bad_lines[LGN_BAD_KINDS][LGN_SUMMARY_LINENOS];
    char bad_files[LGN_BAD_KINDS][LGN_SUMMARY_LINENOS][128]; /* input of each (may be cut) */
    unsigned long long notes[LGN_NOTE_KINDS];
    uint64_t note_lines[LGN_NOTE_KINDS][LGN_SUMMARY_LINENOS];
    unsigned long long unreadable_inputs;
};

void lgn_summary_bad(struct lgn_summary *s, enum lgn_bad_kind k, uint64_t lineno, const char *file);
void lgn_summary_note(struct lgn_summary *s, enum lgn_note_kind k, uint64_t lineno);
/* Adds the counts of a later part of the input (a batch run on a worker
 * thread); line numbers stay in input order when parts are added in order. */
void lgn_summary_add(struct lgn_summary *to, const struct lgn_summary *from);
unsigned long long lgn_summary_bad_total(const struct lgn_summary *s);

/* "lognym: 1000 lines, 998 written, 1000 addresses anonymised, 12 values
 * scrubbed, 2 bad lines"
 * followed by one line per kind of bad line or note. bad_action says what
 * happened to bad lines ("scrubbed", "dropped"). */
void lgn_summary_print(FILE *f, const struct lgn_summary *s, const char *bad_action);
/* The summary of lognym stats, which writes no log:
 * "lognym: 1000 lines read, 998 hits counted, 2 bad lines" and the kinds. */
void lgn_summary_print_stats(FILE *f, const struct lgn_summary *s);

#endif
