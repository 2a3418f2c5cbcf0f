/* test_key.c: unit tests for key.c (key files, keygen, random keys, per-day HKDF, wipe). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "key.h"
#include "testutil.h"

/* A key whose hex form is easy to look for in messages. */
static const char KEY_HEX[] = "0f1e2d3c4b5a69788796a5b4c3d2e1f00123456789abcdefdeadbeefcafef00d";

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static void expected_key(struct lgn_key *key)
{
    tu_unhex(KEY_HEX, key->bytes, LGN_KEY_LEN);
}

static void load_ok(const char *path, const struct lgn_key *want)
{
    struct lgn_key key;
    struct lgn_err err = {0};
    memset(&key, 0xaa, sizeof key);
    if (lgn_key_load(path, &key, &err) != 0)
        fail_msg("lgn_key_load(%s): %s", path, err.msg);
    assert_memory_equal(key.bytes, want->bytes, LGN_KEY_LEN);
}

/* Expects lgn_key_load to refuse with LGN_EXIT_KEY, a message naming the file
 * and containing `needle`, and no trace of the key in the message. */
static void load_refused(const char *path, const char *needle)
{
    struct lgn_key key;
    struct lgn_err err = {0};
    assert_int_equal(lgn_key_load(path, &key, &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_KEY);
    if (strstr(err.msg, path) == NULL || strstr(err.msg, needle) == NULL)
        fail_msg("message \"%s\" lacks the path or \"%s\"", err.msg, needle);
    /* no 8 consecutive hex digits of the key appear in the message */
    for (size_t i = 0; i + 8 <= sizeof KEY_HEX - 1; i++) {
        char frag[9];
        memcpy(frag, KEY_HEX + i, 8);
        frag[8] = '\0';
        if (strstr(err.msg, frag) != NULL)
            fail_msg("message \"%s\" contains key material", err.msg);
    }
}

/* ---- loading ---- */

static void test_load_raw(void **state)
{
    (void)state;
    struct lgn_key want;
    expected_key(&want);
    write_file(tu_path("raw"), want.bytes, LGN_KEY_LEN, 0600);
    load_ok(tu_path("raw"), &want);
    write_file(tu_path("raw"), want.bytes, LGN_KEY_LEN, 0400); /* read-only is fine */
    load_ok(tu_path("raw"), &want);
}

static void test_load_hex(void **state)
{
    (void)state;
    struct lgn_key want;
    expected_key(&want);
    char buf[80];
    const char *suffixes[] = {"", "\n", "\r\n"};
    for (size_t s = 0; s < 3; s++) {
        for (int upper = 0; upper < 3; upper++) { /* lower, upper, mixed case */
            memcpy(buf, KEY_HEX, 64);
            for (size_t i = 0; i < 64; i++)
                if ((upper == 1 || (upper == 2 && i % 3 == 0)) && buf[i] >= 'a' && buf[i] <= 'f')
                    buf[i] = (char)(buf[i] - 'a' + 'A');
            size_t sl = strlen(suffixes[s]);
            memcpy(buf + 64, suffixes[s], sl);
            write_file(tu_path("hex"), buf, 64 + sl, 0600);
            load_ok(tu_path("hex"), &want);
        }
    }
}

static void test_load_bad_length(void **state)
{
    (void)state;
    char buf[300];
    memset(buf, 'a', sizeof buf);
    memcpy(buf, KEY_HEX, 64);
    const size_t lens[] = {1, 31, 33, 63, 67, 128, 300};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        write_file(tu_path("len"), buf, lens[i], 0600);
        load_refused(tu_path("len"), lens[i] > 66 ? "too long" : "expected 32 raw bytes");
    }
    write_file(tu_path("len"), buf, 0, 0600);
    load_refused(tu_path("len"), "is empty");

    /* 64 hex digits followed by something other than a newline */
    memcpy(buf + 64, "\n\n", 2);
    write_file(tu_path("len"), buf, 66, 0600);
    load_refused(tu_path("len"), "expected 32 raw bytes");
    memcpy(buf + 64, " ", 1);
    write_file(tu_path("len"), buf, 65, 0600);
    load_refused(tu_path("len"), "expected 32 raw bytes");
    memcpy(buf + 64, "\r", 1);
    write_file(tu_path("len"), buf, 65, 0600);
    load_refused(tu_path("len"), "expected 32 raw bytes");
}

