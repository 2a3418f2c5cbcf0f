/* detect.c: picks the format of each line: the given one, or the preset that fits. */
#include "detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "syslog.h"

int lgn_formats_init(struct lgn_formats *fs, const struct lgn_config *cfg, struct lgn_err *err)
{
    memset(fs, 0, sizeof *fs);
    const char *const *names = lgn_format_preset_names();
    size_t n = 1;
    fs->automatic =
        cfg->apache_format == NULL && cfg->nginx_format == NULL && strcmp(cfg->format, "auto") == 0;
    if (fs->automatic)
        for (n = 0; names[n] != NULL; n++)
            ;
    fs->list = calloc(n, sizeof *fs->list);
    fs->matched = calloc(n, sizeof *fs->matched);
    if (fs->list == NULL || fs->matched == NULL) {
        lgn_formats_free(fs);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    fs->n = n;
    for (size_t i = 0; i < n; i++) {
        if (cfg->apache_format != NULL)
            fs->list[i] = lgn_format_apache("apache-format", cfg->apache_format, err);
        else if (cfg->nginx_format != NULL)
            fs->list[i] = lgn_format_nginx("nginx-format", cfg->nginx_format, err);
        else
            fs->list[i] = lgn_format_preset(fs->automatic ? names[i] : cfg->format, err);
        if (fs->list[i] == NULL) {
            lgn_formats_free(fs);
            return -1;
        }
    }
    return 0;
}

void lgn_formats_free(struct lgn_formats *fs)
{
    if (fs == NULL)
        return;
    for (size_t i = 0; fs->list != NULL && i < fs->n; i++)
        lgn_format_free(fs->list[i]);
    free(fs->list);
    free(fs->matched);
    memset(fs, 0, sizeof *fs);
}

static size_t skip_digits(const char *p, size_t i, size_t len)
{
    while (i < len && p[i] >= '0' && p[i] <= '9')
        i++;
    return i;
}

static size_t skip_to_space(const char *p, size_t i, size_t len)
{
    while (i < len && p[i] != ' ')
        i++;
    return i;
}

/* Length of a wrapper before the access-log line, or 0:
 *   syslog:  [<PRI>]Mmm dd HH:MM:SS HOST TAG: (as nginx's syslog: output and rsyslog write)
 *            <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD (RFC 5424)
 *   CRI:     2022-01-28T16:04:05.41Z stdout F (Kubernetes container logs) */
static size_t wrapper_len(const char *p, size_t len)
{
    if (len > 0 && p[0] == '<')
        return lgn_syslog_header_len(p, len);
    if (len > 16 && p[0] >= 'A' && p[0] <= 'Z')
        return lgn_syslog_rfc3164_len(p, len, 0);
    if (len > 20 && skip_digits(p, 0, len) == 4 && p[4] == '-' && p[10] == 'T') {
        size_t i = skip_to_space(p, 10, len);
        if (len - i > 10 &&
            (memcmp(p + i, " stdout ", 8) == 0 || memcmp(p + i, " stderr ", 8) == 0) &&
            (p[i + 8] == 'F' || p[i + 8] == 'P') && p[i + 9] == ' ')
            return i + 10;
    }
    return 0;
}

size_t lgn_wrapper_len(const char *line, size_t len)
{
    return wrapper_len(line, len);
}

bool lgn_cri_partial(const char *line, size_t len)
{
    if (len <= 20 || line[4] != '-') /* no "yyyy-": asked of every line read */
        return false;
    size_t head = wrapper_len(line, len);
    return head > 20 && line[head - 2] == 'P' && line[head - 3] == ' ' && line[0] != '<';
}

/* Accepts format i for the line: fills r and the detection state. */
static const struct lgn_format *accept(struct lgn_formats *fs, size_t i, const char *line,
                                       size_t len, size_t head, size_t used,
                                       const struct lgn_slice *fields, struct lgn_record *r)
{
    const struct lgn_format *f = fs->list[i];
    lgn_record_reset(r, f, line, len);
    memmove(r->in, fields, f->n_fields * sizeof fields[0]);
    r->in[LGN_REC_HEAD].len = head;
    r->in[LGN_REC_TAIL] = (struct lgn_slice){line + head + used, len - head - used};
    fs->last = i;
    fs->matched[i]++;
    if (fs->first == NULL)
        fs->first = f;
    return f;
}

/* Tries every format on the whole of [line+head, line+len). Real files keep
 * one format, so the last match is nearly always right; mixed files (several
 * vhosts' formats in one log) fall back to the rest. */
static const struct lgn_format *try_whole(struct lgn_formats *fs, const char *line, size_t len,
                                          size_t head, struct lgn_record *r)
{
    for (size_t k = 0; k < fs->n; k++) {
        size_t i = k == 0 ? fs->last : (k <= fs->last ? k - 1 : k);
        if (lgn_parse(fs->list[i], line + head, len - head, r->in))
            return accept(fs, i, line, len, head, len - head, r->in, r);
    }
    return NULL;
}

/* Extra fields after a known format are believed only when they are whole:
 * a quote that never closes (a line cut inside a field) or a carriage
 * return (two records joined) means the line is damaged, and a damaged
 * line is free text, not a shorter format plus extras. */
static bool whole_tail(const char *p, size_t n)
{
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r')
            return false;
        if (p[i] == '\\')
            i++;
        else if (p[i] == '"')
            open = !open;
    }
    return !open;
}

