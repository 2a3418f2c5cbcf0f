/* jsonbody.c: a JSON request body as nginx logs it: as it is (escape=none),
 * with escape=json's backslashes, or with the default escape's \xHH. It is
 * decoded with a map back to the raw bytes, so that the JSON-lines walker
 * (jsonline.c) reads it key by key and a rewritten value is written back
 * in the body's own spelling. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The byte an escape at p[i] stands for, and its length in *len (0: no
 * escape of this spelling there). */
static int unescape_at(enum lgn_json_spelling sp, const char *p, size_t i, size_t n, size_t *len)
{
    *len = 0;
    if (p[i] != '\\' || i + 1 >= n)
        return 0;
    char c = p[i + 1];
    if (sp == LGN_JSON_HEX) {
        if (c != 'x' || i + 3 >= n || hex_value(p[i + 2]) < 0 || hex_value(p[i + 3]) < 0)
            return 0;
        *len = 4;
        return hex_value(p[i + 2]) * 16 + hex_value(p[i + 3]);
    }
    if (c == 'u') { /* \u00XX: a byte; other \u escapes stay, as JSON */
        if (i + 5 >= n || p[i + 2] != '0' || p[i + 3] != '0' || hex_value(p[i + 4]) < 0 ||
            hex_value(p[i + 5]) < 0)
            return 0;
        *len = 6;
        return hex_value(p[i + 4]) * 16 + hex_value(p[i + 5]);
    }
    static const char from[] = "\"\\/nrtbf", to[] = "\"\\/\n\r\t\b\f";
    const char *k = c != '\0' ? strchr(from, c) : NULL;
    if (k == NULL)
        return 0;
    *len = 2;
    return (unsigned char)to[k - from];
}

/* Decodes p in spelling sp into b (text and map). Returns 0 or -1. */
static int decode(enum lgn_json_spelling sp, const char *p, size_t n, struct lgn_json_body *b)
{
    b->own = malloc(n ? n : 1);
    b->map = malloc((n + 1) * sizeof *b->map);
    if (b->own == NULL || b->map == NULL)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t len;
        int c = unescape_at(sp, p, i, n, &len);
        if (len == 0) {
            c = (unsigned char)p[i];
            len = 1;
        }
        b->map[m] = i;
        b->own[m++] = (char)c;
        i += len;
    }
    b->map[m] = n;
    b->text = b->own;
    b->len = m;
    b->spelling = sp;
    return 0;
}

void lgn_json_body_free(struct lgn_json_body *b)
{
    free(b->own);
    free(b->map);
    b->own = NULL;
    b->map = NULL;
}

static bool has(const char *p, size_t n, const char *two)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (p[i] == two[0] && p[i + 1] == two[1])
            return true;
    return false;
}

int lgn_json_body_read(const char *p, size_t n, struct lgn_json_body *b, bool *valid)
{
    *b = (struct lgn_json_body){.spelling = LGN_JSON_RAW, .text = p, .len = n};
    if (lgn_json_walk_body(NULL, p, n, NULL, NULL, valid) != 0)
        return -1;
    static const enum lgn_json_spelling escaped[] = {LGN_JSON_HEX, LGN_JSON_ESCAPED};
    static const char *const marks[] = {"\\x", "\\\""};
    for (size_t k = 0; !*valid && k < 2; k++) {
        if (!has(p, n, marks[k]))
            continue;
        if (decode(escaped[k], p, n, b) != 0) {
            lgn_json_body_free(b);
            return -1;
        }
        if (lgn_json_walk_body(NULL, b->text, b->len, NULL, NULL, valid) != 0)
            return -1;
        if (!*valid)
            lgn_json_body_free(b);
    }
    return 0;
}

const char *lgn_json_quote(enum lgn_json_spelling sp)
{
    return sp == LGN_JSON_HEX ? "\\x22" : sp == LGN_JSON_ESCAPED ? "\\\"" : "\"";
}

int lgn_json_spell(enum lgn_json_spelling sp, const char *p, size_t n, struct lgn_arena *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char buf[8];
        size_t m = 0;
        if (sp == LGN_JSON_HEX && (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)) {
            buf[m++] = '\\', buf[m++] = 'x', buf[m++] = hex[c >> 4], buf[m++] = hex[c & 15];
        } else if (sp == LGN_JSON_ESCAPED && (c == '"' || c == '\\')) {
            buf[m++] = '\\', buf[m++] = (char)c;
        } else if (sp == LGN_JSON_ESCAPED && c < 0x20) {
            memcpy(buf, "\\u00", 4);
            m = 4;
            buf[m++] = hex[c >> 4], buf[m++] = hex[c & 15];
        } else {
            buf[m++] = (char)c;
        }
        if (lgn_arena_put(out, buf, m) != 0)
            return -1;
    }
    return 0;
}
