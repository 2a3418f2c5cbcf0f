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

bool lgn_check_iban(const char *p, size_t n)
{
    char s[40];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || k == sizeof s)
            return false;
        s[k++] = c;
    }
    if (k < 15 || k > 34 || s[0] < 'A' || s[1] < 'A' || s[2] > '9' || s[3] > '9')
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
        else if (!(c == ' ' || c == '-' || c == '.' || (c == '+' && i == 0)))
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
