/* logfmt.h: log formats (Apache LogFormat, nginx log_format, presets, JSON lines)
 * compiled once into an op array of literals and typed fields. */
#ifndef LGN_LOGFMT_H
#define LGN_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "timeshape.h"

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

/* How a field is anonymised: decided when the format is compiled, from the
 * field's kind and name (README "What is anonymised"; lognym
 * --explain-format prints it). */
enum lgn_policy {
    LGN_P_FREETEXT,    /* anything not known: every detector, name=value pairs, addresses */
    LGN_P_STRUCTURED,  /* time, method, protocol, status, numbers: kept when shaped so */
    LGN_P_ADDRESS,     /* client, X-Forwarded-For, upstream addresses */
    LGN_P_HOST,        /* virtual host, server name, Host header: a host name or free text */
    LGN_P_USER,        /* %u %l $remote_user, identity headers, client certificates */
    LGN_P_URL,         /* request line, paths, queries, referrer, URL headers */
    LGN_P_QUERY_VALUE, /* $arg_NAME: the value of query parameter NAME */
    LGN_P_COOKIE,      /* Cookie, Set-Cookie, $cookie_NAME, %{NAME}C */
    LGN_P_CREDENTIAL,  /* Authorization and headers named like secrets */
    LGN_P_BODY,        /* $request_body: form-encoded or JSON */
    LGN_P_UA,          /* user agent */
    LGN_P_JSON,        /* a JSON-lines object: each key decides, as a variable name does */
};
#define LGN_N_POLICIES (LGN_P_JSON + 1)

/* "free text", "structured", ...: the names --explain-format prints. */
const char *lgn_policy_name(enum lgn_policy p);

/* What a field's name decides. */
struct lgn_name_policy {
    enum lgn_policy policy;
    enum lgn_kind kind;
    size_t subject_off, subject_len; /* the name the policy reads, in the name */
    bool set_cookie;                 /* a Set-Cookie header */
    bool one_cookie;                 /* the value of one cookie ($cookie_NAME, %{NAME}C) */
};

/* The policy of a field named `name`: an nginx variable without its '$'
 * (also a JSON key), or with `header` a request header's name (a member of
 * a JSON headers object). */
struct lgn_name_policy lgn_policy_of_name(const char *name, size_t n, bool header);

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
    enum lgn_policy policy;
    bool set_cookie; /* a Set-Cookie header: its attributes (Path, Expires, ...) stay */
    bool one_cookie; /* the value of one cookie ($cookie_NAME, %{NAME}C) */
    /* The name the policy reads, in `name`: the variable ($http_x_api_key ->
     * "http_x_api_key"), the {arg} of an Apache directive, the parameter of
     * $arg_NAME, the cookie of $cookie_NAME and %{NAME}C. */
    unsigned char subject_off, subject_len;
    /* Set by lgn_policy_bind (rewrite/) once the filter rules are loaded: the
     * name rule that a credential field's name matches, or -1. */
    int rule;
    /* A custom time's shape (Apache %{FORMAT}t), owned by the format; NULL
     * for the other fields, and for patterns without a fixed shape. */
    struct lgn_timeshape *shape;
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
