/* lazyjit.h: a PCRE2 regex JIT-compiled when it is first matched, not when
 * it is loaded. Of the ~1,300 user-agent and bot rules a log's few user
 * agents get past the prefilter of only a few, so compiling all of them
 * (most of start-up) is mostly wasted. Threads share one: the first match
 * compiles a private copy and publishes it; a thread that loses the race
 * frees its copy and takes the winner's. */
#ifndef LGN_LAZYJIT_H
#define LGN_LAZYJIT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stdatomic.h>

struct lgn_lazyjit {
    pcre2_code *re;              /* compiled, not JIT-compiled; owned */
    _Atomic(pcre2_code *) ready; /* re's copy, JIT-compiled; NULL until first matched */
};

/* Takes re (from pcre2_compile). */
void lgn_lazyjit_init(struct lgn_lazyjit *l, pcre2_code *re);

/* The code to match with: the JIT-compiled copy, made on the first call
 * (when PCRE2 has no JIT, a copy the interpreter runs). Any thread. */
const pcre2_code *lgn_lazyjit_code(struct lgn_lazyjit *l);

/* Frees both codes (not thread-safe: once no thread matches). */
void lgn_lazyjit_free(struct lgn_lazyjit *l);

#endif
