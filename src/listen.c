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
#include "syslog.h"

/* nginx sends at most a few KiB per message; 64 KiB covers any datagram. */
#define DGRAM_MAX 65536
#define STOP_DRAIN_MAX 100000

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
