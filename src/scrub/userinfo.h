/* userinfo.h: "scheme://user:password@host" and "//user:password@host" in
 * decoded text: a URL anywhere (top level, nested in a parameter, encoded
 * once or twice, in free text, in a decoded base64 payload). */
#ifndef LGN_USERINFO_H
#define LGN_USERINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "url.h"

/* Finds, from decoded byte `from` on, the next user information of a URL in
 * d (decoded from src): *ui is "user:password" (never empty), the host
 * follows its '@'. The authority ends at '/', '?', '#', a blank, '"', '<',
 * '>' or '\\' written at the URL's own level of encoding: one encoded more
 * deeply than the URL's "://" ("%20" in a raw URL, "%2520" in a URL encoded
 * once) is part of a password, as is a blank that was a '+' and an
 * apostrophe ("o'neil", unless the URL is in '...' and it closes them). Its
 * last '@' ends the user information. A scheme-relative "//" (after
 * nothing, a blank, a '/' or punctuation) needs "user:password" and not a time
 * ("12:30"), since "//word@" starts many an innocent path. */
bool lgn_find_userinfo(const char *src, const struct lgn_decoded *d, size_t from,
                       struct lgn_span *ui);

#endif
