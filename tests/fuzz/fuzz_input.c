/* fuzz_input.c: libFuzzer target for the input reader: plain and gzip files
 * (multi-member, truncated, corrupt, padded), line splitting, the 1 MiB bound.
 * Input: byte 0 holds flags, byte 1 a parameter, the rest is the payload:
 *   flags & 1: gzip the payload here first (a valid stream; & 2: as two
 *              members split at byte 1 * 4; & 4: then cut the stream short at
 *              byte 1 * 8 from its end);
 *   flags & 8 and & 16 both: repeat the payload past 1 MiB (a too-long line).
 * Checks: every line is returned once, in order, without '\n'; a line over
 * LGN_LINE_MAX is reported, not returned; input that is read to its end
 * comes back byte for byte; an error names the file. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "err.h"
#include "input.h"

#include "fuzz.h"

static struct memfile file;

static void fail(const char *why, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_input: %s\n", why);
    fz_dump("input", (const char *)data, size);
    abort();
}

/* gzip (one member) of [p, p+n) appended to *out. */
static void gzip_append(const uint8_t *p, size_t n, uint8_t **out, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = deflateBound(&zs, (uLong)n) + 32;
    uint8_t *buf = realloc(*out, *out_len + cap);
    if (buf == NULL)
        abort();
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    zs.next_out = buf + *out_len;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        abort();
    *out_len += cap - zs.avail_out;
    *out = buf;
    deflateEnd(&zs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (file.path[0] == '\0')
        memfile_open(&file, "fuzz_input.log");
    if (size < 2)
        return 0;
    unsigned flags = data[0], param = data[1];
    const uint8_t *payload = data + 2;
    size_t n = size - 2;

    /* The text the reader should give back (NULL: unknown, e.g. raw gzip). */
    uint8_t *text = NULL;
    size_t text_len = 0;
    if ((flags & 24) == 24) {
        size_t reps = n ? ((size_t)LGN_LINE_MAX + 2) / n + 1 : 0;
        text = malloc(reps * n + 1);
        if (text == NULL)
            return 0;
        for (size_t i = 0; i < reps; i++)
            memcpy(text + i * n, payload, n);
        text_len = reps * n;
    } else {
        text = malloc(n + 1);
        if (text == NULL)
            return 0;
        memcpy(text, payload, n);
        text_len = n;
    }

    uint8_t *file_data = NULL;
    size_t file_len = 0;
    bool cut = false;
    if (flags & 1) {
        size_t split = (flags & 2) ? (size_t)param * 4 : text_len;
        if (split > text_len)
            split = text_len;
        gzip_append(text, split, &file_data, &file_len);
        if (flags & 2)
            gzip_append(text + split, text_len - split, &file_data, &file_len);
        if ((flags & 4) && (size_t)param * 8 < file_len && param > 0) {
            file_len -= (size_t)param * 8;
            cut = true;
        }
    } else {
        file_data = malloc(text_len + 1);
        if (file_data == NULL)
            abort();
        memcpy(file_data, text, text_len);
        file_len = text_len;
    }
    memfile_set(&file, file_data, file_len);
    free(file_data);

    struct lgn_err err = {0};
    struct lgn_input *in = lgn_input_open(file.path, NULL, &err);
    if (in == NULL) {
        if (strstr(err.msg, file.path) == NULL)
            fail("open error does not name the file", data, size);
        free(text);
        return 0;
    }
    struct lgn_line line;
    size_t pos = 0; /* bytes of text accounted for */
    bool matches = true, saw_last = false;
    uint64_t lineno = 0;
    int rc;
    while ((rc = lgn_input_next(in, &line, &err)) == 1) {
        if (line.lineno != ++lineno)
            fail("line numbers out of order", data, size);
        if (saw_last)
            fail("a line after one without a newline", data, size);
        if (!line.had_newline)
            saw_last = true;
        if (line.too_long) {
            if (line.p != NULL || line.len <= LGN_LINE_MAX)
                fail("too_long line with bytes or short length", data, size);
        } else {
            if (line.p == NULL || line.len > LGN_LINE_MAX)
                fail("line over LGN_LINE_MAX returned", data, size);
            if (memchr(line.p, '\n', line.len) != NULL)
                fail("line holds a newline", data, size);
            if (matches && (pos + line.len > text_len || memcmp(text + pos, line.p, line.len) != 0))
                matches = false;
        }
        pos += line.len + (line.had_newline ? 1 : 0);
        if (matches && line.had_newline && (pos > text_len || text[pos - 1] != '\n'))
            matches = false;
    }
    if (rc == -1 && strstr(err.msg, file.path) == NULL)
        fail("read error does not name the file", data, size);
    /* Read to the end without an error: the lines are the text, byte for byte
     * (for plain input that is not refused as another format; gzip made here). */
    bool plain = !(flags & 1) && !(text_len >= 2 && text[0] == 0x1f && text[1] == 0x8b);
    if (rc == 0 && (plain || ((flags & 1) && !cut)) && (!matches || pos != text_len))
        fail("lines read differ from the input", data, size);
    if ((flags & 1) && !cut && rc != 0)
        fail("a valid gzip stream was refused", data, size);
    lgn_input_close(in);
    free(text);
    return 0;
}
