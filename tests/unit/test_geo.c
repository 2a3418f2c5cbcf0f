/* test_geo.c: unit tests for the MaxMind lookup on a tiny database built by
 * tests/data/make_test_mmdb.pl. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "geo.h"
#include "testutil.h"

static char dbpath[4096];
static bool have_db;

static int setup(void **state)
{
    if (tu_tmpdir_setup(state) != 0)
        return -1;
    snprintf(dbpath, sizeof dbpath, "%s", tu_path("test.mmdb"));
    char cmd[9000];
    snprintf(cmd, sizeof cmd,
             "perl tests/data/make_test_mmdb.pl %s 2>/dev/null || "
             "perl ../tests/data/make_test_mmdb.pl %s 2>/dev/null",
             dbpath, dbpath);
    have_db = system(cmd) == 0 && access(dbpath, R_OK) == 0;
    if (!have_db)
        fprintf(stderr, "# test_geo: cannot build the test database (Debian package "
                        "libmaxmind-db-writer-perl missing?): lookups skipped\n");
    return 0;
}

/* The test database, or skip when it could not be written. */
static struct lgn_geo *open_test_db(void)
{
    if (!have_db)
        skip();
    struct lgn_err err;
    struct lgn_geo *g = lgn_geo_open(dbpath, &err);
    assert_non_null(g);
    return g;
}

static void expect(struct lgn_geo *g, const char *ip, int rc, const char *cc)
{
    char out[3] = "xx";
    assert_int_equal(lgn_geo_country_str(g, ip, strlen(ip), out), rc);
    assert_string_equal(out, cc);
}

static void test_lookups(void **state)
{
    (void)state;
    struct lgn_geo *g = open_test_db();
    assert_string_equal(lgn_geo_type(g), "lognym-Test-Country");
    expect(g, "192.0.2.1", 1, "DE");
    expect(g, "192.0.2.255", 1, "DE");
    expect(g, "198.51.100.77", 1, "IR");
    expect(g, "203.0.113.5", 1, "SA"); /* registered_country only */
    expect(g, "203.0.113.200", 0, ""); /* a record without a country */
    expect(g, "8.8.8.8", 0, "");       /* not in the database */
    expect(g, "2001:db8::1", 1, "FR");
    expect(g, "2001:db9::1", 0, "");
    expect(g, "not an ip", -1, "");
    expect(g, "", -1, "");
    lgn_geo_free(g);
}

static void test_sockaddr(void **state)
{
    (void)state;
    struct lgn_geo *g = open_test_db();
    struct sockaddr_in s4;
    memset(&s4, 0, sizeof s4);
    s4.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, "198.51.100.1", &s4.sin_addr), 1);
    char cc[3];
    assert_int_equal(lgn_geo_country(g, (const struct sockaddr *)&s4, cc), 1);
    assert_string_equal(cc, "IR");
    struct sockaddr_in6 s6;
    memset(&s6, 0, sizeof s6);
    s6.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff::2", &s6.sin6_addr), 1);
    assert_int_equal(lgn_geo_country(g, (const struct sockaddr *)&s6, cc), 1);
    assert_string_equal(cc, "FR");
    lgn_geo_free(g);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct lgn_err err = {0, ""};
    assert_null(lgn_geo_open("/nonexistent/lognym.mmdb", &err));
    assert_int_equal(err.exit_code, 3); /* a file that cannot be read: input error */
    assert_non_null(strstr(err.msg, "/nonexistent/lognym.mmdb"));
    /* Not a database: a bad --geoip value. */
    const char *path = tu_path("bad.mmdb");
    tu_write_text(path, "this is not a MaxMind database\n");
    assert_null(lgn_geo_open(path, &err));
    assert_int_equal(err.exit_code, 2);
    assert_non_null(strstr(err.msg, "not a MaxMind country database"));
    lgn_geo_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_sockaddr),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, setup, tu_tmpdir_teardown);
}
