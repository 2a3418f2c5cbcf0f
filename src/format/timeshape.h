/* timeshape.h: the shape of a time written by a custom format (Apache
 * %{FORMAT}t): digits where the strftime pattern has %Y %m %d ..., letters
 * where it has %b %a %Z, its own literal separators. A value without that
 * shape is no time, and the rewriter handles it as free text. */
#ifndef LGN_TIMESHAPE_H
#define LGN_TIMESHAPE_H

#include <stdbool.h>
#include <stddef.h>

struct lgn_timeshape;

/* Compiles Apache's %{FORMAT}t argument: a strftime pattern (with an
 * optional "begin:" / "end:"), or one of sec, msec, usec, msec_frac,
 * usec_frac. *out is NULL when the pattern holds a conversion whose output
 * has no fixed shape (%c %x %X: the locale's). Returns -1 when out of memory. */
int lgn_timeshape_compile(const char *fmt, size_t n, struct lgn_timeshape **out);

/* Whether [p, p+n) has the shape (the whole value). */
bool lgn_timeshape_match(const struct lgn_timeshape *s, const char *p, size_t n);

void lgn_timeshape_free(struct lgn_timeshape *s);

#endif
