/* names.c: splits parameter names into words and matches them against word lists. */
#include "names.h"

#include <string.h>

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static char lower(char c)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    if (c >= 'A' && c <= 'Z')
        return letters[c - 'A'];
    return c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_lower(c) || is_upper(c) || is_digit(c);
}

/* True when a new word starts at p[i] (a letter or digit after another). */
static bool boundary(const char *p, size_t n, size_t i)
{
    char a = p[i - 1], b = p[i];
    if (is_digit(a) != is_digit(b))
        return true;
    if (is_lower(a) && is_upper(b))
        return true;
    return is_upper(a) && is_upper(b) && i + 1 < n && is_lower(p[i + 1]);
}

void lgn_name_words(const char *p, size_t n, struct lgn_name_words *w)
{
    size_t k = 0;
    w->n = 0;
    w->complete = true;
    bool in_word = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!is_alnum(c)) {
            if (in_word)
                w->text[k++] = '\0';
            in_word = false;
            continue;
        }
        if (in_word && boundary(p, n, i)) {
            w->text[k++] = '\0';
            in_word = false;
        }
        if (!in_word) {
            if (w->n == LGN_NAME_WORDS_MAX || k + 2 > sizeof w->text) {
                w->complete = false;
                return;
            }
            w->off[w->n] = (unsigned char)k;
            w->len[w->n++] = 0;
            in_word = true;
        }
        if (k + 2 > sizeof w->text) {
            w->complete = false;
            return;
        }
        w->text[k++] = lower(c);
        w->len[w->n - 1]++;
    }
    if (in_word)
        w->text[k] = '\0';
}

static bool listed(const char *p, size_t n, char *const *list, size_t n_list)
{
    for (size_t i = 0; i < n_list; i++)
        if (strlen(list[i]) == n && memcmp(list[i], p, n) == 0)
            return true;
    return false;
}

bool lgn_name_words_match(const struct lgn_name_words *w, char *const *list, size_t n_list)
{
    char pair[2 * LGN_NAME_BYTES_MAX];
    for (size_t i = 0; i < w->n; i++) {
        const char *a = w->text + w->off[i];
        if (listed(a, w->len[i], list, n_list))
            return true;
        if (i + 1 < w->n) {
            memcpy(pair, a, w->len[i]);
            memcpy(pair + w->len[i], w->text + w->off[i + 1], w->len[i + 1]);
            if (listed(pair, (size_t)w->len[i] + w->len[i + 1], list, n_list))
                return true;
        }
    }
    return false;
}
