/* record.c: per-line arena, field values and re-emission of a rewritten line. */
#include "record.h"

#include <stdlib.h>
#include <string.h>

void lgn_record_reset(struct lgn_record *r, const struct lgn_format *fmt, const char *line,
                      size_t len)
{
    r->fmt = fmt;
    r->line = line;
    r->len = len;
    r->arena.len = 0;
    r->freetext = 0;
    if (fmt != NULL)
        memset(r->out, 0, fmt->n_fields * sizeof r->out[0]);
    r->in[LGN_REC_HEAD] = (struct lgn_slice){line, 0};
    r->in[LGN_REC_TAIL] = (struct lgn_slice){line + len, 0};
    r->out[LGN_REC_HEAD].dirty = r->out[LGN_REC_TAIL].dirty = false;
}

void lgn_record_free(struct lgn_record *r)
{
    if (r == NULL)
        return;
    free(r->arena.buf);
    r->arena.buf = NULL;
    r->arena.len = r->arena.cap = 0;
}

int lgn_arena_put(struct lgn_arena *a, const char *p, size_t n)
{
    if (n == 0)
        return 0; /* also: memcpy to a still-NULL buffer is undefined */
    if (a->cap - a->len < n) {
        size_t cap = a->cap ? a->cap : 4096;
        while (cap - a->len < n)
            cap *= 2;
        char *buf = realloc(a->buf, cap);
        if (buf == NULL)
            return -1;
        a->buf = buf;
        a->cap = cap;
    }
    memcpy(a->buf + a->len, p, n);
    a->len += n;
    return 0;
}

void lgn_record_set_from(struct lgn_record *r, size_t i, size_t off)
{
    r->out[i].dirty = true;
    r->out[i].off = off;
    r->out[i].len = r->arena.len - off;
}

struct lgn_slice lgn_record_value(const struct lgn_record *r, size_t i)
{
    if (r->out[i].dirty)
        return (struct lgn_slice){r->arena.buf + r->out[i].off, r->out[i].len};
    return r->in[i];
}

int lgn_record_emit(const struct lgn_record *r, struct lgn_output *out, struct lgn_err *err)
{
    const char *done = r->line; /* bytes before this are written */
    size_t nf = r->fmt ? r->fmt->n_fields : 0;
    for (size_t k = 0; k < nf + 2; k++) { /* in line order: head, fields, tail */
        size_t i = k == 0 ? LGN_REC_HEAD : k == nf + 1 ? LGN_REC_TAIL : k - 1;
        if (!r->out[i].dirty)
            continue;
        if (lgn_output_write(out, done, (size_t)(r->in[i].p - done), err) != 0 ||
            lgn_output_write(out, r->arena.buf + r->out[i].off, r->out[i].len, err) != 0)
            return -1;
        done = r->in[i].p + r->in[i].len;
    }
    return lgn_output_write(out, done, (size_t)(r->line + r->len - done), err);
}
