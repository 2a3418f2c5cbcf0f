/* key.c: 32-byte secret keys: loading key files, keygen, random keys, per-day HKDF, wiping. */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

/* Longest valid key file: 64 hex digits + "\r\n". We read one byte more than
 * that so that an over-long file is detected without reading all of it. */
#define KEY_FILE_MAX (2 * LGN_KEY_LEN + 2)

static const char HKDF_SALT[] = "lognym";

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the whole of fd (at most cap bytes; *len = cap + 1 signals "more").
 * Returns 0, or -1 with errno set. */
static int read_all(int fd, unsigned char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    for (;;) {
        unsigned char *dst = buf + n;
        size_t room = cap - n;
        unsigned char extra;
        if (room == 0) { /* probe for one more byte without overflowing buf */
            dst = &extra;
            room = 1;
        }
        ssize_t r = read(fd, dst, room);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        if (dst == &extra) {
            OPENSSL_cleanse(&extra, sizeof extra);
            n = cap + 1;
            break;
        }
        n += (size_t)r;
    }
    *len = n;
    return 0;
}

/* Decodes the contents of a key file into key. Never puts key bytes in err. */
static int parse_key(const char *path, const unsigned char *buf, size_t len, struct lgn_key *key,
                     struct lgn_err *err)
{
    if (len == LGN_KEY_LEN) {
        memcpy(key->bytes, buf, LGN_KEY_LEN);
        return 0;
    }
    size_t digits = len;
    if (digits == 2 * LGN_KEY_LEN + 1 && buf[2 * LGN_KEY_LEN] == '\n')
        digits = 2 * LGN_KEY_LEN;
    else if (digits == 2 * LGN_KEY_LEN + 2 && buf[2 * LGN_KEY_LEN] == '\r' &&
             buf[2 * LGN_KEY_LEN + 1] == '\n')
        digits = 2 * LGN_KEY_LEN;
    if (digits != 2 * LGN_KEY_LEN) {
        if (len == 0)
            return lgn_err_set(err, LGN_EXIT_KEY, "key file %s is empty", path);
        if (len > KEY_FILE_MAX)
            return lgn_err_set(err, LGN_EXIT_KEY,
                               "key file %s is too long: expected 32 raw bytes or 64 hex digits",
                               path);
        return lgn_err_set(err, LGN_EXIT_KEY,
                           "key file %s has %zu bytes: expected 32 raw bytes or 64 hex digits "
                           "with an optional trailing newline",
                           path, len);
    }
    unsigned char tmp[LGN_KEY_LEN];
    for (size_t i = 0; i < LGN_KEY_LEN; i++) {
        int hi = hex_value(buf[2 * i]);
        int lo = hex_value(buf[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            OPENSSL_cleanse(tmp, sizeof tmp);
            /* The offset of the bad character is reported, never its value. */
            return lgn_err_set(err, LGN_EXIT_KEY,
                               "key file %s is not 64 hex digits (bad character at offset %zu)",
                               path, hi < 0 ? 2 * i : 2 * i + 1);
        }
        tmp[i] = (unsigned char)(hi << 4 | lo);
    }
    memcpy(key->bytes, tmp, LGN_KEY_LEN);
    OPENSSL_cleanse(tmp, sizeof tmp);
    return 0;
}

/* Checks what fstat says about an opened key file. */
static int check_key_stat(const char *path, const struct stat *st, struct lgn_err *err)
{
    if (!S_ISREG(st->st_mode))
        return lgn_err_set(err, LGN_EXIT_KEY, "key file %s is not a regular file", path);
    if (st->st_uid != geteuid())
        return lgn_err_set(err, LGN_EXIT_KEY,
                           "key file %s is owned by uid %lu, not by the current user (uid %lu)",
                           path, (unsigned long)st->st_uid, (unsigned long)geteuid());
    unsigned mode = (unsigned)(st->st_mode & 07777);
    if (mode & 077) {
        const char *what = (mode & 044) ? "readable" : (mode & 022) ? "writable" : "accessible";
        return lgn_err_set(err, LGN_EXIT_KEY,
                           "key file %s is %s by group or others (mode %04o); run: chmod 600 %s",
                           path, what, mode, path);
    }
    return 0;
}

/*
 * Symlinks are followed (no O_NOFOLLOW): key files are commonly reached
 * through links (e.g. secret volumes mounted by container runtimes). Every
 * check is made with fstat on the descriptor actually read, so what is checked
 * is the file whose bytes become the key, with no race between check and read.
 * O_NONBLOCK keeps a FIFO or device from blocking the open; it is refused as
 * "not a regular file" right after.
 */
int lgn_key_load(const char *path, struct lgn_key *key, struct lgn_err *err)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return lgn_err_set(err, LGN_EXIT_KEY, "cannot open key file %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return lgn_err_set(err, LGN_EXIT_KEY, "cannot stat key file %s: %s", path, strerror(e));
    }
    if (check_key_stat(path, &st, err) != 0) {
        close(fd);
        return -1;
    }
    unsigned char buf[KEY_FILE_MAX];
    size_t len = 0;
    int rc = read_all(fd, buf, sizeof buf, &len);
    int e = errno;
    close(fd);
    if (rc != 0) {
        OPENSSL_cleanse(buf, sizeof buf);
        return lgn_err_set(err, LGN_EXIT_KEY, "cannot read key file %s: %s", path, strerror(e));
    }
    rc = parse_key(path, buf, len, key, err);
    OPENSSL_cleanse(buf, sizeof buf);
    return rc;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Best effort: makes the new directory entry durable. Errors are ignored, as
 * the key itself is already on disk and some file systems refuse this. */
static void fsync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL) {
        dir[0] = '.';
        dir[1] = '\0';
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return;
    (void)fsync(dfd);
    close(dfd);
}

