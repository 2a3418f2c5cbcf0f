/* fuzz_parse.c: libFuzzer target for the line parser, per preset and in auto
 * mode, with the privacy oracle: the lines go through the whole pipeline
 * (detect, parse, anonymise, emit; bad lines scrubbed) and no address of the
 * input that the IP mode must change may appear in the output, in a notice or
 * in the summary (a product version in a user agent, "Chrome/120.0.0.0", is
 * not an address: lognym keeps it by design, and so does the oracle).
 * Besides the presets, two formats log the field kinds of issue 11: "policies"
 * (nginx: cookies, credentials, $arg_NAME, bodies, identity fields) and
 * "apache-fields" (%{Cookie}i, %{Authorization}i, %{Set-Cookie}o, %{…}x,
 * %{…}e, unknown headers, %{NAME}C); the json preset covers JSON lines.
 * Every "@@" in the input is replaced by a planted e-mail address
 * (PLANTED_EMAIL), which must not survive in the output either, except in a
 * user agent, where lognym keeps e-mail addresses (bots' contacts).
 * Input: byte 0 picks the format (a preset, "policies", auto or
 * "apache-fields"), byte 1 the IP mode (truncate, hash, cryptopan); the rest
 * are lines, split at '\n'. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "anon.h"
#include "config.h"
#include "detect.h"
#include "err.h"
#include "input.h"
#include "ip.h"
#include "logfmt.h"
#include "parse.h"
#include "pipeline.h"
#include "record.h"
#include "summary.h"

#include "fuzz.h"

#define MAX_FORMATS 64
#define N_MODES 3
#define MAX_ADDRS 256
#define MAX_TEXT 65536

#define PLANTED_EMAIL "jane.q7x@example.com&"
#define PLANTED_LOCAL "jane.q7x"

/* Apache directives of issue 11's field kinds (after "auto", so byte 0 of the
 * older seeds keeps its meaning). */
#define APACHE_FIELDS_FORMAT                                                                       \
    "%h %l %u %t \"%r\" %>s %b \"%{Cookie}i\" \"%{Authorization}i\" \"%{Set-Cookie}o\" "           \
    "\"%{SSL_CLIENT_S_DN}x\" %{OIDC_CLAIM_email}e \"%{X-Note}i\" %{sid}C \"%{User-Agent}i\""

/* presets, "policies", "auto", "apache-fields"; formats[i] compiles names[i]
 * (NULL for auto) */
static const char *names[MAX_FORMATS + 3];
static struct lgn_format *formats[MAX_FORMATS + 3];
static size_t n_names;
/* One fixed key for every runner (crashes replay with the same pseudonyms),
 * and an engine of the same mode and key for the oracle to predict them. */
static char key_path[] = "/tmp/fuzz_parse.key.XXXXXX";
static struct lgn_anon *predict[N_MODES];

struct runner {
    struct lgn_config cfg;
    struct lgn_summary sum;
    struct lgn_err err;
    struct lgn_pipeline *p;
    struct memfile out;
    /* The same format detection as the pipeline's, fed the same lines, to
     * know where the user-agent fields are. */
    struct lgn_formats fs;
    struct lgn_record rec;
};

/* User-agent fields of the current input, as offsets into it: there a dotted
 * quad right after "Name/" is a product version ("Chrome/120.0.0.0"), which
 * lognym keeps by design. */
#define MAX_UA 256
static size_t ua_from[MAX_UA], ua_to[MAX_UA], n_ua;
static struct runner *runners[MAX_FORMATS + 3][N_MODES];

/* A format with a field of every policy (issue 11), so the oracle covers
 * cookies, credentials, query values, bodies and identity fields too. */
#define POLICIES_FORMAT                                                                            \
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "             \
    "\"$http_referer\" \"$http_user_agent\" \"$http_cookie\" $cookie_sid "                         \
    "\"$http_authorization\" \"$http_x_api_key\" $arg_email \"$request_body\" "                    \
    "\"$ssl_client_s_dn\" \"$sent_http_set_cookie\" $request_time $request_id"

/* Notices (the detected format) and errors the pipeline reports. */
static char reported[4096];
static size_t reported_len;

static void report(bool error, const char *msg)
{
    (void)error;
    size_t n = strlen(msg);
    if (n > sizeof reported - reported_len - 1)
        n = sizeof reported - reported_len - 1;
    memcpy(reported + reported_len, msg, n);
    reported_len += n;
    if (reported_len < sizeof reported - 1)
        reported[reported_len++] = '\n';
}

