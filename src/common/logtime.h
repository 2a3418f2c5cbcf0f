/* logtime.h: the calendar arithmetic and the access-log time stamps, written
 * once: month names, fixed-width digits, days from/to a civil date (Howard
 * Hinnant's algorithms), and the Common Log Format / ISO 8601 times. */
#ifndef LGN_LOGTIME_H
#define LGN_LOGTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 1 to 12 for "Jan" to "Dec" at m[0..3), else 0. */
int lgn_logtime_month(const char *m);
/* The value of the n decimal digits at p, or -1 when one is not a digit. */
int lgn_logtime_digits(const char *p, int n);
/* Days since 1970-01-01 of the civil date y-m-d. */
int64_t lgn_logtime_days_from_civil(int64_t y, int64_t m, int64_t d);
/* The civil date of a day number (days since 1970-01-01). */
void lgn_logtime_civil_from_days(int64_t day, int64_t *y, int64_t *m, int64_t *d);
/* A log line's time: "10/Oct/2000:13:55:36 -0700" (iso false) or
 * "2000-10-10T13:55:36-07:00" / "...Z" (iso true), n bytes at p. Sets *t
 * (Unix seconds, UTC) and *tz (the offset in minutes); false when unreadable. */
bool lgn_logtime_parse(const char *p, size_t n, bool iso, int64_t *t, int *tz);

/* The last Common Log Format time one reader parsed (zero it to start):
 * consecutive lines mostly share all but the seconds, so the next one is
 * read by comparing, not by parsing and calendar arithmetic again. */
struct lgn_logtime_memo {
    char key[24];   /* the stamp without its seconds (bytes 0-17 and 20-25) */
    int64_t minute; /* Unix seconds at second 0 of that stamp */
    int tz;
    bool valid;
};
/* lgn_logtime_parse with the same results, remembering the last CLF stamp in
 * m (NULL: none). */
bool lgn_logtime_parse_memo(struct lgn_logtime_memo *m, const char *p, size_t n, bool iso,
                            int64_t *t, int *tz);
/* The first time stamp of either form anywhere in a whole line (the Common
 * Log Format's "[...]" first), as Unix seconds: to read several inputs
 * merged by time before their format is matched. false when there is none.
 * m (NULL: none) remembers the last CLF stamp, as in lgn_logtime_parse_memo. */
bool lgn_logtime_find(struct lgn_logtime_memo *m, const char *p, size_t n, int64_t *t);

#endif
