/* session.c: active visitors in a hash table keyed by id plus a list by last activity; their
 * recent hits sorted by time until the reorder window settles them. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

/* Over this backward jump of time (seconds) the input is taken to have
 * restarted on older lines (another file): the newest time seen is reset. */
#define RESTART_JUMP 86400

struct lgn_sessions {
    int64_t timeout, window;
    lgn_visit_hit_fn *on_hit;
    lgn_visit_close_fn *on_close;
    void *ctx;
    struct lgn_visitor **slot; /* open addressing, linear probing */
    size_t mask, n, peak;
    struct lgn_visitor *head, *tail; /* head: least recently active */
    struct lgn_visitor *spare;       /* freed visits for reuse (linked by next) */
    size_t nspare;
    bool have_time;
    int64_t newest;
};

static size_t slot_of(uint64_t visitor, size_t mask)
{
    uint64_t x = visitor * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x ^ (x >> 29)) & mask;
}

struct lgn_sessions *lgn_sessions_new(int64_t timeout_s, int64_t window_s, lgn_visit_hit_fn *on_hit,
                                      lgn_visit_close_fn *on_close, void *ctx)
{
    struct lgn_sessions *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->timeout = timeout_s;
    s->window = window_s;
    s->on_hit = on_hit;
    s->on_close = on_close;
    s->ctx = ctx;
    s->mask = 1023;
    s->slot = calloc(s->mask + 1, sizeof(struct lgn_visitor *));
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
    for (struct lgn_visitor *v = s->head, *nx; v != NULL; v = nx) {
        nx = v->next;
        free(v->pend);
        free(v);
    }
    for (struct lgn_visitor *v = s->spare, *nx; v != NULL; v = nx) {
        nx = v->next;
        free(v->pend);
        free(v);
    }
    free(s->slot);
    free(s);
}

static size_t find(const struct lgn_sessions *s, uint64_t visitor)
{
    size_t i = slot_of(visitor, s->mask);
    while (s->slot[i] != NULL && s->slot[i]->id != visitor)
        i = (i + 1) & s->mask;
    return i;
}

static int grow(struct lgn_sessions *s)
{
    size_t ncap = (s->mask + 1) * 2;
    struct lgn_visitor **ns = calloc(ncap, sizeof(struct lgn_visitor *));
    if (ns == NULL)
        return -1;
    for (size_t i = 0; i <= s->mask; i++) {
        struct lgn_visitor *v = s->slot[i];
        if (v == NULL)
            continue;
        size_t j = slot_of(v->id, ncap - 1);
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
            size_t k = slot_of(s->slot[j]->id, s->mask);
            /* Move j back to i unless its home k lies cyclically in (i, j]. */
            if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
                continue;
            break;
        }
        s->slot[i] = s->slot[j];
        i = j;
    }
}

static void unlink_visit(struct lgn_sessions *s, struct lgn_visitor *v)
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

static void append(struct lgn_sessions *s, struct lgn_visitor *v)
{
    v->prev = s->tail;
    v->next = NULL;
    if (s->tail != NULL)
        s->tail->next = v;
    else
        s->head = v;
    s->tail = v;
}

/* Hands one hit to the visit it belongs to, in time order: a gap longer than
 * the timeout closes the visit before it. */
static void settle(struct lgn_sessions *s, struct lgn_visitor *v, struct lgn_visit_hit h)
{
    struct lgn_visit *vi = &v->visit;
    if (vi->hits > 0 && h.time < vi->last)
        h.time = vi->last; /* later than the window: counted where it arrived */
    if (vi->hits > 0 && h.time > vi->last + s->timeout) {
        if (s->on_close != NULL)
            s->on_close(s->ctx, v);
        vi->hits = 0;
    }
    if (vi->hits == 0) {
        memset(vi, 0, sizeof *vi);
        vi->first = h.time;
    }
    vi->last = h.time;
    vi->hits++;
    if (s->on_hit != NULL)
        s->on_hit(s->ctx, v, &h);
}

