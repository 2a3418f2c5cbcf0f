/* logtime.c: calendar arithmetic and access-log time stamps. */
#include "logtime.h"

#include <string.h>

int lgn_logtime_month(const char *m)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(months + 3 * i, m, 3) == 0)
            return i + 1;
    return 0;
}

int lgn_logtime_digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int64_t lgn_logtime_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void lgn_logtime_civil_from_days(int64_t day, int64_t *y, int64_t *m, int64_t *d)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

bool lgn_logtime_parse(const char *p, size_t n, bool iso, int64_t *t, int *tz)
{
    int y, mo, d, h, mi, s, sign, oh, om;
    const char *z;
    if (!iso && n >= 26 && p[20] == ' ') {
        d = lgn_logtime_digits(p, 2), mo = lgn_logtime_month(p + 3);
        y = lgn_logtime_digits(p + 7, 4);
        h = lgn_logtime_digits(p + 12, 2), mi = lgn_logtime_digits(p + 15, 2);
        s = lgn_logtime_digits(p + 18, 2);
        z = p + 21;
        sign = *z == '-' ? -1 : 1;
        oh = lgn_logtime_digits(z + 1, 2), om = lgn_logtime_digits(z + 3, 2);
    } else if (iso && n >= 20 && p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' &&
               p[16] == ':') {
        y = lgn_logtime_digits(p, 4), mo = lgn_logtime_digits(p + 5, 2);
        d = lgn_logtime_digits(p + 8, 2);
        h = lgn_logtime_digits(p + 11, 2), mi = lgn_logtime_digits(p + 14, 2);
        s = lgn_logtime_digits(p + 17, 2);
        z = p + 19;
        while (z < p + n && (*z == '.' || (*z >= '0' && *z <= '9')))
            z++;
        if (z < p + n && *z == 'Z') {
            sign = 1, oh = 0, om = 0;
        } else if (p + n - z >= 6 && (*z == '+' || *z == '-')) {
            sign = *z == '-' ? -1 : 1;
            oh = lgn_logtime_digits(z + 1, 2), om = lgn_logtime_digits(z + 4, 2);
        } else {
            return false;
        }
    } else {
        return false;
    }
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        s < 0 || s > 60 || oh < 0 || om < 0)
        return false;
    *tz = sign * (oh * 60 + om);
    *t = lgn_logtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - (int64_t)*tz * 60;
    return true;
}

bool lgn_logtime_parse_memo(struct lgn_logtime_memo *m, const char *p, size_t n, bool iso,
                            int64_t *t, int *tz)
{
    if (m == NULL || iso || n < 26 || p[20] != ' ')
        return lgn_logtime_parse(p, n, iso, t, tz);
    /* Only the seconds differ from the stamp remembered: the rest was
     * checked when it was parsed. */
    int s = lgn_logtime_digits(p + 18, 2);
    if (m->valid && s >= 0 && s <= 60 && memcmp(m->key, p, 18) == 0 &&
        memcmp(m->key + 18, p + 20, 6) == 0) {
        *t = m->minute + s;
        *tz = m->tz;
        return true;
    }
    if (!lgn_logtime_parse(p, n, false, t, tz))
        return false;
    memcpy(m->key, p, 18);
    memcpy(m->key + 18, p + 20, 6);
    m->minute = *t - s;
    m->tz = *tz;
    m->valid = true;
    return true;
}

bool lgn_logtime_find(struct lgn_logtime_memo *m, const char *p, size_t n, int64_t *t)
{
    int tz;
    /* "[10/Oct/2000:13:55:36 -0700]": the common log format and its kin. */
    for (const char *b = memchr(p, '[', n); b != NULL;
         b = memchr(b + 1, '[', (size_t)(p + n - b - 1))) {
        if (p + n - b > 27 && b[27] == ']' && lgn_logtime_parse_memo(m, b + 1, 26, false, t, &tz))
            return true;
    }
    /* "2000-10-10T13:55:36..." (nginx $time_iso8601, JSON logs). */
    for (const char *c = memchr(p, 'T', n); c != NULL;
         c = memchr(c + 1, 'T', (size_t)(p + n - c - 1))) {
        if (c - p >= 10 && lgn_logtime_parse(c - 10, (size_t)(p + n - c + 10), true, t, &tz))
            return true;
    }
    return false;
}
