/* parse.c: matches a line against a compiled format, field by field, without backtracking. */
#include "parse.h"

#include <stdint.h>
#include <string.h>

/* The helpers of match(), which runs for every field of every line: kept
 * inline there although lgn_parse_leading calls them too. */
#define HOT __attribute__((always_inline)) static inline

/* End of a quoted field: the first '"' not escaped by a backslash (Apache
 * writes \" and \\ inside quotes; nginx writes \x22). */
HOT const char *quoted_end(const char *p, const char *end)
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

/* Whether the blank at s inside a field starting at p belongs to a list
 * separator: ", " (X-Forwarded-For, upstream addresses) or nginx's " : "
 * between upstream groups ("10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80"). */
static inline bool list_blank(const struct lgn_op *op, const char *p, const char *s,
                              const char *end)
{
    if (!op->lists || s == p)
        return false;
    if (s[-1] == ',')
        return true;
    if (s[-1] == ':')
        return s - p >= 2 && s[-2] == ' ';
    return end - s > 2 && s[1] == ':' && s[2] == ' ';
}

/* End of a space-free token that stops at byte c. Fields with `lists` may hold
 * list separators (list_blank). */
HOT const char *token_end(const struct lgn_op *op, const char *p, const char *end, char c)
{
    for (const char *s = p; s < end; s++) {
        if (*s == c) {
            if (c == ' ' && list_blank(op, p, s, end))
                continue;
            return s;
        }
        if (*s == ' ' && !list_blank(op, p, s, end))
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
HOT bool valid(const struct lgn_op *op, const char *p, size_t n)
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
static bool fenced_before(const struct lgn_op *prev)
{
    return prev == NULL || strchr(" \"[", prev->lit[prev->lit_len - 1]) != NULL;
}

static bool fenced_after(const struct lgn_op *next)
{
    return next == NULL || strchr(" \"]", next->lit[0]) != NULL;
}

static bool fenced(const struct lgn_op *prev, const struct lgn_op *next)
{
    return fenced_before(prev) && fenced_after(next);
}

#define MATCH_PREFIX 1u /* the last field may stop at a space */
#define MATCH_LOOSE 2u  /* the values of fenced fields are not checked */

/* The first place in [p, end) where literal op lit starts, or NULL. */
HOT const char *literal_at(const struct lgn_op *lit, const char *p, const char *end)
{
    for (const char *s = p; s < end; s++) {
        s = memchr(s, lit->lit[0], (size_t)(end - s));
        if (s == NULL)
            break;
        if ((size_t)(end - s) >= lit->lit_len && memcmp(s, lit->lit, lit->lit_len) == 0)
            return s;
    }
    return NULL;
}

/* Where field op, starting at pos, ends (next: the literal after it, NULL
 * at the end of the format), or NULL when it has no end there. */
__attribute__((always_inline)) static inline const char *
field_end(const struct lgn_op *op, const struct lgn_op *next, bool next_is_last, const char *pos,
          const char *end, unsigned how)
{
    const char *fend;
    if (next == NULL) {
        fend = end;
        const char *space = memchr(pos, ' ', (size_t)(end - pos));
        while (space != NULL && list_blank(op, pos, space, end))
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
        fend = literal_at(next, pos, end);
    } else {
        fend = token_end(op, pos, end, next->lit[0]);
    }
    return fend;
}

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
        const char *fend = field_end(op, next, i + 2 == fmt->n_ops, pos, end, how);
        if (fend == NULL || (!valid(op, pos, (size_t)(fend - pos)) &&
                             !((how & MATCH_LOOSE) && fenced(i > 0 ? op - 1 : NULL, next))))
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

/* Whether an address, address list or host field of a bad line has the
 * bytes one can hold (addresses, host names, ports, brackets, ", " between
 * list elements, "-"): only then does it count as lined up. A strict match
 * takes any value there; a bad line's fields must earn their place. */
static bool address_bytes(const struct lgn_op *op, const char *p, size_t n)
{
    if (op->kind != LGN_K_ADDR && op->kind != LGN_K_ADDR_LIST && op->kind != LGN_K_HOST)
        return true;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool ok =
            (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '.' ||
            c == ':' || c == '-' || c == '_' || c == '[' || c == ']' ||
            (op->kind == LGN_K_ADDR_LIST && (c == ',' || (c == ' ' && i > 0 && p[i - 1] == ',')));
        if (!ok)
            return false;
    }
    return n > 0;
}

/* Whether a field from pos runs to the end of the line (a line cut inside
 * it): a quote that never closes, or no blank but a list's. */
static bool runs_to_end(const struct lgn_op *op, const char *pos, const char *end)
{
    if (op->quoted)
        return true;
    for (const char *s = pos; s < end; s++)
        if (*s == ' ' && !list_blank(op, pos, s, end))
            return false;
    return true;
}

/* Fields whose policy replaces a value whole (or name by name, cookie by
 * cookie): a line cut inside one loses nothing by giving it that policy. */
static bool whole_value_policy(const struct lgn_op *op)
{
    enum lgn_kind kind = op->kind;
    return kind == LGN_K_ADDR || kind == LGN_K_ADDR_LIST || kind == LGN_K_USER ||
           kind == LGN_K_IDENT || op->policy == LGN_P_USER || op->policy == LGN_P_COOKIE ||
           op->policy == LGN_P_CREDENTIAL;
}

/* A user or ident field may hold blanks (Apache and nginx write them as
 * they come): it then runs to its closing literal when that is more than a
 * blank (" [" before a time's digit, "\" " before a quoted field), within
 * 256 bytes and crossing no quote. */
static const char *name_end(const struct lgn_op *op, const struct lgn_op *next, const char *pos,
                            const char *end, const char *fend)
{
    if ((op->kind != LGN_K_USER && op->kind != LGN_K_IDENT) || op->quoted || next == NULL ||
        next->lit_len < 2 ||
        (fend != NULL && (size_t)(end - fend) >= next->lit_len &&
         same_bytes(fend, next->lit, next->lit_len)))
        return fend;
    const char *e = literal_at(next, pos, end < pos + 256 ? end : pos + 256);
    if (e == NULL || memchr(pos, '"', (size_t)(e - pos)) != NULL ||
        (next->lit[next->lit_len - 1] == '[' &&
         (e + next->lit_len >= end || e[next->lit_len] < '0' || e[next->lit_len] > '9')))
        return fend; /* not a name with blanks before a time: the line is out of step */
    return e;
}

/* Gives up the last field read (its end is in doubt): returns its start,
 * where the free text then begins. */
static const char *drop_last(struct lgn_slice *fields, size_t *nf, size_t *lined, uint64_t *text,
                             uint64_t *counted)
{
    size_t k = --*nf;
    *lined -= *counted >> k & 1u;
    *text &= ~((uint64_t)1 << k);
    *counted &= ~((uint64_t)1 << k);
    return fields[k].p;
}

size_t lgn_parse_leading(const struct lgn_format *fmt, const char *line, size_t len,
                         struct lgn_slice *fields, struct lgn_leading *lead)
{
    const char *pos = line, *end = line + len, *tail = NULL;
    size_t nf = 0, lined = 0;
    uint64_t text = 0;    /* bit k: field k is free text */
    uint64_t counted = 0; /* bit k: field k has its shape (lined up) */
    bool join = false;    /* the field before was free text glued to this one */
    for (size_t i = 0; i < fmt->n_ops && tail == NULL; i++) {
        const struct lgn_op *op = &fmt->ops[i];
        if (!op->is_field) {
            if ((size_t)(end - pos) >= op->lit_len && same_bytes(pos, op->lit, op->lit_len)) {
                pos += op->lit_len;
                continue;
            }
            if (pos < end && same_bytes(pos, op->lit, (size_t)(end - pos))) {
                tail = pos; /* cut inside the literal: the field before is whole */
                break;
            }
            /* out of step: where the field before ended is not known either */
            tail = i > 0 && nf > 0 ? drop_last(fields, &nf, &lined, &text, &counted) : pos;
            break;
        }
        const struct lgn_op *prev = i > 0 ? op - 1 : NULL,
                            *next = i + 1 < fmt->n_ops ? &fmt->ops[i + 1] : NULL;
        const char *fend = field_end(op, next, i + 2 == fmt->n_ops, pos, end, MATCH_PREFIX);
        fend = name_end(op, next, pos, end, fend);
        if (fend == NULL) { /* cut inside this field, or no end for it */
            if (!join && whole_value_policy(op) && runs_to_end(op, pos, end)) {
                counted |= (uint64_t)1 << nf;
                fields[nf++] = (struct lgn_slice){pos, (size_t)(end - pos)};
                lined++;
                pos = end;
            }
            tail = pos;
            break;
        }
        size_t n = (size_t)(fend - pos);
        /* fenced fields keep their place, and count but for an address
         * field out of shape (a bad line must not make up a client) */
        bool addr_ok = address_bytes(op, pos, n), ok = valid(op, pos, n) || fenced(prev, next);
        if (join || (!ok && !fenced_before(prev) && nf > 0)) {
            /* out of shape where the field before could hold its bytes (an
             * address split at "%v:%p"): the two are free text together */
            lined -= counted >> (nf - 1) & 1u;
            counted &= ~((uint64_t)1 << (nf - 1));
            text |= (uint64_t)1 << (nf - 1);
            fields[nf - 1].len = (size_t)(fend - fields[nf - 1].p);
            text |= (uint64_t)1 << nf; /* an empty place: nothing of its own */
            fields[nf++] = (struct lgn_slice){fend, 0};
        } else {
            fields[nf] = (struct lgn_slice){pos, n};
            if (ok && addr_ok) {
                lined++;
                counted |= (uint64_t)1 << nf;
            } else if (!ok) {
                text |= (uint64_t)1 << nf;
            }
            nf++;
        }
        join = !ok && !fenced_after(next);
        pos = fend;
    }
    if (tail == NULL) /* text after the format starts at a blank, else the last field is in doubt */
        tail = pos != NULL && pos < end && *pos != ' ' && nf > 0
                   ? drop_last(fields, &nf, &lined, &text, &counted)
                   : pos;
    for (size_t k = nf; k < fmt->n_fields; k++)
        fields[k] = (struct lgn_slice){tail, 0};
    lead->freetext = text;
    lead->used = (size_t)(tail - line);
    lead->lined_up = lined;
    return lined;
}
