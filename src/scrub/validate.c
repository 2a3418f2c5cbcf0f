/* validate.c: checksum validators for card numbers, IBANs and national identity numbers. */
#include "validate.h"

#include <string.h>

static bool is_sep(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/';
}

/* Copies the digits of [p, p+n) into d (at most cap); returns their number,
 * or 0 when a character other than a digit or separator occurs or there
 * are more than cap digits. */
static size_t digits_of(const char *p, size_t n, unsigned char *d, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            if (k == cap)
                return 0;
            d[k++] = (unsigned char)(p[i] - '0');
        } else if (!is_sep(p[i])) {
            return 0;
        }
    }
    return k;
}

static bool all_same(const unsigned char *d, size_t k)
{
    for (size_t i = 1; i < k; i++)
        if (d[i] != d[0])
            return false;
    return true;
}

static bool luhn_digits(const unsigned char *d, size_t k)
{
    unsigned sum = 0;
    for (size_t i = 0; i < k; i++) {
        unsigned v = d[k - 1 - i];
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

bool lgn_check_luhn(const char *p, size_t n)
{
    unsigned char d[32];
    size_t k = digits_of(p, n, d, sizeof d);
    /* All zeros passes Luhn but is a placeholder, not a card. */
    return k >= 2 && !(d[0] == 0 && all_same(d, k)) && luhn_digits(d, k);
}

/* The countries of the SWIFT IBAN registry (ISO 13616; release of 2025,
 * 89 countries) and the length of their IBANs, country code and check
 * digits included; plus Iran (IR, 26), whose banks issue IBANs ("sheba")
 * outside the registry. A code not listed is no IBAN: hex ids ("ef71...")
 * and other ids that pass mod 97 by chance (1 in 97) stay. Sorted. */
static const struct {
    char code[3];
    unsigned char length;
} iban_countries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IR", 26},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21},
    {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
    {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
    {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23},
    {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24},
    {"XK", 20}, {"YE", 30},
};

size_t lgn_iban_length(const char *code)
{
    size_t lo = 0, hi = sizeof iban_countries / sizeof iban_countries[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(iban_countries[mid].code, code, 2);
        if (c == 0)
            return iban_countries[mid].length;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

bool lgn_check_iban(const char *p, size_t n)
{
    char s[40];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == ' ' || c == '-' || c == '.' || c == '+')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || k == sizeof s)
            return false;
        s[k++] = c;
    }
    if (k < 4 || s[0] < 'A' || s[1] < 'A' || s[2] > '9' || s[3] > '9' || lgn_iban_length(s) != k)
        return false;
    /* Move the first four characters to the end, letters count as 10..35. */
    unsigned rem = 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[(i + 4) % k];
        if (c >= 'A')
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
    }
    return rem == 1;
}

bool lgn_check_ir_national_code(const char *p, size_t n)
{
    unsigned char raw[10], d[10];
    size_t k = digits_of(p, n, raw, sizeof raw);
    if (k < 8) /* 8 and 9 digits: leading zeros left out */
        return false;
    memset(d, 0, sizeof d);
    memcpy(d + 10 - k, raw, k);
    unsigned middle = 0;
    for (int i = 3; i < 9; i++)
        middle |= d[i];
    if (all_same(d, 10) || middle == 0)
        return false;
    unsigned sum = 0;
    for (int i = 0; i < 9; i++)
        sum += d[i] * (unsigned)(10 - i);
    unsigned r = sum % 11;
    return r < 2 ? d[9] == r : d[9] == 11 - r;
}

bool lgn_check_ir_legal_id(const char *p, size_t n)
{
    static const unsigned weights[5] = {29, 27, 23, 19, 17};
    unsigned char d[11];
    if (digits_of(p, n, d, sizeof d) != 11)
        return false;
    unsigned middle = 0;
    for (int i = 3; i < 9; i++)
        middle |= d[i];
    if (middle == 0)
        return false;
    unsigned add = d[9] + 2u, sum = 0;
    for (int i = 0; i < 10; i++)
        sum += (d[i] + add) * weights[i % 5];
    unsigned r = sum % 11;
    if (r == 10)
        r = 0;
    return d[10] == r;
}

bool lgn_check_sa_national_id(const char *p, size_t n)
{
    unsigned char d[10];
    if (digits_of(p, n, d, sizeof d) != 10 || (d[0] != 1 && d[0] != 2))
        return false;
    return luhn_digits(d, 10);
}

bool lgn_check_phone(const char *p, size_t n)
{
    size_t digits = 0;
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (c == '(' && !open)
            open = true;
        else if (c == ')' && open)
            open = false;
        else if (!(c == ' ' || c == '-' || c == '.' ||
                   (c == '+' && (i == 0 || (i == 1 && p[0] == '('))))) /* "(+1) 415..." */
            return false;
    }
    return !open && digits >= 7 && digits <= 15;
}

static const char *const names[LGN_CHECK_COUNT] = {
    "", "luhn", "iban", "ir_national_code", "ir_legal_id", "sa_national_id", "phone",
};

bool lgn_check_run(enum lgn_check c, const char *p, size_t n)
{
    switch (c) {
    case LGN_CHECK_LUHN:
        return lgn_check_luhn(p, n);
    case LGN_CHECK_IBAN:
        return lgn_check_iban(p, n);
    case LGN_CHECK_IR_NATIONAL_CODE:
        return lgn_check_ir_national_code(p, n);
    case LGN_CHECK_IR_LEGAL_ID:
        return lgn_check_ir_legal_id(p, n);
    case LGN_CHECK_SA_NATIONAL_ID:
        return lgn_check_sa_national_id(p, n);
    case LGN_CHECK_PHONE:
        return lgn_check_phone(p, n);
    default:
        return true;
    }
}

enum lgn_check lgn_check_find(const char *name)
{
    for (int i = 1; i < LGN_CHECK_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return (enum lgn_check)i;
    return LGN_CHECK_NONE;
}

const char *lgn_check_name(enum lgn_check c)
{
    return c > LGN_CHECK_NONE && c < LGN_CHECK_COUNT ? names[c] : "";
}
