/* strdup.c: copying strings into new heap memory. */
#include "strdup.h"

#include <stdlib.h>
#include <string.h>

char *lgn_strndup(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s != NULL) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

char *lgn_strdup(const char *s)
{
    return lgn_strndup(s, strlen(s));
}
