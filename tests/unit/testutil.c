/* testutil.c: shared unit-test fixtures (testutil.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "anon.h"
#include "detect.h"
#include "rules.h"
#include "ua.h"

static char tmpdir[PATH_MAX];

int tu_tmpdir_setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    int n = snprintf(tmpdir, sizeof tmpdir, "%s/lognym-test-XXXXXX",
                     t != NULL && *t != '\0' ? t : "/tmp");
    if (n < 0 || (size_t)n >= sizeof tmpdir || mkdtemp(tmpdir) == NULL) {
        tmpdir[0] = '\0';
        return -1;
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

int tu_tmpdir_teardown(void **state)
{
    (void)state;
    if (tmpdir[0] == '\0')
        return -1;
    /* depth first, so each directory is empty when its turn comes; symbolic
     * links are removed, never followed */
    int rc = nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
    return rc == 0 ? 0 : -1;
}

const char *tu_tmpdir(void)
{
    return tmpdir;
}

const char *tu_path(const char *name)
{
    static char buf[8][PATH_MAX];
    static unsigned i;
    i = (i + 1) % 8;
    int n = snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < sizeof buf[i]);
    return buf[i];
}

void tu_write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, p, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

void tu_write_text(const char *path, const char *text)
{
    tu_write_file(path, text, strlen(text));
}

char *tu_read_file(const char *path, size_t *n)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    size_t len = (size_t)st.st_size;
    char *p = malloc(len + 1);
    assert_non_null(p);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    size_t got = 0;
    while (got < len) {
        ssize_t k = read(fd, p + got, len - got);
        assert_true(k > 0);
        got += (size_t)k;
    }
    assert_int_equal(close(fd), 0);
    p[len] = '\0';
    if (n != NULL)
        *n = len;
    return p;
}

void tu_hex(const unsigned char *p, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[p[i] >> 4];
        out[2 * i + 1] = d[p[i] & 0xf];
    }
    out[2 * n] = '\0';
}

struct lgn_anon *tu_anon_opts(const struct lgn_anon_opts *o)
{
    struct lgn_err err = {0};
    struct lgn_anon *a = lgn_anon_new(o, &err);
    if (a == NULL)
        fail_msg("lgn_anon_new: %s", err.msg);
    return a;
}

struct lgn_anon *tu_anon(enum lgn_ip_mode mode, enum lgn_ip_format format)
{
    struct lgn_anon_opts o = {.mode = mode, .v4_prefix = 24, .v6_prefix = 48, .format = format};
    return tu_anon_opts(&o);
}

struct lgn_rules *tu_rules_dir(const char *dir)
{
    struct lgn_err err = {0};
    struct lgn_rules *rs = lgn_rules_new(&err);
    if (rs == NULL || lgn_rules_load_dir(rs, dir, &err) != 0)
        fail_msg("rules of %s: %s", dir, err.msg);
    return rs;
}

struct lgn_rules *tu_rules_text(const char *text)
{
    struct lgn_err err = {0};
    struct lgn_rules *rs = lgn_rules_new(&err);
    if (rs == NULL || lgn_rules_load_text(rs, "t.rules", text, strlen(text), &err) != 0)
        fail_msg("%s", err.msg);
    return rs;
}

struct lgn_ua *tu_ua(const char *regexes, const char *bot_list)
{
    struct lgn_err err = {0};
    struct lgn_ua *u = lgn_ua_new(regexes, &err);
    if (u == NULL)
        fail_msg("lgn_ua_new: %s", err.msg);
    if (bot_list != NULL && lgn_ua_use_bot_list(u, bot_list, &err) != 0)
        fail_msg("bot list: %s", err.msg);
    return u;
}

void tu_formats(struct lgn_formats *fs, const char *name)
{
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    if (name != NULL)
        cfg.format = name;
    struct lgn_err err = {0};
    if (lgn_formats_init(fs, &cfg, &err) != 0)
        fail_msg("lgn_formats_init(%s): %s", cfg.format, err.msg);
}

bool tu_yaml_load(const char *path, yaml_document_t *doc)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    yaml_parser_t parser;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, doc))
        fail_msg("%s:%zu: %s", path, (size_t)parser.problem_mark.line + 1, parser.problem);
    yaml_parser_delete(&parser);
    fclose(f);
    return true;
}

void tu_unhex(const char *hex, unsigned char *out, size_t n)
{
    assert_int_equal(strlen(hex), 2 * n);
    for (size_t i = 0; i < n; i++) {
        char two[3] = {hex[2 * i], hex[2 * i + 1], '\0'};
        char *end = NULL;
        unsigned long v = strtoul(two, &end, 16);
        assert_true(end == two + 2);
        out[i] = (unsigned char)v;
    }
}