/* A known format followed by extra fields: the longest match wins, so a
 * combined line with a tail is not taken for common with a longer tail. */
static const struct lgn_format *try_tails(struct lgn_formats *fs, const char *line, size_t len,
                                          size_t head, struct lgn_record *r)
{
    struct lgn_slice best_fields[LGN_MAX_FIELDS];
    size_t best = fs->n, best_used = 0;
    for (size_t i = 0; i < fs->n; i++) {
        size_t used = lgn_parse_prefix(fs->list[i], line + head, len - head, r->in);
        if (used > best_used && whole_tail(line + head + used, len - head - used)) {
            best = i;
            best_used = used;
            memcpy(best_fields, r->in, fs->list[i]->n_fields * sizeof best_fields[0]);
        }
    }
    return best == fs->n ? NULL : accept(fs, best, line, len, head, best_used, best_fields, r);
}

const struct lgn_format *lgn_formats_match(struct lgn_formats *fs, const char *line, size_t len,
                                           struct lgn_record *r)
{
    const struct lgn_format *f = try_whole(fs, line, len, 0, r);
    if (f != NULL)
        return f;
    /* syslog and CRI wrappers, whatever the format: a custom format on
     * Kubernetes or behind syslog keeps its fields' policies */
    size_t head = wrapper_len(line, len);
    if (head >= 2 && line[head - 2] == 'P' && lgn_cri_partial(line, len))
        return NULL; /* a part of a record (joined by the reader when whole): free text */
    if (head > 0 && (f = try_whole(fs, line, len, head, r)) != NULL)
        return f;
    return fs->automatic ? try_tails(fs, line, len, head, r) : NULL;
}

const struct lgn_format *lgn_formats_match_loose(struct lgn_formats *fs, const char *line,
                                                 size_t len, struct lgn_record *r)
{
    if (memchr(line, '\r', len) != NULL || lgn_cri_partial(line, len))
        return NULL;
    size_t head = wrapper_len(line, len);
    /* In preference order, whatever matched before: worker threads, each
     * with its own history, must decide as one thread would. */
    for (size_t i = 0; i < fs->n; i++) {
        const struct lgn_format *f = fs->list[i];
        if (!lgn_parse_loose(f, line + head, len - head, r->in))
            continue;
        struct lgn_slice fields[LGN_MAX_FIELDS];
        memcpy(fields, r->in, f->n_fields * sizeof fields[0]);
        lgn_record_reset(r, f, line, len);
        memcpy(r->in, fields, f->n_fields * sizeof fields[0]);
        r->in[LGN_REC_HEAD].len = head;
        return f;
    }
    return NULL;
}

/* The fields a bad line must line up with before they are believed: the
 * address, ident, user and time of an access log (a text that merely
 * starts with an address and two words is no log line), or all of a
 * shorter format. */
#define LEADING_FIELDS 4

const struct lgn_format *lgn_formats_match_leading(struct lgn_formats *fs, const char *line,
                                                   size_t len, struct lgn_record *r)
{
    if (memchr(line, '\r', len) != NULL)
        return NULL;
    size_t head = wrapper_len(line, len);
    struct lgn_slice fields[LGN_MAX_FIELDS], best_fields[LGN_MAX_FIELDS];
    struct lgn_leading lead, best_lead = {0};
    size_t best = fs->n;
    /* the most fields with their shape win, then the least free text, then
     * preference order */
    for (size_t i = 0; i < fs->n; i++) {
        const struct lgn_format *f = fs->list[i];
        size_t lined = lgn_parse_leading(f, line + head, len - head, fields, &lead);
        if (lined < LEADING_FIELDS && lined < f->n_fields)
            continue;
        if (best == fs->n || lined > best_lead.lined_up ||
            (lined == best_lead.lined_up && lead.used > best_lead.used)) {
            best = i;
            best_lead = lead;
            memcpy(best_fields, fields, f->n_fields * sizeof fields[0]);
        }
    }
    if (best == fs->n)
        return NULL;
    const struct lgn_format *f = fs->list[best];
    lgn_record_reset(r, f, line, len);
    memcpy(r->in, best_fields, f->n_fields * sizeof best_fields[0]);
    r->in[LGN_REC_HEAD].len = head;
    r->in[LGN_REC_TAIL] =
        (struct lgn_slice){line + head + best_lead.used, len - head - best_lead.used};
    r->freetext = best_lead.freetext;
    return f;
}

void lgn_formats_describe(const struct lgn_config *cfg, char *out, size_t cap)
{
    if (cfg->apache_format != NULL)
        snprintf(out, cap, "the --apache-format string");
    else if (cfg->nginx_format != NULL)
        snprintf(out, cap, "the --nginx-format string");
    else if (strcmp(cfg->format, "auto") == 0)
        snprintf(out, cap, "--format auto");
    else
        snprintf(out, cap, "--format %s", cfg->format);
}
