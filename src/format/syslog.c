/* syslog.c: the syslog headers before a message (RFC 3164 and RFC 5424). */
#include "syslog.h"

#include <string.h>

/* End of the space-free token at i (i itself when m[i] is a space). */
static size_t token_end(const char *m, size_t len, size_t i)
{
    while (i < len && m[i] != ' ')
        i++;
    return i;
}

/* RFC 5424 after "<PRI>1 ": TIMESTAMP HOST APP-NAME PROCID MSGID, then
 * STRUCTURED-DATA ("-" or [elements], where "\]" does not close one), then
 * a space and an optional UTF-8 BOM before the message. */
static size_t rfc5424_len(const char *m, size_t len, size_t i)
{
    for (int field = 0; field < 5; field++) {
        size_t e = token_end(m, len, i);
        if (e == i || e >= len)
            return 0;
        i = e + 1;
    }
    if (i < len && m[i] == '-') {
        i++;
    } else {
        if (i >= len || m[i] != '[')
            return 0;
        while (i < len && m[i] == '[') {
            for (i++; i < len && m[i] != ']'; i++)
                if (m[i] == '\\' && i + 1 < len)
                    i++;
            if (i >= len)
                return 0;
            i++;
        }
    }
    if (i >= len || m[i] != ' ')
        return 0;
    i++;
    if (len - i >= 3 && memcmp(m + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    return i;
}

/* RFC 3164 after "<PRI>": "Mmm dd hh:mm:ss ", then "HOST TAG: " (nginx,
 * relays) or just "TAG: " (logger and syslog(3) on a local socket). */
size_t lgn_syslog_rfc3164_len(const char *m, size_t len, size_t i)
{
    if (len - i < 16 || m[i + 3] != ' ' || m[i + 6] != ' ' || m[i + 9] != ':' || m[i + 12] != ':' ||
        m[i + 15] != ' ')
        return 0;
    i += 16;
    for (int token = 0; token < 2; token++) { /* host or tag, then tag */
        size_t e = token_end(m, len, i);
        /* A tag ends with its only ':' ("2001:db8:: - -" is no tag). */
        if (e > i + 1 && e < len && m[e - 1] == ':' && memchr(m + i, ':', e - 1 - i) == NULL)
            return e + 1;
        if (e == i || e >= len)
            return 0;
        i = e + 1;
    }
    return 0;
}

size_t lgn_syslog_header_len(const char *m, size_t len)
{
    size_t i;
    if (len < 2 || m[0] != '<')
        return 0;
    for (i = 1; i < len && i < 5 && m[i] >= '0' && m[i] <= '9'; i++)
        ;
    if (i == 1 || i >= len || m[i] != '>')
        return 0;
    i++;
    if (len - i >= 2 && m[i] == '1' && m[i + 1] == ' ')
        return rfc5424_len(m, len, i + 2);
    return lgn_syslog_rfc3164_len(m, len, i);
}
