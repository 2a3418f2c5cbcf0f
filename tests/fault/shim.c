/* shim.c: an LD_PRELOAD library for fault-injection tests (not part of lognym).
 * It makes the Nth call of one function fail, or counts the calls.
 *
 *   FAULT_FUNC=write|fsync|rename|open|malloc   the function to fail
 *   FAULT_N=N          fail its Nth call (1-based); FAULT_STICKY=1: and every later one
 *   FAULT_COUNT=FILE   count mode: at exit, append "write N", "fsync N", ... to FILE
 *
 * write: write/pwrite/writev to a regular file (where ENOSPC and EIO happen;
 *        not stderr, which must carry the message, nor lognym's internal
 *        wake-up pipes, whose non-blocking 1-byte writes cannot fail so);
 *        fails with ENOSPC.              fsync: fsync/fdatasync, EIO.
 * rename: rename/renameat, EXDEV.       open: open/openat/creat/mkstemp/mkostemp, EMFILE.
 * malloc: malloc/calloc/realloc/posix_memalign/aligned_alloc (through glibc's
 *        __libc_* entry points, so dlsym needs no allocator), NULL with ENOMEM.
 * Calls from every thread are counted (atomically). Build:
 *   cc -shared -fPIC -O1 -o shim.so tests/fault/shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { F_WRITE, F_FSYNC, F_RENAME, F_OPEN, F_MALLOC, F_N };
static const char *const fname[F_N] = {"write", "fsync", "rename", "open", "malloc"};

static unsigned long counts[F_N];
static int target = -1;      /* function to fail, -1: none */
static unsigned long fail_n; /* 1-based */
static int sticky;
static int ready; /* 1 once the environment was read */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static void setup(void)
{
    if (ready)
        return;
    /* getenv does not allocate. */
    const char *f = getenv("FAULT_FUNC"), *n = getenv("FAULT_N"), *s = getenv("FAULT_STICKY");
    if (f != NULL && n != NULL)
        for (int i = 0; i < F_N; i++)
            if (strcmp(f, fname[i]) == 0)
                target = i;
    fail_n = n ? strtoul(n, NULL, 10) : 0;
    sticky = s != NULL && s[0] == '1';
    ready = 1;
}

/* Counts a call; true when this one must fail. */
static int hit(int fn)
{
    setup();
    unsigned long c = __atomic_add_fetch(&counts[fn], 1, __ATOMIC_SEQ_CST);
    return fn == target && fail_n > 0 && (c == fail_n || (sticky && c > fail_n));
}

__attribute__((destructor)) static void report_counts(void)
{
    const char *path = getenv("FAULT_COUNT");
    if (path == NULL)
        return;
    char buf[256];
    int len = 0;
    for (int i = 0; i < F_N; i++)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%s %lu\n", fname[i], counts[i]);
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        if (syscall(SYS_write, fd, buf, (size_t)len) < 0)
            len = 0;
        close(fd);
    }
}

/* The real functions, found once at load time (before main) so that a
 * failing malloc never meets dlsym; lazily too, for callers that come first. */
