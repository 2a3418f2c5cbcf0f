/* logfmt.h: log formats (Apache LogFormat, nginx log_format, presets, JSON lines)
 * compiled once into an op array of literals and typed fields. */
#ifndef LGN_LOGFMT_H
#define LGN_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* What a field holds decides how it is anonymised and validated. */
enum lgn_kind {
    LGN_K_OPAQUE,     /* unknown content: every address inside is anonymised */
    LGN_K_ADDR,       /* client address: IP, address list, host name, unix: */
    LGN_K_ADDR_LIST,  /* X-Forwarded-For, Forwarded, upstream addresses */
    LGN_K_HOST,       /* virtual host / server name (may be an IP, may carry :port) */
    LGN_K_USER,       /* authenticated user name */
    LGN_K_IDENT,      /* identd name (%l) */
    LGN_K_TIME,       /* dd/Mon/yyyy:HH:MM:SS +zzzz (inside [ ]) */
    LGN_K_TIME_ISO,   /* yyyy-mm-ddTHH:MM:SS+zz:zz */
    LGN_K_TIME_OTHER, /* msec, custom strftime */
    LGN_K_REQUEST,    /* METHOD URL PROTOCOL */
    LGN_K_METHOD,
    LGN_K_URL, /* path, maybe with query */
    LGN_K_QUERY,
    LGN_K_PROTOCOL,
    LGN_K_STATUS,
    LGN_K_NUMBER,
    LGN_K_PORT, /* digits only: a colon there would split an IPv6 address */
    LGN_K_REFERER,
    LGN_K_UA,
    LGN_K_URL_HEADER, /* a URL in another header (Origin, Location, ...): scrubbed, not counted */
};

struct lgn_op {
    bool is_field;
    /* literal */
    const char *lit;
    size_t lit_len;
    /* field */
    enum lgn_kind kind;
    bool quoted; /* between '"' literals: may hold spaces and backslash escapes */
    bool spaces; /* may hold spaces (times; the JSON body) */
    bool lists;  /* may hold ", "-separated lists (addresses, upstream figures) */
    bool bytes;  /* the response's byte count (%b %B %O $body_bytes_sent $bytes_sent) */
    char name[40];
};

#define LGN_MAX_FIELDS 64

struct lgn_format {
    char *name;
    struct lgn_op *ops;
    size_t n_ops;
    size_t n_fields;
    /* The field ops in order, literals left out: fields[i] describes a
     * record's field i (set once compiled). */
    const struct lgn_op *fields[LGN_MAX_FIELDS];
    char *storage; /* literal bytes */
};

/* Compile a format string; on error, the message gives the column (1-based). */
struct lgn_format *lgn_format_apache(const char *name, const char *spec, struct lgn_err *err);
struct lgn_format *lgn_format_nginx(const char *name, const char *spec, struct lgn_err *err);
/* A named preset (see lgn_format_preset_names). */
struct lgn_format *lgn_format_preset(const char *name, struct lgn_err *err);
void lgn_format_free(struct lgn_format *f);

/* NULL-terminated list of preset names, in auto-detection preference order. */
const char *const *lgn_format_preset_names(void);
/* The format string behind a preset, for --help and docs; NULL if unknown. */
const char *lgn_format_preset_spec(const char *name);

#endif
