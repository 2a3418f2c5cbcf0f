/* rules.h: scrubbing rules from filters/ *.rules files, compiled (and
 * JIT-compiled) once with PCRE2. The file format is in filters/README.md. */
#ifndef LGN_RULES_H
#define LGN_RULES_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif

#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "validate.h"

enum lgn_action {
    LGN_ACT_DROP,   /* remove the query parameter (elsewhere: redact) */
    LGN_ACT_REDACT, /* replace with a marker naming the kind: %5Bemail%5D, [email] */
    LGN_ACT_HASH,   /* replace with a keyed pseudonym LABEL-<12 hex> */
    LGN_ACT_KEEP,   /* leave it, and let no later rule touch it */
};

#define LGN_LABEL_MAX 24

/* `when`: a condition on the URL a name rule's parameter is in. */
enum lgn_when {
    LGN_WHEN_ALWAYS,
    LGN_WHEN_OAUTH_CALLBACK, /* a `state` parameter beside `code`, or a path
                              * holding "callback", "oauth" or "authorize" */
};

/* `expect INPUT => OUTPUT`: INPUT scrubbed as a URL gives OUTPUT. */
struct lgn_example {
    char *input, *output;
    unsigned line;
};

struct lgn_rule {
    char *id;         /* the name after `rule` */
    const char *file; /* owned by the rule set */
    unsigned line;    /* of the `rule` line */
    char *name_src, *value_src;
    pcre2_code *name_re; /* whole parameter name, caseless; NULL: any */
    char **words;        /* `words`: a name matches when one of its words (or two
                          * adjacent ones written together) is listed; see names.h */
    size_t n_words;
    enum lgn_when when;
    pcre2_code *value_re; /* searched in values; NULL: the whole value */
    enum lgn_check check;
    enum lgn_action action;
    char label[LGN_LABEL_MAX + 1];
    /* Prefilter: a text that fails it cannot match value_re, so the regex
     * is not run. From PCRE2 (first bytes, a required byte, minimum length)
     * and the rule's own hints (min-digits, contains). */
    uint64_t first[4]; /* bytes a match can start with */
    int required;      /* a byte every match holds, or -1 */
    size_t min_len;
    unsigned min_digits;
    char *contains;
    size_t contains_len;
    struct lgn_example *examples;
    size_t n_examples;
};

struct lgn_rules {
    struct lgn_rule *v;
    size_t n, cap;
    char **files; /* names of the loaded files, in load order */
    size_t n_files;
};

struct lgn_rules *lgn_rules_new(struct lgn_err *err);
void lgn_rules_free(struct lgn_rules *rs); /* accepts NULL */

/* Loads every *.rules file of dir, in sorted (strcmp) order. A directory
 * with no rule file is an error (a typo would otherwise scrub nothing). */
int lgn_rules_load_dir(struct lgn_rules *rs, const char *dir, struct lgn_err *err);
/* Loads one rule file. Errors read "FILE:LINE: message", exit code 2. */
int lgn_rules_load_file(struct lgn_rules *rs, const char *path, struct lgn_err *err);
/* Loads rules from memory; `name` stands for the file name in messages. */
int lgn_rules_load_text(struct lgn_rules *rs, const char *name, const char *text, size_t len,
                        struct lgn_err *err);

/* The default rule directory `filters`, found by lgn_datafile_find. Fills
 * buf and returns it, or returns NULL when none of the places is a
 * directory (buf then lists the places looked at). */
const char *lgn_rules_default_dir(char *buf, size_t cap);

/* The PCRE2 callout that runs a rule's validator during matching, so a
 * failed check backtracks to a shorter or later match. Set it on the match
 * context used with the rules' value patterns. */
int lgn_rules_callout(pcre2_callout_block *cb, void *data);

/* Writes one line per rule: where, id, what it matches, check, action. */
void lgn_rules_list(const struct lgn_rules *rs, FILE *out);

const char *lgn_action_name(enum lgn_action a);

/* True when the rule has a name test (`name` or `words`). */
static inline bool lgn_rule_has_name(const struct lgn_rule *r)
{
    return r->name_re != NULL || r->n_words > 0;
}

#endif
