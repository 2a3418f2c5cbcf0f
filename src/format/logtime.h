/* logtime.h: a log line's time stamp: parsed from its field, or found in a
 * whole line (to read several inputs merged by time). */
#ifndef LGN_LOGTIME_H
#define LGN_LOGTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "10/Oct/2000:13:55:36 -0700" (iso false) or "2000-10-10T13:55:36-07:00"
 * (or Z, with optional fractions) into UTC seconds *t and the offset *tz in
 * minutes. false when it is neither. */
bool lgn_time_parse(const char *p, size_t n, bool iso, int64_t *t, int *tz);

/* The first time stamp of either form in a whole line (the common log
 * format's "[...]" first), into UTC seconds. false when there is none. */
bool lgn_time_find(const char *p, size_t n, int64_t *t);

#endif
