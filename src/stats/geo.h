/* geo.h: country of an IP address from a MaxMind database (libmaxminddb). */
#ifndef LGN_GEO_H
#define LGN_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "err.h"

struct lgn_geo;

/* Opens a .mmdb file (GeoLite2/GeoIP2 Country or City, DB-IP, or any
 * database whose records hold country.iso_code). NULL on error (err says
 * why; exit code LGN_EXIT_INPUT when the file cannot be read,
 * LGN_EXIT_USAGE when it is not a database). Free with lgn_geo_free (accepts NULL). */
struct lgn_geo *lgn_geo_open(const char *path, struct lgn_err *err);
void lgn_geo_free(struct lgn_geo *g);

/* Writes the ISO 3166-1 alpha-2 code ("DE") of the address into cc (NUL
 * terminated): country.iso_code, else registered_country.iso_code, else the
 * top-level country_code (ip-location-db). Returns
 * 1 when found, 0 when the database has no country for it (cc is ""), -1 on
 * a lookup error (cc is ""). Never keeps the address. */
int lgn_geo_country(const struct lgn_geo *g, const struct sockaddr *sa, char cc[3]);

/* The same for a textual IPv4 or IPv6 address ip[0..len) (no brackets, no
 * port); -1 also when it is not an address. */
int lgn_geo_country_str(const struct lgn_geo *g, const char *ip, size_t len, char cc[3]);

/* The same for a parsed address (ip.h). */
struct lgn_ip;
int lgn_geo_country_ip(const struct lgn_geo *g, const struct lgn_ip *ip, char cc[3]);

/* The database type from its metadata, e.g. "GeoLite2-Country". Owned by g. */
const char *lgn_geo_type(const struct lgn_geo *g);

/* "geo-whois-asn-country.mmdb (country ipvAll, built 2026-06-17)": the
 * file's name, and the type and build date from its metadata, for reports. */
void lgn_geo_describe(const struct lgn_geo *g, const char *path, char *out, size_t cap);

/* The country database used when --geoip is not given: the freely licensed
 * ip-location-db file that scripts/install-deps.sh fetches and make install
 * puts in PREFIX/share/lognym (beside the binary's ../share/lognym, or this
 * source tree's deps/ for a binary built here). NULL when there is none. */
#define LGN_GEO_DEFAULT_DB "geo-whois-asn-country.mmdb"
const char *lgn_geo_default_path(char *buf, size_t cap);

#endif
