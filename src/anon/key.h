/* key.h: 32-byte secret keys: files, fresh random keys, per-day derivation, wiping. */
#ifndef LGN_KEY_H
#define LGN_KEY_H

#include "err.h"

#define LGN_KEY_LEN 32

struct lgn_key {
    unsigned char bytes[LGN_KEY_LEN];
};

/* Reads a key file: exactly 32 raw bytes, or 64 hex digits with an optional
 * trailing newline. Refuses (LGN_EXIT_KEY) a file that is not a regular file,
 * not owned by the current user, or readable/writable by group or others.
 * The message names the file and the problem, never the key. */
int lgn_key_load(const char *path, struct lgn_key *key, struct lgn_err *err);

/* Writes a new random key as 64 hex digits + newline to a new file, mode 0600.
 * Refuses to overwrite an existing file. */
int lgn_key_generate(const char *path, struct lgn_err *err);

/* Fills key from the OpenSSL CSPRNG. */
int lgn_key_random(struct lgn_key *key, struct lgn_err *err);

/* HKDF-SHA256(master, salt = "lognym", info = "day:YYYY-MM-DD") -> out.
 * Pseudonyms under different days' keys cannot be linked. */
int lgn_key_derive_day(const struct lgn_key *master, int year, int month, int day,
                       struct lgn_key *out, struct lgn_err *err);

/* Overwrites the key bytes (OPENSSL_cleanse). Accepts NULL. */
void lgn_key_wipe(struct lgn_key *key);

#endif
