/* explain.c: lognym --explain-format: each field of the format in force
 * with the policy it gets, from the compiled format (the rewriter's own
 * decision, not a second table). */
#include "explain.h"

#include <string.h>

#include "detect.h"
#include "input.h"
#include "record.h"
#include "rewrite.h"
#include "scrub.h"

/* Lines read to detect the format when none is given. */
#define DETECT_LINES 1000

static const char *detail(const struct lgn_op *op, const struct lgn_rules *rules, char *buf,
                          size_t cap)
{
    switch (op->policy) {
    case LGN_P_STRUCTURED: {
        const char *what =
            op->kind == LGN_K_TIME || op->kind == LGN_K_TIME_ISO || op->kind == LGN_K_TIME_OTHER
                ? "a time"
            : op->kind == LGN_K_METHOD   ? "a method"
            : op->kind == LGN_K_PROTOCOL ? "a protocol"
            : op->kind == LGN_K_STATUS   ? "a status"
            : op->kind == LGN_K_PORT     ? "a port"
                                         : "a number";
        if (op->shape != NULL)
            what = "its own pattern's time";
        snprintf(buf, cap, "kept when shaped like %s, else free text", what);
        return buf;
    }
    case LGN_P_ADDRESS:
        return op->kind == LGN_K_ADDR_LIST
                   ? "each address anonymised, host names pseudonymised (host-<hex>); "
                     "Forwarded: for=/by= so, host= as a host, proto= kept, other pairs free text"
                   : "anonymised by --ip-mode; a host name pseudonymised (host-<hex>)";
    case LGN_P_HOST:
        return "a host name kept unless a detector flags it (whole or a label), an address "
               "anonymised; anything else free text";
    case LGN_P_USER:
        return op->kind == LGN_K_IDENT ? "pseudonymised (ident-<hex>)"
                                       : "pseudonymised (user-<hex>)";
    case LGN_P_URL:
        return "the URL rules: parameters by name, every detector, addresses";
    case LGN_P_QUERY_VALUE:
        snprintf(buf, cap, "scrubbed as the value of query parameter %.*s", op->subject_len,
                 op->name + op->subject_off);
        return buf;
    case LGN_P_COOKIE:
        if (op->one_cookie)
            snprintf(buf, cap, "the value of cookie %.*s: replaced unless --keep-cookies lists it",
                     op->subject_len, op->name + op->subject_off);
        else
            snprintf(buf, cap,
                     "cookie names kept, values replaced unless --keep-cookies lists "
                     "them%s",
                     op->set_cookie ? "; attributes (Path, Expires, ...) kept" : "");
        return buf;
    case LGN_P_CREDENTIAL:
        if (op->rule >= 0 && rules != NULL && (size_t)op->rule < rules->n)
            snprintf(buf, cap, "scheme word (Basic, Bearer) kept, the rest by rule %s",
                     rules->v[op->rule].id);
        else
            snprintf(buf, cap, "scheme word (Basic, Bearer) kept, the rest [credential]");
        return buf;
    case LGN_P_BODY:
        return "a form as a query string, JSON as an object (keys through the name rules)";
    case LGN_P_UA:
        return "addresses (not product versions), phones, ids, cards, IBANs; e-mails kept";
    case LGN_P_JSON:
        return "each key decides, as the nginx variable of that name; nested objects too";
    default:
        return "every detector, name=value pairs by the name rules, every address";
    }
}

static void print_format(const struct lgn_format *f, const char *origin,
                         const struct lgn_rules *rules, FILE *out)
{
    char buf[160];
    fprintf(out, "format %s (%s)\n", f->name, origin);
    for (size_t i = 0; i < f->n_fields; i++) {
        const struct lgn_op *op = f->fields[i];
        fprintf(out, "  %-24s %-12s %s\n", op->name, lgn_policy_name(op->policy),
                detail(op, rules, buf, sizeof buf));
    }
    fprintf(out, "  %-24s %-12s %s\n", "(wrapper, extra fields)", lgn_policy_name(LGN_P_FREETEXT),
            "syslog and CRI prefixes, fields after the format");
    fprintf(out, "  %-24s %-12s %s\n", "(lines of no format)", lgn_policy_name(LGN_P_FREETEXT),
            "the user pseudonymised when the line starts like %h %l %u [%t, %h %u [%t, "
            "or %h - %u cut there or before a time");
}

/* With --format auto: the first format that one of the first lines of the
 * inputs (stdin when none) matches. */
static const struct lgn_format *detect(struct lgn_formats *fs, const struct lgn_config *cfg,
                                       char *origin, size_t cap, struct lgn_err *err)
{
    struct lgn_record rec;
    memset(&rec, 0, sizeof rec);
    const struct lgn_format *found = NULL;
    size_t n_in = cfg->n_inputs ? cfg->n_inputs : 1;
    for (size_t k = 0; k < n_in && found == NULL; k++) {
        const char *path = cfg->n_inputs ? cfg->inputs[k] : "-";
        struct lgn_input *in = lgn_input_open(path, NULL, err);
        if (in == NULL)
            break;
        struct lgn_line line;
        int rc;
        while (found == NULL && (rc = lgn_input_next(in, &line, err)) == 1 &&
               line.lineno <= DETECT_LINES)
            if (!line.too_long && (found = lgn_formats_match(fs, line.p, line.len, &rec)) != NULL)
                snprintf(origin, cap, "detected from %s:%llu", lgn_input_name(in),
                         (unsigned long long)line.lineno);
        lgn_input_close(in);
        if (rc < 0)
            break;
    }
    lgn_record_free(&rec);
    if (found == NULL && err->msg[0] == '\0')
        lgn_err_set(err, LGN_EXIT_BAD_LINES,
                    "no line of the first %d of the input matched a log format; give --format, "
                    "--apache-format or --nginx-format",
                    DETECT_LINES);
    return found;
}

int lgn_explain_format(const struct lgn_config *cfg, FILE *out, struct lgn_err *err)
{
    struct lgn_formats fs;
    if (lgn_formats_init(&fs, cfg, err) != 0)
        return err->exit_code;
    struct lgn_scrub *s = lgn_scrub_open(cfg, NULL, err);
    if (s == NULL) {
        lgn_formats_free(&fs);
        return err->exit_code;
    }
    for (size_t i = 0; i < fs.n; i++)
        lgn_policy_bind(fs.list[i], s);
    char origin[600];
    const struct lgn_format *f = fs.list[0];
    if (cfg->apache_format != NULL)
        snprintf(origin, sizeof origin, "--apache-format");
    else if (cfg->nginx_format != NULL)
        snprintf(origin, sizeof origin, "--nginx-format");
    else if (!fs.automatic)
        snprintf(origin, sizeof origin, "preset: %s", lgn_format_preset_spec(cfg->format));
    else
        f = detect(&fs, cfg, origin, sizeof origin, err);
    int code = LGN_EXIT_OK;
    if (f != NULL)
        print_format(f, origin, lgn_scrub_rules(s), out);
    else
        code = err->exit_code;
    lgn_scrub_free(s);
    lgn_formats_free(&fs);
    return code;
}
