/* testutil.h: fixtures shared by the unit tests: a temp dir for the test
 * group, removed with everything in it, small file writers and readers, and
 * lognym's objects set up as most tests want them. The helpers fail the
 * current test (cmocka) when a call fails; in a group set-up, the group. */
#ifndef LGN_TESTUTIL_H
#define LGN_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "config.h"

struct lgn_anon;
struct lgn_formats;
struct lgn_rules;
struct lgn_ua;

/* cmocka group set-up: creates $TMPDIR/lognym-test-XXXXXX (TMPDIR unset:
 * /tmp). 0, or -1 when it cannot. */
int tu_tmpdir_setup(void **state);
/* cmocka group tear-down: removes the temp dir and its whole tree (without
 * a shell); 0, or -1 when something could not be removed. */
int tu_tmpdir_teardown(void **state);

/* The temp dir made by tu_tmpdir_setup. */
const char *tu_tmpdir(void);
/* "TMPDIR/name". The result lives until eight more calls. */
const char *tu_path(const char *name);

/* Creates or truncates path (mode 0600) and writes n bytes. */
void tu_write_file(const char *path, const void *p, size_t n);
/* The same with a string. */
void tu_write_text(const char *path, const char *text);
/* The whole file, NUL-terminated, in memory the caller frees; its length
 * in *n when n is not NULL. */
char *tu_read_file(const char *path, size_t *n);

/* The YAML document at path, loaded into doc (yaml_document_delete frees
 * it); false when the file cannot be opened. A parse error fails. */
bool tu_yaml_load(const char *path, yaml_document_t *doc);

/* 2n hex digits (exactly) into n bytes. */
void tu_unhex(const char *hex, unsigned char *out, size_t n);
/* n bytes as lowercase hex digits, NUL-terminated, in out (2n + 1 bytes). */
void tu_hex(const unsigned char *p, size_t n, char *out);

/* An anonymiser with these options. */
struct lgn_anon *tu_anon_opts(const struct lgn_anon_opts *o);
/* An anonymiser in mode and format, truncating to /24 and /48 (lognym's
 * defaults), with a random key. */
struct lgn_anon *tu_anon(enum lgn_ip_mode mode, enum lgn_ip_format format);

/* The rules of every file in dir; "filters" is the shipped set (the tests
 * run from the project root). */
struct lgn_rules *tu_rules_dir(const char *dir);
/* The rules written in text, read as file "t.rules". */
struct lgn_rules *tu_rules_text(const char *text);

/* A user-agent classifier with the regexes at path (NULL: uap-core's) and,
 * unless bot_list is NULL, the bot list there. */
struct lgn_ua *tu_ua(const char *regexes, const char *bot_list);

/* fs set up from the default configuration with --format name (NULL: every
 * format, detected line by line). */
void tu_formats(struct lgn_formats *fs, const char *name);

#endif
