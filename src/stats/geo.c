/* geo.c: libmaxminddb wrapper: ISO country code by socket address. */
#include "geo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datafile.h"
#include "ip.h"

struct lgn_geo {
    MMDB_s db;
};

struct lgn_geo *lgn_geo_open(const char *path, struct lgn_err *err)
{
    struct lgn_geo *g = calloc(1, sizeof *g);
    if (g == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    errno = 0;
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &g->db);
    if (rc != MMDB_SUCCESS) {
        /* a file that cannot be read is an input error, as for the bot list;
         * one that is not a database, a bad --geoip value */
        int e = errno;
        if (rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR)
            lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot read the country database: %s", path,
                        e != 0 ? strerror(e) : MMDB_strerror(rc));
        else if (rc == MMDB_OUT_OF_MEMORY_ERROR)
            lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        else
            lgn_err_set(err, LGN_EXIT_USAGE, "%s: not a MaxMind country database (%s)", path,
                        MMDB_strerror(rc));
        free(g);
        return NULL;
    }
    return g;
}

void lgn_geo_free(struct lgn_geo *g)
{
    if (g == NULL)
        return;
    MMDB_close(&g->db);
    free(g);
}

/* The code at entry's where.key, or at its top-level key when where is NULL. */
static int iso_code(MMDB_entry_s *entry, const char *where, const char *key, char cc[3])
{
    MMDB_entry_data_s d;
    int rc = where ? MMDB_get_value(entry, &d, where, key, (const char *)NULL)
                   : MMDB_get_value(entry, &d, key, (const char *)NULL);
    if (rc != MMDB_SUCCESS || !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
        d.data_size != 2)
        return 0;
    char a = d.utf8_string[0], b = d.utf8_string[1];
    if (a >= 'a' && a <= 'z')
        a = (char)(a - 32);
    if (b >= 'a' && b <= 'z')
        b = (char)(b - 32);
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
        return 0;
    cc[0] = a;
    cc[1] = b;
    cc[2] = '\0';
    return 1;
}

int lgn_geo_country(const struct lgn_geo *g, const struct sockaddr *sa, char cc[3])
{
    cc[0] = '\0';
    int mmerr = MMDB_SUCCESS;
    /* libmaxminddb takes a non-const handle but only reads through it. */
    MMDB_lookup_result_s res = MMDB_lookup_sockaddr((MMDB_s *)&g->db, sa, &mmerr);
    if (mmerr != MMDB_SUCCESS)
        return -1;
    if (!res.found_entry)
        return 0;
    if (iso_code(&res.entry, "country", "iso_code", cc))
        return 1;
    if (iso_code(&res.entry, "registered_country", "iso_code", cc))
        return 1;
    return iso_code(&res.entry, NULL, "country_code", cc); /* ip-location-db */
}

int lgn_geo_country_str(const struct lgn_geo *g, const char *ip, size_t len, char cc[3])
{
    char buf[INET6_ADDRSTRLEN + 1];
    cc[0] = '\0';
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, ip, len);
    buf[len] = '\0';
    struct sockaddr_in6 s6;
    struct sockaddr_in s4;
    memset(&s6, 0, sizeof s6);
    memset(&s4, 0, sizeof s4);
    if (inet_pton(AF_INET, buf, &s4.sin_addr) == 1) {
        s4.sin_family = AF_INET;
        return lgn_geo_country(g, (const struct sockaddr *)&s4, cc);
    }
    if (inet_pton(AF_INET6, buf, &s6.sin6_addr) == 1) {
        s6.sin6_family = AF_INET6;
        return lgn_geo_country(g, (const struct sockaddr *)&s6, cc);
    }
    return -1;
}

int lgn_geo_country_ip(const struct lgn_geo *g, const struct lgn_ip *ip, char cc[3])
{
    struct sockaddr_in6 s6;
    struct sockaddr_in s4;
    if (ip->family == 4) {
        memset(&s4, 0, sizeof s4);
        s4.sin_family = AF_INET;
        memcpy(&s4.sin_addr, ip->bytes, 4);
        return lgn_geo_country(g, (const struct sockaddr *)&s4, cc);
    }
    memset(&s6, 0, sizeof s6);
    s6.sin6_family = AF_INET6;
    memcpy(&s6.sin6_addr, ip->bytes, 16);
    return lgn_geo_country(g, (const struct sockaddr *)&s6, cc);
}

const char *lgn_geo_type(const struct lgn_geo *g)
{
    return g->db.metadata.database_type ? g->db.metadata.database_type : "";
}

void lgn_geo_describe(const struct lgn_geo *g, const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    time_t built = (time_t)g->db.metadata.build_epoch;
    struct tm tm;
    char date[16] = "?";
    if (gmtime_r(&built, &tm) != NULL && strftime(date, sizeof date, "%Y-%m-%d", &tm) == 0)
        snprintf(date, sizeof date, "?");
    snprintf(out, cap, "%s (%s, built %s)", base,
             lgn_geo_type(g)[0] ? lgn_geo_type(g) : "MaxMind DB", date);
}

const char *lgn_geo_default_path(char *buf, size_t cap)
{
    return lgn_datafile_find(LGN_GEO_DEFAULT_DB, "deps", false, buf, cap);
}
