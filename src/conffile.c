/* conffile.c: reads "option = value" files through the one option table. */
#include "conffile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

struct lgn_conffile {
    char *text; /* the file, with values cut out in place */
};

static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return s;
}

static char *read_all(const char *path, struct lgn_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = cap < (1u << 20) ? realloc(buf, cap * 2) : NULL;
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            lgn_err_set(err, LGN_EXIT_USAGE, "%s: too large for a config file", path);
            fclose(f);
            return NULL;
        }
        buf = bigger;
        cap *= 2;
    }
    bool failed = ferror(f);
    fclose(f);
    if (buf == NULL || failed) {
        free(buf);
        lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot read", path);
        return NULL;
    }
    buf[len] = '\0';
    if (memchr(buf, '\0', len) != NULL) {
        free(buf);
        lgn_err_set(err, LGN_EXIT_USAGE, "%s: holds NUL bytes; not a config file", path);
        return NULL;
    }
    return buf;
}

int lgn_conffile_load(const char *path, struct lgn_config *cfg, struct lgn_conffile **out,
                      struct lgn_err *err)
{
    *out = NULL;
    char *text = read_all(path, err);
    if (text == NULL)
        return -1;
    unsigned lineno = 0;
    for (char *line = text; *line != '\0';) {
        char *nl = strchr(line, '\n');
        char *end = nl ? nl : line + strlen(line);
        char *next = nl ? nl + 1 : end;
        lineno++;
        char *s = trim(line, end);
        line = next;
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            free(text);
            return lgn_err_set(err, LGN_EXIT_USAGE, "%s:%u: expected 'option = value'", path,
                               lineno);
        }
        char *key = trim(s, eq);
        char *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
        const struct lgn_option *o = lgn_option_find(key);
        if (o == NULL || o->kind == LGN_OPT_ACTION || o->set == NULL ||
            strcmp(key, "config") == 0) {
            lgn_err_set(err, LGN_EXIT_USAGE, "%s:%u: unknown option '%s'", path, lineno, key);
            free(text);
            return -1;
        }
        struct lgn_err why = {0};
        if (*value == '\0' || o->set(cfg, value, &why) != 0) {
            lgn_err_set(err, LGN_EXIT_USAGE, "%s:%u: %s", path, lineno,
                        *value == '\0' ? "missing value" : why.msg);
            free(text);
            return -1;
        }
    }
    *out = malloc(sizeof **out);
    if (*out == NULL) {
        free(text);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    (*out)->text = text;
    return 0;
}

void lgn_conffile_free(struct lgn_conffile *cf)
{
    if (cf == NULL)
        return;
    free(cf->text);
    free(cf);
}