static void remove_key(void)
{
    unlink(key_path);
}

static void init(void)
{
    int fd = mkstemp(key_path);
    static const char key[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    if (fd < 0 || write(fd, key, sizeof key - 1) != (ssize_t)(sizeof key - 1) || close(fd) != 0)
        abort();
    atexit(remove_key);
    const char *const *presets = lgn_format_preset_names();
    for (n_names = 0; presets[n_names] != NULL && n_names < MAX_FORMATS; n_names++) {
        struct lgn_err err = {0};
        names[n_names] = presets[n_names];
        formats[n_names] = lgn_format_preset(presets[n_names], &err);
        if (formats[n_names] == NULL) {
            fprintf(stderr, "preset %s: %s\n", presets[n_names], err.msg);
            abort();
        }
    }
    struct lgn_err err = {0};
    names[n_names] = "policies";
    if ((formats[n_names++] = lgn_format_nginx("policies", POLICIES_FORMAT, &err)) == NULL) {
        fprintf(stderr, "policies format: %s\n", err.msg);
        abort();
    }
    names[n_names++] = "auto";
    names[n_names] = "apache-fields";
    if ((formats[n_names++] = lgn_format_apache("apache-fields", APACHE_FIELDS_FORMAT, &err)) ==
        NULL) {
        fprintf(stderr, "apache-fields format: %s\n", err.msg);
        abort();
    }
}

static struct runner *runner(size_t fi, int mode)
{
    if (runners[fi][mode] != NULL)
        return runners[fi][mode];
    struct runner *r = calloc(1, sizeof *r);
    if (r == NULL)
        abort();
    memfile_open(&r->out, "fuzz_parse.out");
    lgn_config_defaults(&r->cfg);
    r->cfg.format = names[fi];
    if (strcmp(names[fi], "policies") == 0) {
        r->cfg.format = "auto";
        r->cfg.nginx_format = POLICIES_FORMAT;
    }
    if (strcmp(names[fi], "apache-fields") == 0) {
        r->cfg.format = "auto";
        r->cfg.apache_format = APACHE_FIELDS_FORMAT;
    }
    r->cfg.anon.mode = mode == 0 ? LGN_IP_TRUNCATE : mode == 1 ? LGN_IP_HASH : LGN_IP_CRYPTOPAN;
    r->cfg.output = r->out.path;
    r->cfg.quiet = true;
    r->cfg.anon.key_file = key_path;
    if (predict[mode] == NULL && (predict[mode] = lgn_anon_new(&r->cfg.anon, &r->err)) == NULL) {
        fprintf(stderr, "fuzz_parse: %s\n", r->err.msg);
        abort();
    }
    /* The shipped rules (run from the top of the tree, or LGN_FUZZ_FILTERS),
     * so the oracle covers URL scrubbing too; none when there are none. */
    const char *filters = getenv("LGN_FUZZ_FILTERS");
    r->cfg.filters_dir = filters != NULL ? filters : "filters";
    r->p = lgn_pipeline_new(&r->cfg, &r->sum, report, &r->err);
    if (r->p == NULL) {
        static bool said;
        if (!said)
            fprintf(stderr, "fuzz_parse: %s; running without filters\n", r->err.msg);
        said = true;
        r->cfg.filters_dir = NULL;
        r->cfg.no_filters = true;
        r->p = lgn_pipeline_new(&r->cfg, &r->sum, report, &r->err);
    }
    if (r->p == NULL) {
        fprintf(stderr, "fuzz_parse: pipeline for %s: %s\n", names[fi], r->err.msg);
        abort();
    }
    if (lgn_formats_init(&r->fs, &r->cfg, &r->err) != 0) {
        fprintf(stderr, "fuzz_parse: formats for %s: %s\n", names[fi], r->err.msg);
        abort();
    }
    runners[fi][mode] = r;
    return r;
}

/* Notes the user-agent fields of one parsed record (offsets into line). */
static bool line_is_json; /* the current line is a JSON object (json preset) */

static void note_record_ua(const struct lgn_format *f, const struct lgn_record *rec,
                           const char *line)
{
    size_t fi = 0;
    for (size_t k = 0; k < f->n_ops; k++) {
        if (!f->ops[k].is_field)
            continue;
        struct lgn_slice v = rec->in[fi++];
        /* JSON lines: a user-agent key keeps its product versions as the
         * field does; the oracle does not follow keys, so the whole object
         * counts (addresses not shaped like "Name/a.b.c.d" are still checked). */
        bool json = f->ops[k].policy == LGN_P_JSON;
        line_is_json = line_is_json || json;
        bool glued = (rec->freetext >> (fi - 1) & 1u) != 0; /* free text, not a user agent */
        if ((f->ops[k].kind == LGN_K_UA || json) && !glued && n_ua < MAX_UA) {
            ua_from[n_ua] = (size_t)(v.p - line);
            ua_to[n_ua++] = (size_t)(v.p - line) + v.len;
        }
    }
}

/* Notes the user-agent fields of one line as the pipeline will parse it:
 * CR stripped, lines with NUL bytes are bad; a bad line keeps its fields'
 * policies (or those of the fields that line up), each piece of records
 * joined by a bare CR on its own. */
static void note_ua_text(struct runner *r, const char *line, size_t len);

/* A line with NUL bytes is read with them dropped, as the pipeline does:
 * the fields found in the copy, mapped back onto the line. */
static void note_ua_fields(struct runner *r, const char *line, size_t len)
{
    n_ua = 0;
    line_is_json = false;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (memchr(line, '\0', len) == NULL) {
        note_ua_text(r, line, len);
        return;
    }
    char *copy = malloc(len + 1);
    size_t *at = malloc((len + 1) * sizeof *at), m = 0;
    if (copy == NULL || at == NULL)
        abort();
    for (size_t i = 0; i < len; i++)
        if (line[i] != '\0')
            copy[m] = line[i], at[m++] = i;
    at[m] = len;
    note_ua_text(r, copy, m);
    for (size_t k = 0; k < n_ua; k++) {
        size_t to = ua_to[k];
        ua_from[k] = at[ua_from[k]];
        ua_to[k] = to > 0 ? at[to - 1] + 1 : 0;
    }
    free(copy);
    free(at);
}

static void note_ua_text(struct runner *r, const char *line, size_t len)
{
    const struct lgn_format *f = lgn_formats_match(&r->fs, line, len, &r->rec);
    if (f != NULL) {
        note_record_ua(f, &r->rec, line);
        return;
    }
    const char *p = line, *end = line + len;
    while (p <= end) {
        const char *cr = memchr(p, '\r', (size_t)(end - p));
        size_t n = cr != NULL ? (size_t)(cr - p) : (size_t)(end - p);
        f = lgn_formats_match_loose(&r->fs, p, n, &r->rec);
        if (f == NULL)
            f = lgn_formats_match_leading(&r->fs, p, n, &r->rec);
        if (f != NULL)
            note_record_ua(f, &r->rec, line);
        if (cr == NULL)
            break;
        p = cr + 1;
    }
}

static bool in_json_ua(const char *line, size_t at);

/* A product version in a user agent: "Name/a.b.c.d". */
static bool ua_version(const struct fz_addr *a, const char *in)
{
    if (a->v6 || a->at < 2 || in[a->at - 1] != '/')
        return false;
    char c = in[a->at - 2];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
        return false;
    for (size_t i = 0; i < n_ua; i++)
        if (a->at >= ua_from[i] && a->at < ua_to[i])
            return true;
    return in_json_ua(in, a->at); /* a JSON object's User-Agent, in a bad line too */
}

/* An address the IP mode must change (the others may pass unchanged:
 * truncation keeps a.b.c.0; hash mode leaves its own output ranges). */
static bool must_change(const struct fz_addr *a, int mode)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    bool is_mapped = a->v6 && memcmp(a->b, mapped, 12) == 0;
    const unsigned char *v4 = a->v6 ? a->b + 12 : a->b;
    if (mode == 2) /* cryptopan: every address */
        return true;
    if (mode == 1) { /* hash: all but 240.0.0.0/4 and 100::/64 */
        if (!a->v6 || is_mapped)
            return v4[0] < 240;
        static const unsigned char discard[8] = {1, 0, 0, 0, 0, 0, 0, 0};
        return memcmp(a->b, discard, 8) != 0;
    }
    if (!a->v6 || is_mapped) /* truncate to /24 */
        return v4[3] != 0;
    for (int i = 6; i < 16; i++) /* truncate to /48 */
        if (a->b[i] != 0)
            return true;
    return false;
}

