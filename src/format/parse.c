/* parse.c: matches a line against a compiled format, field by field, without backtracking. */
#include "parse.h"

#include <string.h>

/* End of a quoted field: the first '"' not escaped by a backslash (Apache
 * writes \" and \\ inside quotes; nginx writes \x22). */
static const char *quoted_end(const char *p, const char *end)
{
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (q == NULL)
            return NULL;
        /* An odd number of backslashes before the quote escapes it. */
        const char *b = q;
        while (b > p && b[-1] == '\\')
            b--;
        if ((q - b) % 2 == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/* End of a space-free token that stops at byte c. Fields with `lists` may hold
 * ", " separators (X-Forwarded-For, upstream addresses). */
static const char *token_end(const struct lgn_op *op, const char *p, const char *end, char c)
{
    for (const char *s = p; s < end; s++) {
        if (*s == c) {
            if (c == ' ' && op->lists && s > p && s[-1] == ',')
                continue;
            return s;
        }
        if (*s == ' ' && !(op->lists && s > p && s[-1] == ','))
            return NULL;
    }
    return NULL;
}

static bool all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return n > 0;
}

/* Literals are mostly one to three bytes: a loop beats a call to memcmp. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Cheap checks that let auto-detection tell formats apart. */
static bool valid(const struct lgn_op *op, const char *p, size_t n)
{
    switch (op->kind) {
    case LGN_K_STATUS:
        return n == 3 && all_digits(p, 3);
    case LGN_K_NUMBER:
        for (size_t i = 0; i < n; i++) {
            char c = p[i];
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == ',' || c == ' ' ||
                  c == ':'))
                return false;
        }
        return n > 0;
    case LGN_K_PORT:
        return all_digits(p, n) || (n == 1 && p[0] == '-');
    case LGN_K_TIME:
        return n >= 20 && p[2] == '/' && p[6] == '/';
    case LGN_K_ADDR:
    case LGN_K_HOST:
        return n > 0;
    default:
        return true;
    }
}

/* Whether field op i of fmt is cut off from its neighbours by a blank, a
 * quote or a bracket: a loose match may then take any value there without
 * splitting an address between two fields (a ':' would: "%v:%p"). */
static bool fenced(const struct lgn_op *op, const struct lgn_op *prev, const struct lgn_op *next)
{
    (void)op;
    bool before = prev == NULL || strchr(" \"[", prev->lit[prev->lit_len - 1]) != NULL;
    bool after = next == NULL || strchr(" \"]", next->lit[0]) != NULL;
    return before && after;
}

#define MATCH_PREFIX 1u /* the last field may stop at a space */
#define MATCH_LOOSE 2u  /* the values of fenced fields are not checked */

/* Matches the format from the start of the line; returns where the match
 * ended, or NULL. `how`: MATCH_ flags. */
static const char *match(const struct lgn_format *fmt, const char *line, size_t len,
                         struct lgn_slice *fields, unsigned how)
{
    const char *pos = line, *end = line + len;
    size_t nf = 0;
    for (size_t i = 0; i < fmt->n_ops; i++) {
        const struct lgn_op *op = &fmt->ops[i];
        if (!op->is_field) {
            if ((size_t)(end - pos) < op->lit_len || !same_bytes(pos, op->lit, op->lit_len))
                return NULL;
            pos += op->lit_len;
            continue;
        }
        const struct lgn_op *next = i + 1 < fmt->n_ops ? &fmt->ops[i + 1] : NULL;
        bool next_is_last = next != NULL && i + 2 == fmt->n_ops;
        const char *fend;
        if (next == NULL) {
            fend = end;
            const char *space = memchr(pos, ' ', (size_t)(end - pos));
            while (space != NULL && op->lists && space > pos && space[-1] == ',') /* ", " */
                space = memchr(space + 1, ' ', (size_t)(end - space - 1));
            if (space != NULL && !op->spaces && !op->quoted) {
                if (!(how & MATCH_PREFIX))
                    return NULL;
                fend = space;
            }
        } else if (op->quoted) {
            fend = quoted_end(pos, end);
        } else if (op->spaces && next_is_last) {
            /* The closing literal is anchored at the end of the line. */
            if ((size_t)(end - pos) < next->lit_len)
                return NULL;
            fend = end - next->lit_len;
        } else if (op->spaces) {
            fend = NULL;
            for (const char *s = pos; s < end; s++) {
                s = memchr(s, next->lit[0], (size_t)(end - s));
                if (s == NULL)
                    break;
                if ((size_t)(end - s) >= next->lit_len &&
                    memcmp(s, next->lit, next->lit_len) == 0) {
                    fend = s;
                    break;
                }
            }
        } else {
            fend = token_end(op, pos, end, next->lit[0]);
        }
        if (fend == NULL || (!valid(op, pos, (size_t)(fend - pos)) &&
                             !((how & MATCH_LOOSE) && fenced(op, i > 0 ? op - 1 : NULL, next))))
            return NULL;
        fields[nf].p = pos;
        fields[nf].len = (size_t)(fend - pos);
        nf++;
        pos = fend;
    }
    return pos;
}

bool lgn_parse(const struct lgn_format *fmt, const char *line, size_t len, struct lgn_slice *fields)
{
    return match(fmt, line, len, fields, 0) == line + len;
}

bool lgn_parse_loose(const struct lgn_format *fmt, const char *line, size_t len,
                     struct lgn_slice *fields)
{
    return match(fmt, line, len, fields, MATCH_LOOSE) == line + len;
}

size_t lgn_parse_prefix(const struct lgn_format *fmt, const char *line, size_t len,
                        struct lgn_slice *fields)
{
    const char *e = match(fmt, line, len, fields, MATCH_PREFIX);
    if (e == NULL || e == line + len || *e != ' ')
        return 0;
    return (size_t)(e - line);
}
