/* fuzz.h: helpers for the libFuzzer targets in tests/fuzz (not part of lognym):
 * an in-memory file that lognym's modules can open by path, and the privacy
 * oracle's address finder. Test code, so the helpers are defined here. */
#ifndef LGN_FUZZ_H
#define LGN_FUZZ_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

/* The entry point every target defines (declared for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- an in-memory file with a path (/proc/self/fd/N) ---- */

struct memfile {
    int fd;
    char path[64];
};

static inline void memfile_open(struct memfile *m, const char *name)
{
    m->fd = memfd_create(name, 0);
    if (m->fd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", m->fd);
}

/* Replaces the file's content. */
static inline void memfile_set(struct memfile *m, const void *p, size_t n)
{
    if (ftruncate(m->fd, 0) != 0 || (n > 0 && pwrite(m->fd, p, n, 0) != (ssize_t)n)) {
        perror("memfile_set");
        abort();
    }
}

/* The file's content, NUL-terminated, in a malloc'd buffer (caller frees). */
static inline char *memfile_get(struct memfile *m, size_t *n)
{
    off_t size = lseek(m->fd, 0, SEEK_END);
    char *buf = malloc((size_t)size + 1);
    if (size < 0 || buf == NULL || pread(m->fd, buf, (size_t)size, 0) != (ssize_t)size) {
        perror("memfile_get");
        abort();
    }
    buf[size] = '\0';
    *n = (size_t)size;
    return buf;
}

/* ---- the privacy oracle: addresses written in a text ---- */

struct fz_addr {
    bool v6;
    unsigned char b[16]; /* v4: b[0..3] */
    size_t at;           /* offset of its first byte in the text searched */
};

static inline bool fz_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool fz_v6char(char c)
{
    return fz_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

static inline bool fz_alnum(char c)
{
    return fz_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* A letter that is not a hex digit, or '_': what glues a digitless run like
 * "::c" into a word. */
static inline bool fz_word_letter(char c)
{
    return ((c | 0x20) >= 'g' && (c | 0x20) <= 'z') || c == '_';
}

/* A dotted quad at p[i] (not preceded or followed by a digit; octets of 1-3
 * decimal digits up to 255, leading zeros allowed, as lognym reads them). */
static inline bool fz_hex(char c)
{
    return fz_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* p[i] follows a "%XX" or "\xXX" escape: an address starts there even after
 * the escape's last hex digit ("whois%20198.51.100.7"), as lognym reads it. */
static inline bool fz_after_escape(const char *p, size_t i)
{
    if (i >= 3 && p[i - 3] == '%' && fz_hex(p[i - 2]) && fz_hex(p[i - 1]))
        return true;
    return i >= 4 && p[i - 4] == '\\' && (p[i - 3] | 0x20) == 'x' && fz_hex(p[i - 2]) &&
           fz_hex(p[i - 1]);
}

static inline bool fz_quad(const char *p, size_t n, size_t i, unsigned char out[4], size_t *end)
{
    if (i > 0 && fz_digit(p[i - 1]) && !fz_after_escape(p, i))
        return false;
    for (int k = 0; k < 4; k++) {
        if (k > 0) {
            if (i >= n || p[i] != '.')
                return false;
            i++;
        }
        unsigned v = 0, d = 0;
        while (i < n && fz_digit(p[i]) && d < 3)
            v = v * 10 + (unsigned)(p[i++] - '0'), d++;
        if (d == 0 || v > 255)
            return false;
        out[k] = (unsigned char)v;
    }
    if (i < n && fz_digit(p[i]))
        return false;
    *end = i;
    return true;
}

/* Collects every IPv6 address (a maximal run of hex digits, ':' and '.' with
 * two or more ':' that inet_pton accepts) and every IPv4 dotted quad outside
 * those in [p, p+n). Quads are read left to right without overlap: in
 * "1.2.3.4.5" the address is 1.2.3.4 (lognym's reading; 2.3.4.5 is not a
 * second one). A dotted number is read from its first group only, or right
 * after the quad before ("1.2.3.4.5.6.7.8" holds two): in "440.0.0.31.105"
 * (a version) there is none. Returns how many were found (at most max are
 * stored). */
static inline size_t fz_find_addrs(const char *p, size_t n, struct fz_addr *out, size_t max)
{
    size_t found = 0;
    char *in_v6 = calloc(n + 1, 1); /* bytes that belong to an IPv6 address */
    if (in_v6 == NULL)
        abort();
    for (size_t i = 0; i < n;) {
        if (!fz_v6char(p[i])) {
            i++;
            continue;
        }
        size_t j = i, colons = 0, digits = 0;
        while (j < n && fz_v6char(p[j])) {
            colons += p[j] == ':';
            digits += fz_digit(p[j++]);
        }
        /* "Data::Dumper", "Foo::ct": a run without a decimal digit glued to
         * a word's letters on both sides is a piece of that word (lognym's
         * reading), not an address */
        bool word_piece =
            digits == 0 && i > 0 && j < n && fz_word_letter(p[i - 1]) && fz_word_letter(p[j]);
        char tok[64];
        if (colons >= 2 && !word_piece && j - i < sizeof tok) {
            memcpy(tok, p + i, j - i);
            tok[j - i] = '\0';
            struct fz_addr a = {.v6 = true, .at = i};
            if (inet_pton(AF_INET6, tok, a.b) == 1) {
                if (found < max)
                    out[found] = a;
                found++;
                memset(in_v6 + i, 1, j - i);
            }
        }
        i = j;
    }
    size_t after = (size_t)-1; /* where the last quad found ends */
    for (size_t i = 0; i < n; i++) {
        unsigned char q[4];
        size_t end;
        if (in_v6[i] || !fz_digit(p[i]))
            continue;
        if (i >= 2 && p[i - 1] == '.' && fz_digit(p[i - 2]) && i != after + 1)
            continue; /* inside a dotted number */
        /* an escape's hex digits never start the address after it */
        size_t at = i;
        if (i + 2 < n && fz_digit(p[i + 2]) && fz_after_escape(p, i + 2) &&
            fz_quad(p, n, i + 2, q, &end))
            at = i + 2;
        else if (!fz_quad(p, n, i, q, &end))
            continue;
        {
            i = at;
            /* "d.c.b.a.in-addr.arpa" names a.b.c.d, as lognym reads it
             * ("….in-addr.arpa6" is no such name) */
            if (end + 13 <= n && strncasecmp(p + end, ".in-addr.arpa", 13) == 0 &&
                (end + 13 == n || !fz_alnum(p[end + 13]))) {
                unsigned char t0 = q[0], t1 = q[1];
                q[0] = q[3], q[1] = q[2], q[2] = t1, q[3] = t0;
            }
            if (found < max) {
                memset(&out[found], 0, sizeof out[found]);
                memcpy(out[found].b, q, 4);
                out[found].at = i;
            }
            found++;
            after = end;
            i = end - 1; /* in "a.b.c.d.e" the quad is a.b.c.d, as lognym reads it */
        }
    }
    free(in_v6);
    return found;
}

static inline bool fz_addr_eq(const struct fz_addr *a, const struct fz_addr *b)
{
    return a->v6 == b->v6 && memcmp(a->b, b->b, a->v6 ? 16 : 4) == 0;
}

static inline void fz_addr_str(const struct fz_addr *a, char *buf, size_t cap)
{
    if (inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->b, buf, (socklen_t)cap) == NULL)
        snprintf(buf, cap, "?");
}

/* Prints a byte string for a report, escaping what is not printable. */
static inline void fz_dump(const char *what, const char *p, size_t n)
{
    fprintf(stderr, "%s (%zu bytes): \"", what, n);
    for (size_t i = 0; i < n && i < 2000; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fprintf(stderr, "\"\n");
}

#endif
