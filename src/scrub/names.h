/* names.h: the words of a parameter name, for rules that match names by
 * word (`words` in filters/ *.rules): "reset_password_token", "apiToken",
 * "X-Amz-Signature" and "user[password]" all name secrets, "keyword" and
 * "tokenizer" do not. */
#ifndef LGN_NAMES_H
#define LGN_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define LGN_NAME_WORDS_MAX 16
#define LGN_NAME_BYTES_MAX 96

/* A name split into lower-case words: at '-', '_', '.', '[', ']' and any
 * other byte that is not a letter or digit, between a lower-case letter
 * and an upper-case one ("apiToken"), before the last capital of a run
 * followed by a lower-case letter ("APIKey": "api", "key") and between
 * letters and digits ("oauth2"). */
struct lgn_name_words {
    char text[LGN_NAME_BYTES_MAX]; /* the words, each followed by '\0' */
    unsigned char off[LGN_NAME_WORDS_MAX], len[LGN_NAME_WORDS_MAX];
    size_t n;
    bool complete; /* false when the name was too long to split whole */
};

void lgn_name_words(const char *p, size_t n, struct lgn_name_words *w);

/* True when a word of w, or two adjacent words written together ("api" +
 * "key" = "apikey"), is one of the `n_list` entries of `list`. */
bool lgn_name_words_match(const struct lgn_name_words *w, char *const *list, size_t n_list);

#endif