#define REAL(ret, name, args)                                                                      \
    static ret(*real_##name) args;                                                                 \
    static void find_##name(void)                                                                  \
    {                                                                                              \
        if (real_##name == NULL)                                                                   \
            *(void **)&real_##name = dlsym(RTLD_NEXT, #name);                                      \
    }
REAL(ssize_t, write, (int, const void *, size_t))
REAL(ssize_t, pwrite, (int, const void *, size_t, off_t))
REAL(ssize_t, writev, (int, const struct iovec *, int))
REAL(int, fsync, (int))
REAL(int, fdatasync, (int))
REAL(int, rename, (const char *, const char *))
REAL(int, renameat, (int, const char *, int, const char *))
REAL(int, open, (const char *, int, ...))
REAL(int, open64, (const char *, int, ...))
REAL(int, openat, (int, const char *, int, ...))
REAL(int, creat, (const char *, mode_t))
REAL(int, mkstemp, (char *))
REAL(int, mkostemp, (char *, int))

__attribute__((constructor)) static void find_all(void)
{
    setup();
    find_write(), find_pwrite(), find_writev(), find_fsync(), find_fdatasync();
    find_rename(), find_renameat(), find_open(), find_open64(), find_openat();
    find_creat(), find_mkstemp(), find_mkostemp();
}

/* ---- write ---- */
static int file_fd(int fd)
{
    struct stat st;
    return fd != 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

ssize_t write(int fd, const void *p, size_t n)
{
    find_write();
    if (file_fd(fd) && hit(F_WRITE))
        return errno = ENOSPC, -1;
    return real_write(fd, p, n);
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t off)
{
    find_pwrite();
    if (file_fd(fd) && hit(F_WRITE))
        return errno = ENOSPC, -1;
    return real_pwrite(fd, p, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    find_writev();
    if (file_fd(fd) && hit(F_WRITE))
        return errno = ENOSPC, -1;
    return real_writev(fd, iov, cnt);
}

/* ---- fsync ---- */
int fsync(int fd)
{
    find_fsync();
    if (hit(F_FSYNC))
        return errno = EIO, -1;
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    find_fdatasync();
    if (hit(F_FSYNC))
        return errno = EIO, -1;
    return real_fdatasync(fd);
}

/* ---- rename ---- */
int rename(const char *a, const char *b)
{
    find_rename();
    if (hit(F_RENAME))
        return errno = EXDEV, -1;
    return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b)
{
    find_renameat();
    if (hit(F_RENAME))
        return errno = EXDEV, -1;
    return real_renameat(da, a, db, b);
}

/* ---- open ---- */
int open(const char *path, int flags, ...)
{
    find_open();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (hit(F_OPEN))
        return errno = EMFILE, -1;
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    find_open64();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (hit(F_OPEN))
        return errno = EMFILE, -1;
    return real_open64(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
    find_openat();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (hit(F_OPEN))
        return errno = EMFILE, -1;
    return real_openat(dir, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    find_creat();
    if (hit(F_OPEN))
        return errno = EMFILE, -1;
    return real_creat(path, mode);
}

int mkstemp(char *tmpl)
{
    find_mkstemp();
    if (hit(F_OPEN))
        return errno = EMFILE, -1;
    return real_mkstemp(tmpl);
}

int mkostemp(char *tmpl, int flags)
{
    find_mkostemp();
    if (hit(F_OPEN))
        return errno = EMFILE, -1;
    return real_mkostemp(tmpl, flags);
}

/* ---- malloc ---- */
/* Allocations made by OpenSSL's libcrypto itself are neither counted nor
 * failed unless FAULT_LIBCRYPTO=1: OpenSSL 3.0 dereferences a NULL lock when
 * an allocation fails inside its lazy initialisation (RAND_bytes), a crash in
 * the library that lognym cannot handle. lognym's own allocations, and those
 * of PCRE2, zlib and libmaxminddb, are still failed. */
static int from_libcrypto(const void *caller)
{
    static int all = -1;
    if (all < 0) {
        const char *e = getenv("FAULT_LIBCRYPTO");
        all = e != NULL && e[0] == '1';
    }
    Dl_info info;
    return !all && dladdr(caller, &info) != 0 && info.dli_fname != NULL &&
           strstr(info.dli_fname, "libcrypto") != NULL;
}

void *malloc(size_t n)
{
    if (from_libcrypto(__builtin_return_address(0)))
        return __libc_malloc(n);
    if (hit(F_MALLOC))
        return errno = ENOMEM, NULL;
    return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
    if (from_libcrypto(__builtin_return_address(0)))
        return __libc_calloc(k, n);
    if (hit(F_MALLOC))
        return errno = ENOMEM, NULL;
    return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
    if (from_libcrypto(__builtin_return_address(0)))
        return __libc_realloc(p, n);
    if (hit(F_MALLOC))
        return errno = ENOMEM, NULL;
    return __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (hit(F_MALLOC))
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    if (hit(F_MALLOC))
        return errno = ENOMEM, NULL;
    return __libc_memalign(align, n);
}
