/* lazyjit.c: PCRE2 regexes JIT-compiled on first use, shared by threads. */
#include "lazyjit.h"

#include <stddef.h>

void lgn_lazyjit_init(struct lgn_lazyjit *l, pcre2_code *re)
{
    l->re = re;
    atomic_init(&l->ready, NULL);
}

const pcre2_code *lgn_lazyjit_code(struct lgn_lazyjit *l)
{
    pcre2_code *c = atomic_load_explicit(&l->ready, memory_order_acquire);
    if (c != NULL)
        return c;
    c = pcre2_code_copy(l->re);
    if (c == NULL)
        return l->re; /* out of memory: the interpreter, this once */
    /* JIT is an optimisation: without it (no JIT support) the interpreter runs. */
    (void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    pcre2_code *none = NULL;
    if (atomic_compare_exchange_strong_explicit(&l->ready, &none, c, memory_order_acq_rel,
                                                memory_order_acquire))
        return c;
    pcre2_code_free(c); /* another thread published its copy first */
    return none;
}

void lgn_lazyjit_free(struct lgn_lazyjit *l)
{
    pcre2_code_free(atomic_load_explicit(&l->ready, memory_order_relaxed));
    pcre2_code_free(l->re);
    l->re = NULL;
    atomic_store_explicit(&l->ready, NULL, memory_order_relaxed);
}