/* Settles the visitor's pending hits up to time `upto`. */
static void settle_upto(struct lgn_sessions *s, struct lgn_visitor *v, int64_t upto)
{
    while (v->pstart < v->npend && v->pend[v->pstart].time <= upto)
        settle(s, v, v->pend[v->pstart++]);
    if (v->pstart == v->npend)
        v->pstart = v->npend = 0;
}

static void close_visitor(struct lgn_sessions *s, struct lgn_visitor *v, size_t slot)
{
    settle_upto(s, v, INT64_MAX);
    if (v->visit.hits > 0 && s->on_close != NULL)
        s->on_close(s->ctx, v);
    unlink_visit(s, v);
    remove_slot(s, slot);
    s->n--;
    if (s->nspare < 4096 && v->pcap <= 64) {
        v->next = s->spare;
        s->spare = v;
        s->nspare++;
    } else {
        free(v->pend);
        free(v);
    }
}

/* Closes idle visitors from the head of the list, never `keep`. */
static void sweep(struct lgn_sessions *s, const struct lgn_visitor *keep)
{
    while (s->head != NULL && s->head != keep &&
           s->head->latest + s->timeout + s->window < s->newest) {
        struct lgn_visitor *v = s->head;
        close_visitor(s, v, find(s, v->id));
    }
}

struct lgn_visitor *lgn_sessions_visitor(struct lgn_sessions *s, uint64_t id, bool *is_new)
{
    size_t i = find(s, id);
    struct lgn_visitor *v = s->slot[i];
    if (v != NULL) {
        *is_new = false;
        return v;
    }
    if (2 * (s->n + 1) > s->mask + 1) {
        if (grow(s) != 0)
            return NULL;
        i = find(s, id);
    }
    struct lgn_visit_hit *pend = NULL;
    uint32_t pcap = 0;
    if (s->spare != NULL) {
        v = s->spare;
        s->spare = v->next;
        s->nspare--;
        pend = v->pend; /* the buffer is kept for the next visitor */
        pcap = v->pcap;
    } else {
        v = malloc(sizeof *v);
        if (v == NULL)
            return NULL;
    }
    memset(v, 0, sizeof *v);
    v->id = id;
    v->pend = pend;
    v->pcap = pcap;
    v->latest = INT64_MIN;
    s->slot[i] = v;
    s->n++;
    if (s->n > s->peak)
        s->peak = s->n;
    append(s, v);
    *is_new = true;
    return v;
}

int lgn_sessions_add(struct lgn_sessions *s, struct lgn_visitor *v, const struct lgn_visit_hit *h)
{
    int64_t t = h->time;
    if (!s->have_time || t > s->newest || t < s->newest - RESTART_JUMP) {
        s->newest = t;
        s->have_time = true;
    }
    if (t > v->latest)
        v->latest = t;
    if (v->npend == v->pcap) {
        if (v->pstart > 0) {
            memmove(v->pend, v->pend + v->pstart, (v->npend - v->pstart) * sizeof *v->pend);
            v->npend -= v->pstart;
            v->pstart = 0;
        } else {
            uint32_t nc = v->pcap ? v->pcap * 2 : 4;
            struct lgn_visit_hit *np = realloc(v->pend, nc * sizeof *np);
            if (np == NULL)
                return -1;
            v->pend = np;
            v->pcap = nc;
        }
    }
    /* Insertion from the end: lines are nearly in order. */
    uint32_t j = v->npend;
    while (j > v->pstart &&
           (v->pend[j - 1].time > t || (v->pend[j - 1].time == t && v->pend[j - 1].tie > h->tie))) {
        v->pend[j] = v->pend[j - 1];
        j--;
    }
    v->pend[j] = *h;
    v->npend++;
    unlink_visit(s, v);
    append(s, v);
    settle_upto(s, v, s->newest - s->window);
    sweep(s, v);
    return 0;
}

void lgn_sessions_close_all(struct lgn_sessions *s)
{
    while (s->head != NULL) {
        struct lgn_visitor *v = s->head;
        close_visitor(s, v, find(s, v->id));
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
