/* payload.h: base64 and base64url payloads in URLs and text ("u=YWxp...%3D%3D",
 * an unsubscribe link holding an e-mail address): found and decoded, so the
 * detectors can look inside. */
#ifndef LGN_PAYLOAD_H
#define LGN_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>

/* A payload decodes to at least this many bytes (16 base64 characters). */
#define LGN_PAYLOAD_MIN_BYTES 12

/* Finds, from byte `from` on, the next run of base64 or base64url
 * characters (A-Z a-z 0-9 + / - _, '=' padding at its end) long enough to
 * hold LGN_PAYLOAD_MIN_BYTES, not touching a letter, digit or '%' on
 * either side. `slash` says whether '/' belongs to runs (not in paths,
 * where it separates segments); `blank_is_plus` reads a blank as the '+'
 * that query decoding turned into one. */
bool lgn_payload_next(const char *p, size_t n, size_t from, bool slash, bool blank_is_plus,
                      size_t *start, size_t *end);

/* Decodes base64 or base64url [p, p+n) (padding optional; a blank counts as
 * '+') into out, which holds at least n * 3 / 4 + 3 bytes. Returns the
 * decoded length, or -1 when the text is not base64. */
long lgn_base64_decode(const char *p, size_t n, unsigned char *out);

/* True when decoded bytes read as text (printable ASCII, blanks, UTF-8),
 * which is what makes a payload worth scanning: random ids and hashes
 * decode to binary. */
bool lgn_payload_is_text(const unsigned char *p, size_t n);

#endif
