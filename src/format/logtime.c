/* logtime.c: time stamps of log lines. */
#include "logtime.h"

#include <string.h>

static int month_of(const char *m)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(months + 3 * i, m, 3) == 0)
            return i + 1;
    return 0;
}

static int num(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "10/Oct/2000:13:55:36 -0700" or "2000-10-10T13:55:36-07:00" (or Z). */
bool lgn_time_parse(const char *p, size_t n, bool iso, int64_t *t, int *tz)
{
    int y, mo, d, h, mi, s, sign, oh, om;
    const char *z;
    if (!iso && n >= 26 && p[20] == ' ') {
        d = num(p, 2), mo = month_of(p + 3), y = num(p + 7, 4);
        h = num(p + 12, 2), mi = num(p + 15, 2), s = num(p + 18, 2);
        z = p + 21;
        sign = *z == '-' ? -1 : 1, oh = num(z + 1, 2), om = num(z + 3, 2);
    } else if (iso && n >= 20 && p[10] == 'T') {
        y = num(p, 4), mo = num(p + 5, 2), d = num(p + 8, 2);
        h = num(p + 11, 2), mi = num(p + 14, 2), s = num(p + 17, 2);
        z = p + 19;
        while (z < p + n && (*z == '.' || (*z >= '0' && *z <= '9')))
            z++;
        if (z < p + n && *z == 'Z')
            sign = 1, oh = 0, om = 0;
        else if (p + n - z >= 6 && (*z == '+' || *z == '-'))
            sign = *z == '-' ? -1 : 1, oh = num(z + 1, 2), om = num(z + 4, 2);
        else
            return false;
    } else {
        return false;
    }
    if (y < 0 || mo < 1 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 ||
        s > 60 || oh < 0 || om < 0)
        return false;
    *tz = sign * (oh * 60 + om);
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - (int64_t)*tz * 60;
    return true;
}

bool lgn_time_find(const char *p, size_t n, int64_t *t)
{
    int tz;
    /* "[10/Oct/2000:13:55:36 -0700]": the common log format and its kin. */
    for (const char *b = memchr(p, '[', n); b != NULL;
         b = memchr(b + 1, '[', (size_t)(p + n - b - 1))) {
        size_t left = (size_t)(p + n - b - 1);
        if (left >= 27 && b[27] == ']' && lgn_time_parse(b + 1, 26, false, t, &tz))
            return true;
    }
    /* "2000-10-10T13:55:36..." (nginx $time_iso8601, JSON logs). */
    for (const char *c = memchr(p, 'T', n); c != NULL;
         c = memchr(c + 1, 'T', (size_t)(p + n - c - 1))) {
        if (c - p < 10)
            continue;
        const char *s = c - 10;
        if (lgn_time_parse(s, (size_t)(p + n - s), true, t, &tz))
            return true;
    }
    return false;
}
