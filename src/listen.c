/* listen.c: a unix datagram socket receiving nginx's syslog output. */
#include "listen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "input.h"
#include "pipeline.h"
#include "signals.h"

/* nginx sends at most a few KiB per message; 64 KiB covers any datagram. */
#define DGRAM_MAX 65536
#define STOP_DRAIN_MAX 100000

/* End of the space-free token at i (i itself when m[i] is a space). */
static size_t token_end(const char *m, size_t len, size_t i)
{
    while (i < len && m[i] != ' ')
        i++;
    return i;
}

/* RFC 5424 after "<PRI>1 ": TIMESTAMP HOST APP-NAME PROCID MSGID, then
 * STRUCTURED-DATA ("-" or [elements], where "\]" does not close one), then
 * a space and an optional UTF-8 BOM before the message. */
static size_t rfc5424_len(const char *m, size_t len, size_t i)
{
    for (int field = 0; field < 5; field++) {
        size_t e = token_end(m, len, i);
        if (e == i || e >= len)
            return 0;
        i = e + 1;
    }
    if (i < len && m[i] == '-') {
        i++;
    } else {
        if (i >= len || m[i] != '[')
            return 0;
        while (i < len && m[i] == '[') {
            for (i++; i < len && m[i] != ']'; i++)
                if (m[i] == '\\' && i + 1 < len)
                    i++;
            if (i >= len)
                return 0;
            i++;
        }
    }
    if (i >= len || m[i] != ' ')
        return 0;
    i++;
    if (len - i >= 3 && memcmp(m + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    return i;
}

/* RFC 3164 after "<PRI>": "Mmm dd hh:mm:ss ", then "HOST TAG: " (nginx,
 * relays) or just "TAG: " (logger and syslog(3) on a local socket). */
static size_t rfc3164_len(const char *m, size_t len, size_t i)
{
    if (len - i < 16 || m[i + 3] != ' ' || m[i + 6] != ' ' || m[i + 9] != ':' || m[i + 12] != ':' ||
        m[i + 15] != ' ')
        return 0;
    i += 16;
    for (int token = 0; token < 2; token++) { /* host or tag, then tag */
        size_t e = token_end(m, len, i);
        /* A tag ends with its only ':' ("2001:db8:: - -" is no tag). */
        if (e > i + 1 && e < len && m[e - 1] == ':' && memchr(m + i, ':', e - 1 - i) == NULL)
            return e + 1;
        if (e == i || e >= len)
            return 0;
        i = e + 1;
    }
    return 0;
}

size_t lgn_syslog_header_len(const char *m, size_t len)
{
    size_t i;
    if (len < 2 || m[0] != '<')
        return 0;
    for (i = 1; i < len && i < 5 && m[i] >= '0' && m[i] <= '9'; i++)
        ;
    if (i == 1 || i >= len || m[i] != '>')
        return 0;
    i++;
    if (len - i >= 2 && m[i] == '1' && m[i + 1] == ' ')
        return rfc5424_len(m, len, i + 2);
    return rfc3164_len(m, len, i);
}

static int open_socket(const char *path, struct lgn_err *err)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path)
        return lgn_err_set(err, LGN_EXIT_USAGE, "unix:%s: socket path too long", path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    struct stat st;
    if (lstat(path, &st) == 0) { /* a socket left by an earlier run is replaced */
        if (!S_ISSOCK(st.st_mode))
            return lgn_err_set(err, LGN_EXIT_USAGE,
                               "unix:%s: exists and is not a socket; refusing to replace it", path);
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "socket: %s", strerror(errno));
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        return lgn_err_set(err, LGN_EXIT_OUTPUT, "unix:%s: cannot listen: %s", path, strerror(e));
    }
    /* nginx's workers run as another user; access is controlled by the
     * directory the socket lives in. */
    chmod(path, 0666);
    return fd;
}

int lgn_listen_run(const struct lgn_config *cfg, const char *address, struct lgn_summary *sum,
                   void (*report)(bool error, const char *msg), struct lgn_err *err)
{
    if (strncmp(address, "unix:", 5) != 0 || address[5] == '\0')
        return lgn_err_set(err, LGN_EXIT_USAGE,
                           "listen wants unix:PATH (nginx: access_log syslog:server=unix:PATH)"),
               LGN_EXIT_USAGE;
    const char *path = address + 5;
    char *buf = malloc(DGRAM_MAX);
    if (buf == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory"), LGN_EXIT_INTERNAL;
    struct lgn_pipeline *p = lgn_pipeline_new(cfg, sum, report, err);
    int fd = p ? open_socket(path, err) : -1;
    int code = LGN_EXIT_OK;
    if (p == NULL || fd < 0) {
        code = err->exit_code;
        goto done;
    }
    struct lgn_line line = {.had_newline = true};
    char name[128];
    snprintf(name, sizeof name, "unix:%s", path);
    /* After a stop signal, the datagrams already queued are still written
     * (a sender kept sending meanwhile: at most STOP_DRAIN_MAX more). */
    bool stopping = false;
    size_t drain_left = 0;
    for (;;) {
        if (!stopping && lgn_signal_stop_requested()) {
            stopping = true;
            drain_left = STOP_DRAIN_MAX;
        }
        /* Drain what is queued, then flush before blocking: piped lines
         * reach the file at once, bursts still get large writes. */
        ssize_t n = recv(fd, buf, DGRAM_MAX, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (stopping)
                break;
            if (lgn_pipeline_flush(p) != 0) {
                code = err->exit_code;
                break;
            }
            if (lgn_signal_stop_requested()) /* taken while flushing */
                continue;
            n = recv(fd, buf, DGRAM_MAX, 0);
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            lgn_err_set(err, LGN_EXIT_INPUT, "%s: receive failed: %s", name, strerror(errno));
            code = LGN_EXIT_INPUT;
            break;
        }
        size_t len = (size_t)n;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
            len--;
        size_t head = lgn_syslog_header_len(buf, len);
        line.p = buf + head;
        line.len = len - head;
        line.lineno++;
        if (lgn_pipeline_line(p, &line, name) != 0) {
            code = err->exit_code;
            break;
        }
        if (stopping && --drain_left == 0)
            break;
    }
    if (code == LGN_EXIT_OK && lgn_pipeline_finish(p) != 0)
        code = err->exit_code;
done:
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    lgn_pipeline_free(p);
    free(buf);
    return code;
}
