/* detect.c: picks the format of each line: the given one, or the preset that fits. */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"

int lgn_formats_init(struct lgn_formats *fs, const struct lgn_config *cfg, struct lgn_err *err)
{
    memset(fs, 0, sizeof *fs);
    const char *const *names = lgn_format_preset_names();
    size_t n = 1;
    fs->automatic =
        cfg->apache_format == NULL && cfg->nginx_format == NULL && strcmp(cfg->format, "auto") == 0;
    if (fs->automatic)
        for (n = 0; names[n] != NULL; n++)
            ;
    fs->list = calloc(n, sizeof *fs->list);
    fs->matched = calloc(n, sizeof *fs->matched);
    if (fs->list == NULL || fs->matched == NULL) {
        lgn_formats_free(fs);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    fs->n = n;
    for (size_t i = 0; i < n; i++) {
        if (cfg->apache_format != NULL)
            fs->list[i] = lgn_format_apache("apache-format", cfg->apache_format, err);
        else if (cfg->nginx_format != NULL)
            fs->list[i] = lgn_format_nginx("nginx-format", cfg->nginx_format, err);
        else
            fs->list[i] = lgn_format_preset(fs->automatic ? names[i] : cfg->format, err);
        if (fs->list[i] == NULL) {
            lgn_formats_free(fs);
            return -1;
        }
    }
    return 0;
}

void lgn_formats_free(struct lgn_formats *fs)
{
    for (size_t i = 0; fs->list != NULL && i < fs->n; i++)
        lgn_format_free(fs->list[i]);
    free(fs->list);
    free(fs->matched);
    memset(fs, 0, sizeof *fs);
}

const struct lgn_format *lgn_formats_match(struct lgn_formats *fs, const char *line, size_t len,
                                           struct lgn_slice *fields)
{
    /* Real files keep one format, so the last match is nearly always right;
     * mixed files (several vhosts' formats in one log) fall back to the rest. */
    for (size_t k = 0; k < fs->n; k++) {
        size_t i = k == 0 ? fs->last : (k <= fs->last ? k - 1 : k);
        if (lgn_parse(fs->list[i], line, len, fields)) {
            fs->last = i;
            fs->matched[i]++;
            if (fs->first == NULL)
                fs->first = fs->list[i];
            return fs->list[i];
        }
    }
    return NULL;
}