/* Whether a is the pseudonym of one of the input addresses: cryptopan maps
 * addresses onto addresses, so an input address may come out again as the
 * pseudonym of another one (or of itself, a fixed point of the permutation). */
static bool pseudonym_of_input(int mode, const struct fz_addr *a, const struct fz_addr *in,
                               size_t ni)
{
    for (size_t k = 0; k < ni && mode == 2; k++) {
        struct lgn_ip ip = {.family = in[k].v6 ? 6 : 4}, back;
        memcpy(ip.bytes, in[k].b, in[k].v6 ? 16 : 4);
        char text[LGN_IP_STRLEN], out[LGN_ANON_MAX];
        size_t tn = lgn_ip_format(&ip, text);
        size_t on = lgn_anon_ip(predict[mode], text, tn, &ip, out);
        if (lgn_ip_parse(out, on, &back) && back.family == ip.family &&
            memcmp(back.bytes, a->b, a->v6 ? 16 : 4) == 0 && a->v6 == (back.family == 6))
            return true;
    }
    return false;
}

/* Fails (abort) when any address of in that must change appears in text. */
static void oracle(const char *what, const char *in, size_t in_len, const char *text,
                   size_t text_len, int mode, const char *format)
{
    static struct fz_addr ia[MAX_ADDRS], oa[MAX_ADDRS];
    size_t ni = fz_find_addrs(in, in_len, ia, MAX_ADDRS);
    if (ni == 0)
        return;
    size_t no = fz_find_addrs(text, text_len, oa, MAX_ADDRS);
    if (ni > MAX_ADDRS)
        ni = MAX_ADDRS;
    if (no > MAX_ADDRS)
        no = MAX_ADDRS;
    /* A value kept legitimately at one place (a product version) may show in
     * the output even where it also stood for an address: skip such values. */
    static bool kept[MAX_ADDRS];
    for (size_t i = 0; i < ni; i++)
        kept[i] = ua_version(&ia[i], in);
    for (size_t i = 0; i < ni; i++) {
        bool skip = !must_change(&ia[i], mode);
        for (size_t k = 0; k < ni && !skip; k++)
            skip = kept[k] && fz_addr_eq(&ia[i], &ia[k]);
        if (skip)
            continue;
        for (size_t k = 0; k < no; k++) {
            if (fz_addr_eq(&ia[i], &oa[k]) && !pseudonym_of_input(mode, &ia[i], ia, ni)) {
                char s[64];
                fz_addr_str(&ia[i], s, sizeof s);
                fprintf(stderr,
                        "PRIVACY: input address %s survives in the %s (format %s, mode %s)\n", s,
                        what, format,
                        mode == 0   ? "truncate"
                        : mode == 1 ? "hash"
                                    : "cryptopan");
                fz_dump("input", in, in_len);
                fz_dump(what, text, text_len);
                abort();
            }
        }
    }
}

