/* audit.h: lognym audit: checks that logs hold no personal data (after
 * lognym rotate in a logrotate hook, or a data-protection officer checking
 * an archive), reporting per kind the count and the first lines, never a
 * value found. The lines go through the pipeline (pipeline.c), so its
 * worker threads scan batches of them; each thread has its own scanner and
 * the findings of each batch are added up in input order. */
#ifndef LGN_AUDIT_H
#define LGN_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "anon.h"
#include "config.h"
#include "detect.h"
#include "input.h"
#include "record.h"
#include "scrub.h"

/* What was found: per kind the count, the first places and the field. */
struct lgn_audit_found;

struct lgn_audit_found *lgn_audit_found_new(void); /* NULL when out of memory */
void lgn_audit_found_free(struct lgn_audit_found *f);
void lgn_audit_found_clear(struct lgn_audit_found *f);
/* Adds `later` (found in lines after those of `into`) to `into`. */
void lgn_audit_found_merge(struct lgn_audit_found *into, const struct lgn_audit_found *later);
/* The number of kinds found. */
size_t lgn_audit_found_kinds(const struct lgn_audit_found *f);

/* The settings of an audit run: cfg as given on the command line, made to
 * look at everything (no query dropped, no search terms replaced) and to
 * recognise pseudonyms by their shape (no key file, no daily keys). */
void lgn_audit_config(struct lgn_config *cfg);

/* One thread's scanner: scratch space, and the values already seen clean. */
struct lgn_audit;

struct lgn_audit *lgn_audit_new(void); /* NULL when out of memory */
void lgn_audit_free(struct lgn_audit *a);

/* Scans one line of input number `input` with every detector of s in
 * free-text mode and the address scanner, field by field when a format of
 * fs matches (r receives the fields), leaving out what anon writes; adds
 * the findings to `to`. 0, or -1 when out of memory. */
int lgn_audit_line(struct lgn_audit *a, struct lgn_audit_found *to, struct lgn_scrub *s,
                   const struct lgn_anon *anon, struct lgn_formats *fs, struct lgn_record *r,
                   const struct lgn_line *line, unsigned input);

/* Writes the report of `lines` lines of cfg's inputs (JSON when cfg->audit_json)
 * to out; never a value found. */
void lgn_audit_report(const struct lgn_audit_found *f, const struct lgn_config *cfg,
                      unsigned long long lines, FILE *out);

#endif
