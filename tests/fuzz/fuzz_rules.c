/* fuzz_rules.c: libFuzzer target for the rule-file loader (filters/ *.rules):
 * parsing, PCRE2 compilation and JIT, prefilter extraction, listing.
 * Input: the bytes of one rule file.
 * Checks: no crash or leak; a refused file gives "fuzz.rules:LINE: ..." with
 * exit code 2 (or 70 when out of memory). The loaded rules are listed, not
 * run: a rule's own regex may backtrack without bound, which is the rule
 * author's problem (fuzz_scrub runs the shipped rules on hostile input). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rules.h"

#include "fuzz.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
        abort();
    struct lgn_err err = {0};
    struct lgn_rules *rs = lgn_rules_new(&err);
    if (rs == NULL)
        return 0;
    if (lgn_rules_load_text(rs, "fuzz.rules", (const char *)data, size, &err) == 0) {
        lgn_rules_list(rs, devnull);
    } else if (strncmp(err.msg, "fuzz.rules", 10) != 0 ||
               (err.exit_code != LGN_EXIT_USAGE && err.exit_code != LGN_EXIT_INTERNAL)) {
        fprintf(stderr, "fuzz_rules: bad error (exit %d): %s\n", err.exit_code, err.msg);
        fz_dump("rules", (const char *)data, size);
        abort();
    }
    lgn_rules_free(rs);
    return 0;
}
