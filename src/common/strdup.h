/* strdup.h: copying strings into new heap memory, written once. */
#ifndef LGN_STRDUP_H
#define LGN_STRDUP_H

#include <stddef.h>

/* A new NUL-terminated copy of p[0..n) (which may hold no NUL); NULL when out
 * of memory. The caller frees it. */
char *lgn_strndup(const char *p, size_t n);
/* A new copy of the string s; NULL when out of memory. */
char *lgn_strdup(const char *s);

#endif
