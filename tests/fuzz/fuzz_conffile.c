/* fuzz_conffile.c: libFuzzer target for the config-file loader (-c FILE):
 * "option = value" lines through the one option table.
 * Input: the file's bytes.
 * Checks: no crash or leak; a refused file gives a message naming the file
 * (and, for a bad line, FILE:LINE) with a usage exit code; an accepted one
 * leaves a config whose strings are readable. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "config.h"
#include "err.h"

#include "fuzz.h"

static struct memfile file;

static void fail(const char *why, const uint8_t *data, size_t size, const char *msg)
{
    fprintf(stderr, "fuzz_conffile: %s: %s\n", why, msg);
    fz_dump("config", (const char *)data, size);
    abort();
}

static size_t touch(const char *s) /* reads a config string to its end (ASan checks it) */
{
    return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (file.path[0] == '\0')
        memfile_open(&file, "fuzz.conf");
    memfile_set(&file, data, size);
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    struct lgn_conffile *cf = NULL;
    struct lgn_err err = {0};
    int rc = lgn_conffile_load(file.path, &cfg, &cf, &err);
    if (rc == 0) {
        if (cf == NULL)
            fail("accepted without an owner for the values", data, size, "");
        size_t n = touch(cfg.output) + touch(cfg.format) + touch(cfg.apache_format) +
                   touch(cfg.nginx_format) + touch(cfg.anon.key_file) + touch(cfg.filters_dir) +
                   touch(cfg.keep_params);
        if (cfg.n_filter_files > LGN_MAX_FILTER_FILES)
            fail("too many filter files kept", data, size, "");
        for (size_t i = 0; i < cfg.n_filter_files; i++)
            n += touch(cfg.filter_files[i]);
        (void)n;
    } else {
        if (cf != NULL)
            fail("refused but returned values", data, size, err.msg);
        if (strncmp(err.msg, file.path, strlen(file.path)) != 0)
            fail("message does not start with the file name", data, size, err.msg);
        if (err.exit_code != LGN_EXIT_USAGE && err.exit_code != LGN_EXIT_INTERNAL)
            fail("unexpected exit code", data, size, err.msg);
    }
    lgn_conffile_free(cf);
    return 0;
}
