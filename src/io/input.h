/* input.h: line reader over files, stdin and gzip (detected by magic bytes, multi-member). */
#ifndef LGN_INPUT_H
#define LGN_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Lines longer than this are reported, never cut or passed through. */
#define LGN_LINE_MAX (1024 * 1024)

struct lgn_input;

struct lgn_line {
    const char *p;    /* line bytes without '\n'; NULL when too_long */
    size_t len;       /* length without '\n' (the full length when too_long) */
    uint64_t lineno;  /* 1-based */
    bool had_newline; /* false for a last line without '\n' */
    bool too_long;    /* longer than LGN_LINE_MAX: bytes were skipped, not returned */
};

struct lgn_input_opts {
    /* Called before a read(2) that would wait for a writer (a pipe or socket
     * with nothing ready), e.g. to flush output so a piped logger loses
     * nothing while it waits. May be NULL. */
    void (*before_read)(void *ctx);
    void *ctx;
};

/* path "-" means stdin. gzip is detected by its magic bytes, not the name.
 * bzip2, xz and zstd magic bytes are refused with a clear message. */
struct lgn_input *lgn_input_open(const char *path, const struct lgn_input_opts *opts,
                                 struct lgn_err *err);

/* Returns 1 with *line filled (valid until the next call), 0 at end of input
 * (or when a stop signal interrupted a read), -1 on error (LGN_EXIT_INPUT;
 * message names the file and, for gzip, the compressed offset). Lines before
 * an error have all been returned. */
int lgn_input_next(struct lgn_input *in, struct lgn_line *line, struct lgn_err *err);

const char *lgn_input_name(const struct lgn_input *in); /* "-" shown as "(stdin)" */
int64_t lgn_input_size(const struct lgn_input *in);     /* -1 when unknown (pipe) */
uint64_t lgn_input_offset(const struct lgn_input *in);  /* raw bytes consumed so far */
void lgn_input_close(struct lgn_input *in);             /* accepts NULL */

#endif
