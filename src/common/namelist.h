/* namelist.h: finding a name in a fixed list of names (YAML sections and
 * keys, device types, OS families), written once. */
#ifndef LGN_NAMELIST_H
#define LGN_NAMELIST_H

#include <stddef.h>
#include <string.h>

/* The index of name in names[0..n), or -1; a NULL entry matches nothing. */
static inline int lgn_name_index(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] != NULL && strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

#endif
