/* timeshape.c: a custom format's time, checked against its own strftime
 * pattern (digits, letters, signs and literal separators where the pattern
 * puts them), so that text in a time field is not kept as a time. */
#include "timeshape.h"

#include <stdlib.h>
#include <string.h>

/* One piece of the shape: min..max bytes of a class, or one literal byte. */
struct piece {
    char cls; /* 'd' digit, 's' blank or digit, 'a' letter, 'w' letter or blank,
               * 'z' zone name (letter, digit, sign), '+' sign, 'l' literal */
    unsigned char min, max;
    char lit;
};

struct lgn_timeshape {
    size_t n, cap;
    struct piece p[];
};

static int add(struct lgn_timeshape **s, char cls, unsigned min, unsigned max, char lit)
{
    struct lgn_timeshape *t = *s;
    if (t->n == t->cap) {
        size_t cap = t->cap * 2;
        t = realloc(t, sizeof *t + cap * sizeof t->p[0]);
        if (t == NULL)
            return -1;
        t->cap = cap;
        *s = t;
    }
    t->p[t->n++] = (struct piece){cls, (unsigned char)min, (unsigned char)max, lit};
    return 0;
}

/* The C locale's spelling of the conversions that stand for others. */
static const char *composite(char c)
{
    switch (c) {
    case 'D':
    case 'x':
        return "%m/%d/%y";
    case 'F':
        return "%Y-%m-%d";
    case 'T':
    case 'X':
        return "%H:%M:%S";
    case 'R':
        return "%H:%M";
    case 'r':
        return "%I:%M:%S %p";
    case 'c':
        return "%a %b %e %H:%M:%S %Y";
    default:
        return NULL;
    }
}

/* A simple conversion: its class and width; false when unknown. */
static bool simple(char c, char *cls, unsigned *min, unsigned *max)
{
    static const struct {
        const char *letters;
        char cls;
        unsigned char min, max;
    } table[] = {
        {"YG", 'd', 4, 4}, {"CymdHIMSUVWg", 'd', 2, 2}, {"j", 'd', 3, 3},   {"uw", 'd', 1, 1},
        {"s", 'd', 1, 20}, {"ekl", 's', 2, 2},          {"abh", 'a', 3, 3}, {"A", 'a', 6, 9},
        {"B", 'a', 3, 9},  {"pP", 'a', 2, 2},           {"Z", 'z', 1, 6},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strchr(table[i].letters, c) != NULL) {
            *cls = table[i].cls;
            *min = table[i].min;
            *max = table[i].max;
            return true;
        }
    return false;
}

/* Adds the pieces of pattern [f, f+n); 0, 1 when a conversion is unknown,
 * -1 when out of memory. */
static int compile_pattern(struct lgn_timeshape **s, const char *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '%' || i + 1 == n) {
            if (add(s, 'l', 1, 1, f[i]) != 0)
                return -1;
            continue;
        }
        i++;
        bool loose = false; /* flags and widths: padding and width vary */
        unsigned width = 0;
        while (i < n && strchr("-_0^#", f[i]) != NULL)
            loose = true, i++;
        while (i < n && f[i] >= '0' && f[i] <= '9' && width < 100)
            loose = true, width = width * 10 + (unsigned)(f[i++] - '0');
        if (i < n && (f[i] == 'E' || f[i] == 'O'))
            i++;
        if (i == n)
            return 1;
        char c = f[i], cls;
        unsigned min, max;
        const char *sub = composite(c);
        int rc;
        if (sub != NULL) {
            if ((rc = compile_pattern(s, sub, strlen(sub))) != 0)
                return rc;
        } else if (c == '%' || c == 'n' || c == 't') {
            char lit = '%';
            if (c != '%')
                lit = c == 'n' ? '\n' : '\t';
            if (add(s, 'l', 1, 1, lit) != 0)
                return -1;
        } else if (c == 'z') {
            if (add(s, '+', 1, 1, 0) != 0 || add(s, 'd', 4, 4, 0) != 0)
                return -1;
        } else if (simple(c, &cls, &min, &max)) {
            if (loose) { /* "%-d" "%_H" "%10Y": blanks or digits, any width up to it */
                if (cls == 'a')
                    cls = 'w';
                else if (cls == 'd')
                    cls = 's';
                max = width > max ? width : max;
                min = 1;
            }
            if (cls == 's' && !loose) { /* %e: " 5" or "15" */
                if (add(s, 's', 1, 1, 0) != 0 || add(s, 'd', 1, 1, 0) != 0)
                    return -1;
            } else if (add(s, cls, min, max, 0) != 0) {
                return -1;
            }
        } else {
            return 1;
        }
    }
    return 0;
}

static bool starts(const char *f, size_t n, const char *word)
{
    size_t k = strlen(word);
    return n >= k && memcmp(f, word, k) == 0;
}

static bool is_word(const char *f, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(f, word, n) == 0;
}

int lgn_timeshape_compile(const char *fmt, size_t n, struct lgn_timeshape **out)
{
    *out = NULL;
    struct lgn_timeshape *s = malloc(sizeof *s + 16 * sizeof s->p[0]);
    if (s == NULL)
        return -1;
    s->n = 0;
    s->cap = 16;
    if (starts(fmt, n, "begin:"))
        fmt += 6, n -= 6;
    else if (starts(fmt, n, "end:"))
        fmt += 4, n -= 4;
    int rc;
    if (is_word(fmt, n, "sec") || is_word(fmt, n, "msec") || is_word(fmt, n, "usec"))
        rc = add(&s, 'd', 1, 20, 0);
    else if (is_word(fmt, n, "msec_frac") || is_word(fmt, n, "usec_frac"))
        rc = add(&s, 'd', fmt[0] == 'm' ? 3 : 6, fmt[0] == 'm' ? 3 : 6, 0);
    else
        rc = compile_pattern(&s, fmt, n);
    if (rc != 0 || s->n == 0) {
        free(s);
        return rc < 0 ? -1 : 0;
    }
    *out = s;
    return 0;
}

static bool in_class(char cls, char c)
{
    bool digit = c >= '0' && c <= '9';
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    switch (cls) {
    case 'd':
        return digit;
    case 's':
        return digit || c == ' ';
    case 'a':
        return letter;
    case 'w':
        return letter || c == ' ';
    case 'z':
        return letter || digit || c == '+' || c == '-';
    default: /* '+' */
        return c == '+' || c == '-';
    }
}

bool lgn_timeshape_match(const struct lgn_timeshape *s, const char *p, size_t n)
{
    size_t pos = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct piece *q = &s->p[i];
        if (q->cls == 'l') {
            if (pos == n || p[pos] != q->lit)
                return false;
            pos++;
            continue;
        }
        size_t k = 0; /* greedy: the pieces after a variable one start with another class */
        while (k < q->max && pos + k < n && in_class(q->cls, p[pos + k]))
            k++;
        if (k < q->min)
            return false;
        pos += k;
    }
    return pos == n;
}

void lgn_timeshape_free(struct lgn_timeshape *s)
{
    free(s);
}
