/* json.c: a small, strict recursive-descent JSON reader (RFC 8259) into a tree. */
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define MAX_DEPTH 128

struct parser {
    const char *s;
    size_t len, pos;
    struct lgn_err *err;
    bool failed;
};

static void fail(struct parser *p, const char *what)
{
    if (p->failed)
        return;
    p->failed = true;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    lgn_err_set(p->err, LGN_EXIT_USAGE, "%zu:%zu: %s", line, col, what);
}

static void skip_ws(struct parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

void lgn_json_free(struct lgn_json *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->n; i++) {
        lgn_json_free(v->items[i]);
        if (v->keys != NULL)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

static struct lgn_json *new_value(struct parser *p, enum lgn_json_type t)
{
    struct lgn_json *v = calloc(1, sizeof *v);
    if (v == NULL)
        fail(p, "out of memory");
    else
        v->type = t;
    return v;
}

static bool literal(struct parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
        p->pos += n;
        return true;
    }
    return false;
}

static int hex4(struct parser *p, unsigned *out)
{
    if (p->len - p->pos < 4) {
        fail(p, "short \\u escape");
        return -1;
    }
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[p->pos++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else {
            fail(p, "bad \\u escape");
            return -1;
        }
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Parses a string at p->pos (the opening quote) into a new buffer. */
static char *parse_string(struct parser *p, size_t *outlen)
{
    p->pos++; /* opening quote */
    size_t start = p->pos;
    /* Decoded text is never longer than the source text. */
    size_t end = start;
    while (end < p->len && p->s[end] != '"') {
        if (p->s[end] == '\\')
            end++;
        end++;
    }
    if (end >= p->len) {
        fail(p, "unterminated string");
        return NULL;
    }
    char *o = malloc(end - start + 1);
    if (o == NULL) {
        fail(p, "out of memory");
        return NULL;
    }
    size_t n = 0;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c < 0x20) {
            fail(p, "control character in string");
            goto bad;
        }
        if (c != '\\') {
            size_t k = lgn_utf8_seq(p->s + p->pos, end - p->pos);
            if (k == 0) {
                fail(p, "invalid UTF-8 in string");
                goto bad;
            }
            memcpy(o + n, p->s + p->pos, k);
            n += k;
            p->pos += k;
            continue;
        }
        p->pos++;
        char e = p->s[p->pos++];
        switch (e) {
        case '"':
        case '\\':
        case '/':
            o[n++] = e;
            break;
        case 'b':
            o[n++] = '\b';
            break;
        case 'f':
            o[n++] = '\f';
            break;
        case 'n':
            o[n++] = '\n';
            break;
        case 'r':
            o[n++] = '\r';
            break;
        case 't':
            o[n++] = '\t';
            break;
        case 'u': {
            unsigned cp;
            if (hex4(p, &cp) != 0)
                goto bad;
            if (cp >= 0xdc00 && cp <= 0xdfff) {
                fail(p, "lone low surrogate");
                goto bad;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo;
                if (p->pos + 2 > end || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
                    fail(p, "lone high surrogate");
                    goto bad;
                }
                p->pos += 2;
                if (hex4(p, &lo) != 0)
                    goto bad;
                if (lo < 0xdc00 || lo > 0xdfff) {
                    fail(p, "bad surrogate pair");
                    goto bad;
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            n += put_utf8(o + n, cp); /* \uXXXX (6 bytes) never decodes to more */
            break;
        }
        default:
            p->pos--;
            fail(p, "bad escape");
            goto bad;
        }
    }
    p->pos = end + 1;
    o[n] = '\0';
    *outlen = n;
    return o;
bad:
    free(o);
    return NULL;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static struct lgn_json *parse_number(struct parser *p)
{
    size_t start = p->pos;
    const char *s = p->s;
    if (p->pos < p->len && s[p->pos] == '-')
        p->pos++;
    if (p->pos < p->len && s[p->pos] == '0') {
        p->pos++;
    } else if (p->pos < p->len && is_digit(s[p->pos])) {
        while (p->pos < p->len && is_digit(s[p->pos]))
            p->pos++;
    } else {
        fail(p, "bad number");
        return NULL;
    }
    if (p->pos < p->len && s[p->pos] == '.') {
        p->pos++;
        if (p->pos >= p->len || !is_digit(s[p->pos])) {
            fail(p, "bad number");
            return NULL;
        }
        while (p->pos < p->len && is_digit(s[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
            p->pos++;
        if (p->pos >= p->len || !is_digit(s[p->pos])) {
            fail(p, "bad number");
            return NULL;
        }
        while (p->pos < p->len && is_digit(s[p->pos]))
            p->pos++;
    }
    struct lgn_json *v = new_value(p, LGN_JSON_NUMBER);
    if (v == NULL)
        return NULL;
    v->len = p->pos - start;
    v->str = malloc(v->len + 1);
    if (v->str == NULL) {
        free(v);
        fail(p, "out of memory");
        return NULL;
    }
    memcpy(v->str, s + start, v->len);
    v->str[v->len] = '\0';
    v->num = strtod(v->str, NULL);
    return v;
}

static int push(struct parser *p, struct lgn_json *c, struct lgn_json *item, char *key, size_t *cap)
{
    if (c->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        struct lgn_json **ni = realloc(c->items, nc * sizeof *ni);
        if (ni == NULL)
            goto oom;
        c->items = ni;
        if (c->type == LGN_JSON_OBJECT) {
            char **nk = realloc(c->keys, nc * sizeof *nk);
            if (nk == NULL)
                goto oom;
            c->keys = nk;
        }
        *cap = nc;
    }
    c->items[c->n] = item;
    if (c->type == LGN_JSON_OBJECT)
        c->keys[c->n] = key;
    c->n++;
    return 0;
oom:
    fail(p, "out of memory");
    return -1;
}

static struct lgn_json *parse_value(struct parser *p, int depth);

static struct lgn_json *parse_container(struct parser *p, int depth, bool object)
{
    if (depth >= MAX_DEPTH) {
        fail(p, "nesting too deep");
        return NULL;
    }
    p->pos++;
    struct lgn_json *c = new_value(p, object ? LGN_JSON_OBJECT : LGN_JSON_ARRAY);
    if (c == NULL)
        return NULL;
    size_t cap = 0;
    char close = object ? '}' : ']';
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        return c;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(p);
        if (object) {
            size_t kl;
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                fail(p, "expected a member name");
                goto bad;
            }
            key = parse_string(p, &kl);
            if (key == NULL)
                goto bad;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') {
                free(key);
                fail(p, "expected ':'");
                goto bad;
            }
            p->pos++;
        }
        struct lgn_json *item = parse_value(p, depth + 1);
        if (item == NULL || push(p, c, item, key, &cap) != 0) {
            lgn_json_free(item);
            free(key);
            goto bad;
        }
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == close) {
            p->pos++;
            return c;
        }
        fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
        goto bad;
    }
bad:
    lgn_json_free(c);
    return NULL;
}

static struct lgn_json *parse_value(struct parser *p, int depth)
{
    skip_ws(p);
    if (p->pos >= p->len) {
        fail(p, "unexpected end of input");
        return NULL;
    }
    char c = p->s[p->pos];
    if (c == '{' || c == '[')
        return parse_container(p, depth, c == '{');
    if (c == '"') {
        size_t n;
        char *s = parse_string(p, &n);
        if (s == NULL)
            return NULL;
        struct lgn_json *v = new_value(p, LGN_JSON_STRING);
        if (v == NULL) {
            free(s);
            return NULL;
        }
        v->str = s;
        v->len = n;
        return v;
    }
    if (c == '-' || is_digit(c))
        return parse_number(p);
    if (literal(p, "true"))
        return new_value(p, LGN_JSON_TRUE);
    if (literal(p, "false"))
        return new_value(p, LGN_JSON_FALSE);
    if (literal(p, "null"))
        return new_value(p, LGN_JSON_NULL);
    fail(p, "unexpected character");
    return NULL;
}

struct lgn_json *lgn_json_parse(const char *text, size_t len, struct lgn_err *err)
{
    struct parser p = {text, len, 0, err, false};
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        p.pos = 3; /* a UTF-8 byte-order mark is ignored */
    struct lgn_json *v = parse_value(&p, 0);
    if (v == NULL)
        return NULL;
    skip_ws(&p);
    if (p.pos != p.len) {
        fail(&p, "trailing characters after the value");
        lgn_json_free(v);
        return NULL;
    }
    return v;
}

const struct lgn_json *lgn_json_get(const struct lgn_json *v, const char *key)
{
    if (v == NULL || v->type != LGN_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->items[i];
    return NULL;
}

bool lgn_json_u64(const struct lgn_json *v, uint64_t *out)
{
    if (v == NULL || v->type != LGN_JSON_NUMBER || v->str[0] == '-')
        return false;
    for (size_t i = 0; i < v->len; i++)
        if (!is_digit(v->str[i]))
            return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v->str, &end, 10);
    if (errno != 0 || end != v->str + v->len)
        return false;
    *out = x;
    return true;
}

bool lgn_json_double(const struct lgn_json *v, double *out)
{
    if (v == NULL || v->type != LGN_JSON_NUMBER)
        return false;
    *out = v->num;
    return true;
}

const char *lgn_json_str(const struct lgn_json *v)
{
    return v != NULL && v->type == LGN_JSON_STRING ? v->str : NULL;
}
