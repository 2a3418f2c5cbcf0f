/* ua.h: user-agent classification (browser, OS, versions, device type, bot) with a memo cache. */
#ifndef LGN_UA_H
#define LGN_UA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"

/* Where Debian's uap-core package puts the ua-parser rules. */
#define LGN_UA_DEFAULT_REGEXES "/usr/share/uap-core/regexes.yaml"

/* Longest user agent looked at: longer ones are classified (and cached) by
 * their first LGN_UA_MAX_LEN bytes. Real user agents are far shorter. */
#define LGN_UA_MAX_LEN 1024

/* Device types; see docs/devices.md for the rules. */
enum lgn_ua_device {
    LGN_UA_DESKTOP,
    LGN_UA_MOBILE,
    LGN_UA_TABLET,
    LGN_UA_TV,
    LGN_UA_CONSOLE,
    LGN_UA_WEARABLE,
    LGN_UA_BOT,
    LGN_UA_OTHER
};
#define LGN_UA_NDEVICES 8

/* One classification. Strings are NUL-terminated copies (never NULL), cut to
 * fit; an unknown version is "". Families follow uap-core ("Other" when no
 * rule matched). */
struct lgn_ua_info {
    char browser[80];       /* e.g. "Chrome", "Mobile Safari", "Googlebot" */
    char browser_major[16]; /* e.g. "120" */
    char os[40];            /* e.g. "Windows", "Mac OS X", "Android", "iOS" */
    char os_major[16];      /* e.g. "10" */
    char os_minor[16];      /* e.g. "15" */
    char os_version[33];    /* "major.minor", "major" or "" */
    enum lgn_ua_device device;
    bool is_bot;  /* crawler, spider, monitor or HTTP library */
    char bot[40]; /* bot family when is_bot (e.g. "Googlebot", "curl"), else "" */
};

struct lgn_ua;

/* Loads the ua-parser rules from regexes_path (NULL = LGN_UA_DEFAULT_REGEXES)
 * and compiles every regex once (PCRE2; JIT-compiled when first matched,
 * lazyjit.h). A rule whose regex does not
 * compile is skipped and counted (see lgn_ua_warning); a missing or malformed
 * file is an error. Owned by the caller; free with lgn_ua_free. Not
 * thread-safe: one lgn_ua per thread. */
struct lgn_ua *lgn_ua_new(const char *regexes_path, struct lgn_err *err);
/* A handle for another thread on the same compiled rules and bot list
 * (its own match data and cache): compiling them once per thread would
 * cost every worker the start-up of the first. Free it before ua. */
struct lgn_ua *lgn_ua_share(const struct lgn_ua *ua, struct lgn_err *err);
void lgn_ua_free(struct lgn_ua *ua);

/* The family of a bot that no list names. */
#define LGN_UA_OTHER_BOT "other bot"

/* Adds the crawler-user-agents list (botlist.h) from path, or, with path
 * NULL, the installed one when there is one (none: 0, the other rules
 * only). 0, or -1 with err set (a missing or malformed file given). */
int lgn_ua_use_bot_list(struct lgn_ua *ua, const char *path, struct lgn_err *err);

/* Holds what reports copy from user agents to the free-text detectors of
 * the rules cfg loads (reportable.h), besides the shape every name copied
 * must have. Without it, the shape and lgn_reportable only. 0, or -1 with
 * err set (rules that cannot be loaded). */
int lgn_ua_use_filters(struct lgn_ua *ua, const struct lgn_config *cfg, struct lgn_err *err);

/* Classifies the user agent s[0..len) (any bytes; NUL need not end it) into
 * *out. A repeated user agent costs one hash lookup: the cache is bounded
 * (8192 entries, least recently used out) and compares the whole string.
 * Returns 0, or -1 when s is NULL and len is not 0. */
int lgn_ua_classify(struct lgn_ua *ua, const char *s, size_t len, struct lgn_ua_info *out);

/* "desktop", "mobile", "tablet", "tv", "console", "wearable", "bot", "other". */
const char *lgn_ua_device_name(enum lgn_ua_device d);

/* NULL, or a message naming the rules of the regexes file that did not
 * compile and were skipped (for a warning on stderr). Owned by ua. */
const char *lgn_ua_warning(const struct lgn_ua *ua);

/* Cache counters since lgn_ua_new (for the benchmark and tests). */
void lgn_ua_cache_stats(const struct lgn_ua *ua, uint64_t *hits, uint64_t *misses);

#endif
