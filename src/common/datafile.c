/* datafile.c: finds lognym's installed data beside the binary or in share/. */
#include "datafile.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LGN_SHARE_DIR
#define LGN_SHARE_DIR "/usr/local/share/lognym"
#endif

static bool exists(const char *path, bool dir)
{
    struct stat st;
    return stat(path, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* buf = a/b/c (b and c may be empty); true when it fits and exists. */
static bool try_path(char *buf, size_t cap, const char *a, const char *b, const char *c, bool dir)
{
    int n = snprintf(buf, cap, "%s/%s%s%s", a, b, b[0] ? "/" : "", c);
    return n > 0 && (size_t)n < cap && exists(buf, dir);
}

const char *lgn_datafile_find(const char *name, const char *source_sub, bool dir, char *buf,
                              size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0 && exe[0] == '/') {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        if (try_path(buf, cap, exe, "", name, dir) ||
            try_path(buf, cap, exe, "../share/lognym", name, dir))
            return buf;
#ifdef LGN_SOURCE_DIR
        size_t sl = strlen(LGN_SOURCE_DIR);
        if (strncmp(exe, LGN_SOURCE_DIR, sl) == 0 && (exe[sl] == '/' || exe[sl] == '\0') &&
            try_path(buf, cap, LGN_SOURCE_DIR, source_sub, name, dir))
            return buf;
#endif
    } else {
        snprintf(exe, sizeof exe, "(the executable's directory)");
    }
    if (try_path(buf, cap, LGN_SHARE_DIR, "", name, dir))
        return buf;
    snprintf(buf, cap, "%s/%s, %s/../share/lognym/%s, %s/%s", exe, name, exe, name, LGN_SHARE_DIR,
             name);
    return NULL;
}