static void test_load_not_hex(void **state)
{
    (void)state;
    char buf[65];
    memcpy(buf, KEY_HEX, 64);
    buf[64] = '\n';
    buf[40] = 'g';
    write_file(tu_path("nothex"), buf, 65, 0600);
    load_refused(tu_path("nothex"), "not 64 hex digits (bad character at offset 40)");
    memcpy(buf, KEY_HEX, 64);
    buf[63] = ' ';
    write_file(tu_path("nothex"), buf, 64, 0600);
    load_refused(tu_path("nothex"), "offset 63");
}

static void test_load_mode(void **state)
{
    (void)state;
    char msg[16384];
    write_file(tu_path("wide"), KEY_HEX, 64, 0644);
    int n = snprintf(msg, sizeof msg,
                     "key file %s is readable by group or others (mode 0644); run: chmod 600 %s",
                     tu_path("wide"), tu_path("wide"));
    assert_true(n > 0 && (size_t)n < sizeof msg);
    load_refused(tu_path("wide"), msg);

    const struct {
        mode_t mode;
        const char *word;
    } cases[] = {
        {0640, "readable by group or others (mode 0640)"},
        {0604, "readable by group or others (mode 0604)"},
        {0620, "writable by group or others (mode 0620)"},
        {0602, "writable by group or others (mode 0602)"},
        {0610, "accessible by group or others (mode 0610)"},
        {0601, "accessible by group or others (mode 0601)"},
        {0666, "readable by group or others (mode 0666)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(tu_path("wide"), KEY_HEX, 64, cases[i].mode);
        load_refused(tu_path("wide"), cases[i].word);
        load_refused(tu_path("wide"), "run: chmod 600");
    }
}

static void test_load_not_regular(void **state)
{
    (void)state;
    assert_int_equal(mkdir(tu_path("adir"), 0700), 0);
    load_refused(tu_path("adir"), "not a regular file");
    /* a FIFO must be refused, not block the open */
    assert_int_equal(mkfifo(tu_path("fifo"), 0600), 0);
    load_refused(tu_path("fifo"), "not a regular file");
}

static void test_load_missing(void **state)
{
    (void)state;
    load_refused(tu_path("does-not-exist"), "cannot open key file");
}

static void test_load_not_owned(void **state)
{
    (void)state;
    if (geteuid() == 0) {
        write_file(tu_path("other"), KEY_HEX, 64, 0600);
        assert_int_equal(chown(tu_path("other"), 65534, 65534), 0);
        load_refused(tu_path("other"), "not by the current user");
    } else {
        /* a root-owned, world-readable file: refused for its owner first */
        struct stat st;
        if (stat("/etc/passwd", &st) != 0 || st.st_uid == geteuid())
            skip();
        load_refused("/etc/passwd", "not by the current user");
    }
}

/* Symlinks are followed; the checks apply to the target. */
static void test_load_symlink(void **state)
{
    (void)state;
    struct lgn_key want;
    expected_key(&want);
    write_file(tu_path("target"), KEY_HEX, 64, 0600);
    char target[8192];
    snprintf(target, sizeof target, "%s", tu_path("target"));
    assert_int_equal(symlink(target, tu_path("link")), 0);
    load_ok(tu_path("link"), &want);
    assert_int_equal(chmod(target, 0644), 0);
    load_refused(tu_path("link"), "readable by group or others");
}

/* ---- generating ---- */

static void test_generate(void **state)
{
    (void)state;
    char p1[8192], p2[8192];
    snprintf(p1, sizeof p1, "%s", tu_path("gen1"));
    snprintf(p2, sizeof p2, "%s", tu_path("gen2"));
    mode_t old = umask(0); /* a permissive umask must not widen the mode */
    struct lgn_err err = {0};
    int rc1 = lgn_key_generate(p1, &err);
    umask(old);
    if (rc1 != 0)
        fail_msg("lgn_key_generate: %s", err.msg);
    assert_int_equal(lgn_key_generate(p2, &err), 0);

    struct stat st;
    assert_int_equal(stat(p1, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 65);

    /* 64 lowercase hex digits and a newline, loading to the same bytes */
    char buf[100];
    int fd = open(p1, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, buf, sizeof buf), 65);
    close(fd);
    for (size_t i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", buf[i]));
    assert_int_equal(buf[64], '\n');
    struct lgn_key k1, k2;
    assert_int_equal(lgn_key_load(p1, &k1, &err), 0);
    char hex[65];
    tu_hex(k1.bytes, LGN_KEY_LEN, hex);
    assert_memory_equal(hex, buf, 64);

    assert_int_equal(lgn_key_load(p2, &k2, &err), 0);
    assert_memory_not_equal(k1.bytes, k2.bytes, LGN_KEY_LEN);
}

static void test_generate_refuses_existing(void **state)
{
    (void)state;
    write_file(tu_path("exists"), KEY_HEX, 64, 0600);
    struct lgn_err err = {0};
    assert_int_equal(lgn_key_generate(tu_path("exists"), &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_KEY);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_non_null(strstr(err.msg, tu_path("exists")));
    struct lgn_key want;
    expected_key(&want);
    load_ok(tu_path("exists"), &want); /* untouched */

    /* nor through a symlink, even a dangling one */
    char dangling[8192];
    snprintf(dangling, sizeof dangling, "%s", tu_path("nowhere"));
    assert_int_equal(symlink(dangling, tu_path("dangling")), 0);
    assert_int_equal(lgn_key_generate(tu_path("dangling"), &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_KEY);
    struct stat st;
    assert_int_equal(lstat(dangling, &st), -1);
    assert_int_equal(errno, ENOENT);

    assert_int_equal(lgn_key_generate(tu_path("no-such-dir/key"), &err), -1);
    assert_int_equal(err.exit_code, LGN_EXIT_KEY);
    assert_non_null(strstr(err.msg, "cannot create key file"));
}

/* ---- random keys ---- */

static void test_random(void **state)
{
    (void)state;
    struct lgn_key a, b, zero;
    struct lgn_err err = {0};
    memset(&zero, 0, sizeof zero);
    assert_int_equal(lgn_key_random(&a, &err), 0);
    assert_int_equal(lgn_key_random(&b, &err), 0);
    assert_memory_not_equal(a.bytes, b.bytes, LGN_KEY_LEN);
    assert_memory_not_equal(a.bytes, zero.bytes, LGN_KEY_LEN);
}

/* ---- per-day derivation ---- */

/*
 * Expected values computed independently with RFC 5869 written out by hand over
 * Python's hmac/hashlib (not OpenSSL):
 *   ikm = bytes(range(32)); prk = hmac.new(b"lognym", ikm, sha256).digest()
 *   okm = T(1) = hmac.new(prk, b"day:2024-02-29" + b"\x01", sha256).digest()
 * (32 bytes = one block of the expand step), likewise for "day:2024-03-01".
 */
static const char HKDF_2024_02_29[] =
    "95327a93bea4d163a8e8cd6975e11c703f78d89f86d16d86e08dae0c114f13fd";
static const char HKDF_2024_03_01[] =
    "d4bb81911f00f835a4500e5a1352cf4bcafd7cf9af512f3a47554514576e8572";

static void counting_key(struct lgn_key *key)
{
    for (size_t i = 0; i < LGN_KEY_LEN; i++)
        key->bytes[i] = (unsigned char)i;
}

static void derive_hex(const struct lgn_key *master, int y, int m, int d, char hex[65])
{
    struct lgn_key out;
    struct lgn_err err = {0};
    if (lgn_key_derive_day(master, y, m, d, &out, &err) != 0)
        fail_msg("lgn_key_derive_day: %s", err.msg);
    tu_hex(out.bytes, LGN_KEY_LEN, hex);
}

static void test_derive_known_answer(void **state)
{
    (void)state;
    struct lgn_key master;
    counting_key(&master);
    char hex[65];
    derive_hex(&master, 2024, 2, 29, hex);
    assert_string_equal(hex, HKDF_2024_02_29);
    derive_hex(&master, 2024, 3, 1, hex);
    assert_string_equal(hex, HKDF_2024_03_01);

    /* out may alias master */
    struct lgn_err err = {0};
    assert_int_equal(lgn_key_derive_day(&master, 2024, 2, 29, &master, &err), 0);
    tu_hex(master.bytes, LGN_KEY_LEN, hex);
    assert_string_equal(hex, HKDF_2024_02_29);
}

static void test_derive_days(void **state)
{
    (void)state;
    struct lgn_key master, other;
    counting_key(&master);
    counting_key(&other);
    other.bytes[0] ^= 0x80;
    char a[65], b[65], c[65], d[65];
    derive_hex(&master, 2025, 1, 1, a);
    derive_hex(&master, 2025, 1, 1, b);
    assert_string_equal(a, b); /* same day, same key */
    derive_hex(&master, 2025, 1, 2, c);
    assert_string_not_equal(a, c); /* next day, different key */
    derive_hex(&master, 2026, 1, 1, c);
    assert_string_not_equal(a, c); /* same date, next year */
    derive_hex(&other, 2025, 1, 1, d);
    assert_string_not_equal(a, d); /* other master, different key */

    /* every day of a (leap) year gives a distinct key */
    static char seen[366][65];
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int n = 0;
    for (int m = 1; m <= 12; m++)
        for (int day = 1; day <= mdays[m - 1]; day++)
            derive_hex(&master, 2024, m, day, seen[n++]);
    assert_int_equal(n, 366);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            assert_string_not_equal(seen[i], seen[j]);
}

static void test_derive_bad_dates(void **state)
{
    (void)state;
    struct lgn_key master, out;
    counting_key(&master);
    const int bad[][3] = {{2023, 2, 29}, {2100, 2, 29}, {2024, 13, 1}, {2024, 0, 1}, {2024, 4, 31},
                          {2024, 1, 0},  {2024, 1, 32}, {-1, 1, 1},    {10000, 1, 1}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct lgn_err err = {0};
        assert_int_equal(lgn_key_derive_day(&master, bad[i][0], bad[i][1], bad[i][2], &out, &err),
                         -1);
        assert_int_equal(err.exit_code, LGN_EXIT_USAGE);
        assert_non_null(strstr(err.msg, "invalid date"));
    }
    char hex[65];
    derive_hex(&master, 2000, 2, 29, hex); /* a leap year by the 400 rule */
    derive_hex(&master, 2024, 12, 31, hex);
}

/* ---- wiping ---- */

static void test_wipe(void **state)
{
    (void)state;
    struct lgn_key key, zero;
    memset(&zero, 0, sizeof zero);
    expected_key(&key);
    lgn_key_wipe(&key);
    assert_memory_equal(key.bytes, zero.bytes, LGN_KEY_LEN);
    lgn_key_wipe(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_raw),
        cmocka_unit_test(test_load_hex),
        cmocka_unit_test(test_load_bad_length),
        cmocka_unit_test(test_load_not_hex),
        cmocka_unit_test(test_load_mode),
        cmocka_unit_test(test_load_not_regular),
        cmocka_unit_test(test_load_missing),
        cmocka_unit_test(test_load_not_owned),
        cmocka_unit_test(test_load_symlink),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_generate_refuses_existing),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_derive_known_answer),
        cmocka_unit_test(test_derive_days),
        cmocka_unit_test(test_derive_bad_dates),
        cmocka_unit_test(test_wipe),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