/* True when offset at of a JSON line lies in a string value (or an array of
 * them) whose key names a user agent ("http_user_agent", "User-Agent"). */
static bool in_json_ua(const char *line, size_t at)
{
    size_t q = at;
    while (q > 0 && line[q - 1] != '"')
        q--;
    if (q == 0)
        return false;
    size_t k = q - 1; /* the value's opening quote; before it ':' or '[' */
    while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '[' || line[k - 1] == ':'))
        k--;
    if (k == 0 || line[k - 1] != '"')
        return false;
    size_t e = k - 1, b = e; /* the key is line[b, e) */
    while (b > 0 && line[b - 1] != '"')
        b--;
    for (size_t i = b; i + 5 <= e; i++)
        if (strncasecmp(line + i, "agent", 5) == 0)
            return true;
    return false;
}

/* The e-mail oracle for one line: planted at the offsets plant[0..n) of the
 * line that went in, it must not survive in out (but in a user agent). */
static void email_oracle(const char *line, size_t len, const size_t *plant, size_t n,
                         const char *out, size_t out_len, int mode, const char *format)
{
    for (size_t i = 0; i < n; i++) {
        /* JSON objects keep their keys' policies in a bad line too: a
         * "User-Agent" value there keeps its e-mail as the key's does */
        if (in_json_ua(line, plant[i]))
            return;
        if (line_is_json)
            continue;
        for (size_t k = 0; k < n_ua; k++)
            if (plant[i] >= ua_from[k] && plant[i] < ua_to[k])
                return;
    }
    if (n == 0 || memmem(out, out_len, PLANTED_LOCAL, strlen(PLANTED_LOCAL)) == NULL)
        return;
    fprintf(stderr,
            "PRIVACY: the planted e-mail address survives in the output (format %s, mode %s)\n",
            format,
            mode == 0   ? "truncate"
            : mode == 1 ? "hash"
                        : "cryptopan");
    fz_dump("input", line, len);
    fz_dump("output", out, out_len);
    abort();
}

