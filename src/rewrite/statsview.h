/* statsview.h: the parts of a request, URL or referrer that the statistics
 * read. `lognym stats` writes no log, so it scrubs only these: a request's
 * path and the campaign tags of its query (utm_source, utm_medium,
 * utm_campaign), and a referrer's scheme and host. The scrubber treats a
 * URL's host, path and each query parameter on their own, so what the
 * statistics count is the same as when the whole value is scrubbed. An
 * HTML entity ("jane&#64;example.com") holds a '#' that is no fragment: such
 * a value is not cut. */
#ifndef LGN_STATSVIEW_H
#define LGN_STATSVIEW_H

#include <stddef.h>

/* p[0..n) with the query and fragment of its URL part [start, end) cut down
 * to the campaign tags; written to out (n bytes at most). Returns the
 * length, n when nothing was cut (out then holds nothing useful). */
size_t lgn_statsview_url(const char *p, size_t n, size_t start, size_t end, char *out);

/* The same for a request line "METHOD TARGET PROTOCOL": its target is the
 * bytes after the first space up to the next one. */
size_t lgn_statsview_request(const char *p, size_t n, char *out);

/* The length of a referrer's prefix up to its host's end (scheme, user
 * information, host and port): at least 1 when n > 0, so a relative
 * referrer is still not a direct visit. */
size_t lgn_statsview_referrer(const char *p, size_t n);

#endif
