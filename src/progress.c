/* progress.c: the progress line, redrawn in place with '\r'. */
#include "progress.h"

#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void lgn_progress_start(struct lgn_progress *p, FILE *out)
{
    p->out = out;
    p->shown = false;
    p->start = now();
    p->last = p->start - 1; /* the first update draws at once */
}

void lgn_progress_update(struct lgn_progress *p, const char *name, uint64_t done, int64_t total,
                         unsigned long long lines)
{
    double t = now();
    if (p->out == NULL || t - p->last < 0.25)
        return;
    p->last = t;
    double secs = t - p->start > 1e-6 ? t - p->start : 1e-6;
    double mb = (double)done / 1e6;
    fprintf(p->out, "\r\033[Klognym: %s: %.1f MB, %.0f lines/s", name, mb, (double)lines / secs);
    if (total > 0 && done > 0 && done <= (uint64_t)total) {
        double eta = secs * (double)((uint64_t)total - done) / (double)done;
        fprintf(p->out, ", %.0f%%, ETA %.0f s", 100.0 * (double)done / (double)total, eta);
    }
    fflush(p->out);
    p->shown = true;
}

void lgn_progress_clear(struct lgn_progress *p)
{
    if (p->out != NULL && p->shown) {
        fprintf(p->out, "\r\033[K");
        fflush(p->out);
    }
    p->shown = false;
}