/*
 * Every failure, including "the file exists", is LGN_EXIT_KEY: key generation
 * is about the key file, and one exit code lets scripts tell key problems from
 * the rest. An existing file is never overwritten (O_EXCL, which also refuses
 * a symlink at path, dangling or not); the caller removes it first if meant.
 * A failure after creation removes the partial file, which is ours by O_EXCL.
 */
int lgn_key_generate(const char *path, struct lgn_err *err)
{
    struct lgn_key key;
    if (lgn_key_random(&key, err) != 0)
        return -1;
    static const char digits[] = "0123456789abcdef";
    char hex[2 * LGN_KEY_LEN + 1];
    for (size_t i = 0; i < LGN_KEY_LEN; i++) {
        hex[2 * i] = digits[key.bytes[i] >> 4];
        hex[2 * i + 1] = digits[key.bytes[i] & 0xf];
    }
    hex[2 * LGN_KEY_LEN] = '\n';
    lgn_key_wipe(&key);

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        OPENSSL_cleanse(hex, sizeof hex);
        if (e == EEXIST)
            return lgn_err_set(err, LGN_EXIT_KEY,
                               "key file %s already exists; refusing to overwrite it", path);
        return lgn_err_set(err, LGN_EXIT_KEY, "cannot create key file %s: %s", path, strerror(e));
    }
    const char *step = "set the mode of";
    int rc = fchmod(fd, 0600); /* the umask may only clear bits, but be sure */
    if (rc == 0) {
        step = "write";
        rc = write_all(fd, hex, sizeof hex);
    }
    if (rc == 0) {
        step = "sync";
        rc = fsync(fd);
    }
    int e = errno;
    OPENSSL_cleanse(hex, sizeof hex);
    if (close(fd) != 0 && rc == 0) {
        e = errno;
        step = "close";
        rc = -1;
    }
    if (rc != 0) {
        unlink(path);
        return lgn_err_set(err, LGN_EXIT_KEY, "cannot %s key file %s: %s", step, path, strerror(e));
    }
    fsync_parent_dir(path);
    return 0;
}

int lgn_key_random(struct lgn_key *key, struct lgn_err *err)
{
    if (RAND_bytes(key->bytes, LGN_KEY_LEN) != 1) {
        ERR_clear_error();
        OPENSSL_cleanse(key->bytes, LGN_KEY_LEN);
        return lgn_err_set(err, LGN_EXIT_INTERNAL,
                           "cannot generate a random key: the OpenSSL random generator failed");
    }
    return 0;
}

static int valid_date(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1)
        return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = mdays[month - 1] + (month == 2 && leap);
    return day <= max;
}

/* out may be the same object as master. */
int lgn_key_derive_day(const struct lgn_key *master, int year, int month, int day,
                       struct lgn_key *out, struct lgn_err *err)
{
    if (!valid_date(year, month, day))
        return lgn_err_set(err, LGN_EXIT_USAGE, "invalid date for the daily key: %d-%02d-%02d",
                           year, month, day);
    char info[32];
    int n = snprintf(info, sizeof info, "day:%04d-%02d-%02d", year, month, day);
    if (n < 0 || (size_t)n >= sizeof info)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "daily key label truncated");

    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    EVP_KDF_free(kdf); /* the context keeps its own reference */
    if (kctx == NULL) {
        ERR_clear_error();
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "cannot set up HKDF-SHA256 (OpenSSL)");
    }
    OSSL_PARAM params[5];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)master->bytes, LGN_KEY_LEN);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)HKDF_SALT,
                                                  sizeof HKDF_SALT - 1);
    params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, (size_t)n);
    params[4] = OSSL_PARAM_construct_end();

    unsigned char tmp[LGN_KEY_LEN];
    int ok = EVP_KDF_derive(kctx, tmp, sizeof tmp, params) == 1;
    EVP_KDF_CTX_free(kctx); /* cleanses its copy of the master key */
    if (!ok) {
        ERR_clear_error();
        OPENSSL_cleanse(tmp, sizeof tmp);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "HKDF-SHA256 derivation failed (OpenSSL)");
    }
    memcpy(out->bytes, tmp, LGN_KEY_LEN);
    OPENSSL_cleanse(tmp, sizeof tmp);
    return 0;
}

void lgn_key_wipe(struct lgn_key *key)
{
    if (key != NULL)
        OPENSSL_cleanse(key->bytes, sizeof key->bytes);
}
