/* readfile.c: a whole file read into memory. */
#include "readfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *lgn_read_file(const char *path, size_t max, size_t *len, struct lgn_err *err)
{
    bool std = strcmp(path, "-") == 0;
    FILE *f = std ? stdin : fopen(path, "rb");
    if (f == NULL) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL)
        goto oom;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                lgn_err_set(err, LGN_EXIT_INPUT, "%s: larger than %zu MiB", path, max >> 20);
                goto fail;
            }
            char *nb = realloc(buf, cap * 2 + 1);
            if (nb == NULL)
                goto oom;
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(f)) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!std)
        fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
oom:
    lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
fail:
    if (!std)
        fclose(f);
    free(buf);
    return NULL;
}
