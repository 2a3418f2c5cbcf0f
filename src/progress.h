/* progress.h: a one-line progress display on stderr (bytes, lines/s, ETA)
 * for long runs on files of known size; erased when done. */
#ifndef LGN_PROGRESS_H
#define LGN_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct lgn_progress {
    FILE *out;
    bool shown;
    double start, last; /* monotonic seconds */
};

void lgn_progress_start(struct lgn_progress *p, FILE *out);
/* Redraws at most a few times per second. total < 0: size unknown (no ETA). */
void lgn_progress_update(struct lgn_progress *p, const char *name, uint64_t done, int64_t total,
                         unsigned long long lines);
/* Erases the line if one was drawn. */
void lgn_progress_clear(struct lgn_progress *p);

#endif
