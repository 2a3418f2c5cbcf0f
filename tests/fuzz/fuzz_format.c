/* fuzz_format.c: libFuzzer target for the format compiler (Apache LogFormat
 * and nginx log_format strings), then the parser run with what it compiled.
 * Input: byte 0 picks the dialect (even: Apache, odd: nginx); the format
 * string runs to the first NUL; the bytes after it are a line to parse.
 * Checks: a compiled format keeps the compiler's promises (1..LGN_MAX_FIELDS
 * fields, no two fields side by side, literals non-empty); a refused one has
 * a message naming its column; parsing stays inside the line. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "logfmt.h"
#include "parse.h"

#include "fuzz.h"

static void fail(const char *why, const char *spec, size_t n)
{
    fprintf(stderr, "fuzz_format: %s\n", why);
    fz_dump("format", spec, n);
    abort();
}

static void check_format(const struct lgn_format *f, const char *spec, size_t n)
{
    size_t fields = 0;
    for (size_t i = 0; i < f->n_ops; i++) {
        const struct lgn_op *op = &f->ops[i];
        if (op->is_field) {
            fields++;
            if (i > 0 && f->ops[i - 1].is_field)
                fail("two fields side by side", spec, n);
            if (memchr(op->name, '\0', sizeof op->name) == NULL)
                fail("field name not terminated", spec, n);
        } else if (op->lit == NULL || op->lit_len == 0) {
            fail("empty literal", spec, n);
        }
    }
    if (fields != f->n_fields || fields == 0 || fields > LGN_MAX_FIELDS)
        fail("field count", spec, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool nginx = data[0] & 1;
    const char *rest = (const char *)data + 1;
    size_t n = size - 1;
    const char *nul = memchr(rest, '\0', n);
    size_t spec_len = nul ? (size_t)(nul - rest) : n;
    char *spec = malloc(spec_len + 1);
    if (spec == NULL)
        return 0;
    memcpy(spec, rest, spec_len);
    spec[spec_len] = '\0';

    struct lgn_err err = {0};
    struct lgn_format *f =
        nginx ? lgn_format_nginx("fuzz", spec, &err) : lgn_format_apache("fuzz", spec, &err);
    if (f == NULL) {
        if (err.msg[0] == '\0' || (err.exit_code == LGN_EXIT_USAGE && !strstr(err.msg, "column")))
            fail(err.msg[0] ? "error message without a column" : "refused without a message",
                 spec, spec_len);
        free(spec);
        return 0;
    }
    check_format(f, spec, spec_len);

    /* The line after the NUL (a copy, so reads past it are caught). */
    size_t line_len = nul ? n - spec_len - 1 : 0;
    char *line = malloc(line_len + 1);
    if (line != NULL) {
        memcpy(line, nul ? nul + 1 : "", line_len);
        struct lgn_slice fields[LGN_MAX_FIELDS];
        if (lgn_parse(f, line, line_len, fields)) {
            const char *prev = line;
            for (size_t i = 0; i < f->n_fields; i++) {
                if (fields[i].p < prev || fields[i].p + fields[i].len > line + line_len)
                    fail("parsed field outside the line or out of order", spec, spec_len);
                prev = fields[i].p + fields[i].len;
            }
        }
        size_t used = lgn_parse_prefix(f, line, line_len, fields);
        if (used > line_len)
            fail("lgn_parse_prefix went past the line", spec, spec_len);
        free(line);
    }
    lgn_format_free(f);
    free(spec);
    return 0;
}