/* Field slices lie inside the line, in order, without overlap. */
static void check_slices(const struct lgn_format *f, const char *line, size_t len,
                         const struct lgn_slice *fields, size_t used)
{
    const char *prev = line;
    for (size_t i = 0; i < f->n_fields; i++) {
        const struct lgn_slice s = fields[i];
        if (s.p < prev || s.p + s.len > line + used || s.p + s.len < s.p) {
            fprintf(stderr, "format %s: field %zu outside the line or out of order\n", f->name, i);
            fz_dump("line", line, len);
            abort();
        }
        prev = s.p + s.len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (n_names == 0)
        init();
    if (size < 2)
        return 0;
    size_t fi = data[0] % n_names;
    int mode = data[1] % N_MODES;
    const char *raw = (const char *)data + 2;
    size_t raw_n = size - 2;

    /* Every "@@" becomes the planted e-mail address (not when the input
     * already spells its local part: then nothing tells them apart). */
    static char text_buf[MAX_TEXT];
    static size_t plant_at[MAX_TEXT / 2];
    size_t n_plants = 0, n = 0;
    bool planting = memmem(raw, raw_n, PLANTED_LOCAL, strlen(PLANTED_LOCAL)) == NULL;
    for (size_t i = 0; i < raw_n;) {
        size_t plen = sizeof PLANTED_EMAIL - 1;
        if (planting && i + 1 < raw_n && raw[i] == '@' && raw[i + 1] == '@' &&
            n + plen <= sizeof text_buf) {
            plant_at[n_plants++] = n;
            memcpy(text_buf + n, PLANTED_EMAIL, plen);
            n += plen;
            i += 2;
        } else if (n < sizeof text_buf) {
            text_buf[n++] = raw[i++];
        } else {
            break;
        }
    }
    const char *text = text_buf;

    /* The parser alone: fields inside the line, for one format. */
    if (formats[fi] != NULL) {
        static struct lgn_slice fields[LGN_MAX_FIELDS];
        const char *line = text;
        const char *nl = memchr(text, '\n', n);
        size_t len = nl ? (size_t)(nl - text) : n;
        if (lgn_parse(formats[fi], line, len, fields))
            check_slices(formats[fi], line, len, fields, len);
        size_t used = lgn_parse_prefix(formats[fi], line, len, fields);
        if (used > len) {
            fprintf(stderr, "lgn_parse_prefix: %zu bytes used of %zu\n", used, len);
            abort();
        }
        if (used > 0)
            check_slices(formats[fi], line, len, fields, used);
    }

    /* The pipeline, with the oracle. */
    struct runner *r = runner(fi, mode);
    reported_len = 0;
    struct lgn_line line = {0};
    size_t pos = 0;
    while (pos < n) { /* line by line: each output line is checked against its input */
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) : n - pos;
        line.p = text + pos;
        line.len = len;
        line.lineno++;
        line.had_newline = nl != NULL;
        memfile_set(&r->out, "", 0);
        note_ua_fields(r, line.p, len);
        if (lgn_pipeline_line(r->p, &line, "fuzz.log") != 0 || lgn_pipeline_flush(r->p) != 0) {
            fprintf(stderr, "fuzz_parse: lgn_pipeline_line failed: %s\n", r->err.msg);
            abort();
        }
        size_t out_len;
        char *out = memfile_get(&r->out, &out_len);
        oracle("output", line.p, len, out, out_len, mode, names[fi]);
        static size_t line_plants[MAX_TEXT / 2];
        size_t n_lp = 0;
        for (size_t k = 0; k < n_plants; k++)
            if (plant_at[k] >= pos && plant_at[k] < pos + len)
                line_plants[n_lp++] = plant_at[k] - pos;
        email_oracle(line.p, len, line_plants, n_lp, out, out_len, mode, names[fi]);
        free(out);
        pos += len + (nl != NULL);
    }
    n_ua = 0; /* no exemptions in messages */
    line_is_json = false;
    oracle("notices", text, n, reported, reported_len, mode, names[fi]);

    char *sum = NULL;
    size_t sum_len = 0;
    FILE *f = open_memstream(&sum, &sum_len);
    if (f == NULL)
        abort();
    lgn_summary_print(f, &r->sum, "scrubbed");
    fclose(f);
    oracle("summary", text, n, sum, sum_len, mode, names[fi]);
    free(sum);
    memset(&r->sum, 0, sizeof r->sum); /* keeps the summary's line lists short */
    return 0;
}
