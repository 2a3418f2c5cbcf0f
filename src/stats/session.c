/* session.c: open visits in a hash table keyed by visitor id plus a list by last activity. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

/* Over this backward jump of time (seconds) the input is taken to have
 * restarted on older lines (another file): the newest time seen is reset. */
#define RESTART_JUMP 86400

struct lgn_sessions {
    int64_t timeout;
    lgn_visit_close_fn *on_close;
    void *ctx;
    struct lgn_visit **slot; /* open addressing, linear probing */
    size_t mask, n, peak;
    struct lgn_visit *head, *tail; /* head: least recently active */
    struct lgn_visit *spare;       /* freed visits for reuse (linked by next) */
    size_t nspare;
    bool have_time;
    int64_t newest;
};

static size_t slot_of(uint64_t visitor, size_t mask)
{
    uint64_t x = visitor * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x ^ (x >> 29)) & mask;
}

struct lgn_sessions *lgn_sessions_new(int64_t timeout_s, lgn_visit_close_fn *on_close, void *ctx)
{
    struct lgn_sessions *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->timeout = timeout_s;
    s->on_close = on_close;
    s->ctx = ctx;
    s->mask = 1023;
    s->slot = calloc(s->mask + 1, sizeof(struct lgn_visit *));
    if (s->slot == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

void lgn_sessions_free(struct lgn_sessions *s)
{
    if (s == NULL)
        return;
    for (struct lgn_visit *v = s->head, *nx; v != NULL; v = nx) {
        nx = v->next;
        free(v);
    }
    for (struct lgn_visit *v = s->spare, *nx; v != NULL; v = nx) {
        nx = v->next;
        free(v);
    }
    free(s->slot);
    free(s);
}

static size_t find(const struct lgn_sessions *s, uint64_t visitor)
{
    size_t i = slot_of(visitor, s->mask);
    while (s->slot[i] != NULL && s->slot[i]->visitor != visitor)
        i = (i + 1) & s->mask;
    return i;
}

static int grow(struct lgn_sessions *s)
{
    size_t ncap = (s->mask + 1) * 2;
    struct lgn_visit **ns = calloc(ncap, sizeof(struct lgn_visit *));
    if (ns == NULL)
        return -1;
    for (size_t i = 0; i <= s->mask; i++) {
        struct lgn_visit *v = s->slot[i];
        if (v == NULL)
            continue;
        size_t j = slot_of(v->visitor, ncap - 1);
        while (ns[j] != NULL)
            j = (j + 1) & (ncap - 1);
        ns[j] = v;
    }
    free(s->slot);
    s->slot = ns;
    s->mask = ncap - 1;
    return 0;
}

/* Removes the entry at slot i, shifting later entries of the run back. */
static void remove_slot(struct lgn_sessions *s, size_t i)
{
    size_t j = i;
    for (;;) {
        s->slot[i] = NULL;
        for (;;) {
            j = (j + 1) & s->mask;
            if (s->slot[j] == NULL)
                return;
            size_t k = slot_of(s->slot[j]->visitor, s->mask);
            /* Move j back to i unless its home k lies cyclically in (i, j]. */
            if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
                continue;
            break;
        }
        s->slot[i] = s->slot[j];
        i = j;
    }
}

static void unlink_visit(struct lgn_sessions *s, struct lgn_visit *v)
{
    if (s->head == v)
        s->head = v->next;
    else
        v->prev->next = v->next;
    if (s->tail == v)
        s->tail = v->prev;
    else
        v->next->prev = v->prev;
    v->prev = v->next = NULL;
}

static void append(struct lgn_sessions *s, struct lgn_visit *v)
{
    v->prev = s->tail;
    v->next = NULL;
    if (s->tail != NULL)
        s->tail->next = v;
    else
        s->head = v;
    s->tail = v;
}

static void close_visit(struct lgn_sessions *s, struct lgn_visit *v, size_t slot)
{
    if (s->on_close != NULL)
        s->on_close(s->ctx, v);
    unlink_visit(s, v);
    remove_slot(s, slot);
    s->n--;
    if (s->nspare < 4096) {
        v->next = s->spare;
        s->spare = v;
        s->nspare++;
    } else {
        free(v);
    }
}

/* Closes idle visits from the head of the list, never `keep`. */
static void sweep(struct lgn_sessions *s, const struct lgn_visit *keep)
{
    while (s->head != NULL && s->head != keep &&
           s->head->last + s->timeout + LGN_SESSION_SLACK < s->newest) {
        struct lgn_visit *v = s->head;
        close_visit(s, v, find(s, v->visitor));
    }
}

struct lgn_visit *lgn_sessions_hit(struct lgn_sessions *s, uint64_t visitor, int64_t t,
                                   bool *is_new)
{
    if (!s->have_time || t > s->newest || t < s->newest - RESTART_JUMP) {
        s->newest = t;
        s->have_time = true;
    }
    size_t i = find(s, visitor);
    struct lgn_visit *v = s->slot[i];
    if (v != NULL && (t > v->last + s->timeout || t < v->first - s->timeout)) {
        close_visit(s, v, i);
        v = NULL;
        i = find(s, visitor);
    }
    if (v != NULL) {
        *is_new = false;
        if (t > v->last)
            v->last = t;
        if (t < v->first)
            v->first = t;
        v->hits++;
        unlink_visit(s, v);
        append(s, v);
    } else {
        if (2 * (s->n + 1) > s->mask + 1) {
            if (grow(s) != 0)
                return NULL;
            i = find(s, visitor);
        }
        if (s->spare != NULL) {
            v = s->spare;
            s->spare = v->next;
            s->nspare--;
        } else {
            v = malloc(sizeof *v);
            if (v == NULL)
                return NULL;
        }
        memset(v, 0, sizeof *v);
        v->visitor = visitor;
        v->first = v->last = t;
        v->hits = 1;
        s->slot[i] = v;
        s->n++;
        if (s->n > s->peak)
            s->peak = s->n;
        append(s, v);
        *is_new = true;
    }
    sweep(s, v);
    return v;
}

void lgn_sessions_close_all(struct lgn_sessions *s)
{
    while (s->head != NULL) {
        struct lgn_visit *v = s->head;
        close_visit(s, v, find(s, v->visitor));
    }
}

size_t lgn_sessions_open(const struct lgn_sessions *s)
{
    return s->n;
}

size_t lgn_sessions_peak(const struct lgn_sessions *s)
{
    return s->peak;
}
