/* output.h: buffered writer to stdout or a file, plain or gzip; reopen on SIGHUP. */
#ifndef LGN_OUTPUT_H
#define LGN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

struct lgn_output;

struct lgn_output_opts {
    bool gzip;          /* also implied by a path ending in ".gz" */
    bool line_buffered; /* flush after every line; implied when fd is a pipe or tty */
    mode_t mode;        /* for created files; 0 means 0640 */
};

/* path NULL or "-" is stdout. A file is opened for appending (O_APPEND |
 * O_CREAT), so a restarted piped logger never truncates its log. */
struct lgn_output *lgn_output_open(const char *path, const struct lgn_output_opts *opts,
                                   struct lgn_err *err);

int lgn_output_write(struct lgn_output *out, const void *p, size_t len, struct lgn_err *err);
/* Marks the end of a line: flushes when line buffered. */
int lgn_output_end_line(struct lgn_output *out, struct lgn_err *err);
int lgn_output_flush(struct lgn_output *out, struct lgn_err *err);
/* Finishes the current file (gzip trailer included) and opens the path again,
 * for log rotation by rename + SIGHUP. No-op for stdout. */
int lgn_output_reopen(struct lgn_output *out, struct lgn_err *err);
/* An output that collects what is written in memory: a worker thread's
 * share of the log, written to the real output in order by the main thread. */
struct lgn_output *lgn_output_memory(struct lgn_err *err);
/* Hands over everything written to a memory output since the last call: its
 * buffer is swapped with *buf (capacity *cap, may be NULL/0), *len set. */
int lgn_output_memory_swap(struct lgn_output *out, unsigned char **buf, size_t *len, size_t *cap,
                           struct lgn_err *err);
/* True when every line is flushed as it is written (pipes, terminals). */
bool lgn_output_line_buffered(const struct lgn_output *out);
/* Flushes, finishes gzip, fsyncs a regular file, closes; reports any failure. */
int lgn_output_close(struct lgn_output *out, struct lgn_err *err);
/* Frees without reporting (after an error). Accepts NULL. */
void lgn_output_free(struct lgn_output *out);

#endif
