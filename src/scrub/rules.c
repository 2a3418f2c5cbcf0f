/* rules.c: loads filters/ *.rules files into compiled PCRE2 rules. */
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "datafile.h"
#include "strdup.h"

/* Rule files are small; a bigger one is a mistake (a log given by accident). */
#define MAX_RULE_FILE (1u << 20)

struct lgn_rules *lgn_rules_new(struct lgn_err *err)
{
    struct lgn_rules *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    return rs;
}

static void rule_free(struct lgn_rule *r)
{
    free(r->id);
    free(r->name_src);
    free(r->value_src);
    pcre2_code_free(r->name_re);
    pcre2_code_free(r->value_re);
    free(r->contains);
    for (size_t i = 0; i < r->n_words; i++)
        free(r->words[i]);
    free(r->words);
    for (size_t i = 0; i < r->n_examples; i++) {
        free(r->examples[i].input);
        free(r->examples[i].output);
    }
    free(r->examples);
}

void lgn_rules_free(struct lgn_rules *rs)
{
    if (rs == NULL)
        return;
    for (size_t i = 0; i < rs->n; i++)
        rule_free(&rs->v[i]);
    free(rs->v);
    for (size_t i = 0; i < rs->n_files; i++)
        free(rs->files[i]);
    free(rs->files);
    free(rs);
}

const char *lgn_action_name(enum lgn_action a)
{
    static const char *const names[] = {"drop", "redact", "hash", "keep"};
    return names[a];
}

/* ---- parsing ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

struct parser {
    struct lgn_rules *rs;
    const char *file;
    unsigned line;
    struct lgn_rule *cur; /* the rule being read, or NULL */
    bool have_action;
    struct lgn_err *err;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *ps, const char *fmt, ...);

static int fail(struct parser *ps, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap); /* a cut message still says where */
    va_end(ap);
    return lgn_err_set(ps->err, LGN_EXIT_USAGE, "%s:%u: %s", ps->file, ps->line, msg);
}

static int oom(struct parser *ps)
{
    return lgn_err_set(ps->err, LGN_EXIT_INTERNAL, "out of memory");
}

static bool is_word(const char *p, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

static void set_bit(uint64_t bits[4], unsigned c)
{
    bits[c >> 6] |= 1ull << (c & 63);
}

/* Fills the rule's prefilter from what PCRE2 knows about the compiled pattern. */
static void prefilter(struct lgn_rule *r)
{
    uint32_t type = 0, unit = 0;
    size_t minlen = 0;
    memset(r->first, 0xff, sizeof r->first);
    r->required = -1;
    pcre2_pattern_info(r->value_re, PCRE2_INFO_FIRSTCODETYPE, &type);
    const uint8_t *bitmap = NULL;
    if (type == 1 && pcre2_pattern_info(r->value_re, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0) {
        memset(r->first, 0, sizeof r->first);
        set_bit(r->first, unit & 0xff);
        if ((unit >= 'a' && unit <= 'z') || (unit >= 'A' && unit <= 'Z'))
            set_bit(r->first, (unit ^ 0x20) & 0xff); /* it may be caseless */
    } else if (type == 0 && pcre2_pattern_info(r->value_re, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 &&
               bitmap != NULL) {
        for (unsigned c = 0; c < 256; c++)
            if (!(bitmap[c / 8] & (1u << (c % 8))))
                r->first[c >> 6] &= ~(1ull << (c & 63));
    }
    type = 0;
    pcre2_pattern_info(r->value_re, PCRE2_INFO_LASTCODETYPE, &type);
    if (type == 1 && pcre2_pattern_info(r->value_re, PCRE2_INFO_LASTCODEUNIT, &unit) == 0)
        r->required = (int)(unit & 0xff);
    if (pcre2_pattern_info(r->value_re, PCRE2_INFO_MINLENGTH, &minlen) == 0)
        r->min_len = minlen;
}

static int compile(struct parser *ps, const char *what, const char *pat, uint32_t opts,
                   pcre2_code **out)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &code, &off, NULL);
    if (re == NULL) {
        PCRE2_UCHAR msg[160];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", code);
        return fail(ps, "%s pattern: %s at offset %zu", what, (const char *)msg, (size_t)off);
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* without JIT, the interpreter still works */
    *out = re;
    return 0;
}

static int count_callout(pcre2_callout_enumerate_block *b, void *data)
{
    (void)b;
    ++*(int *)data;
    return 0;
}

/* A value pattern with a check ends in a callout that runs the validator.
 * The user's pattern is compiled alone first, so error offsets are theirs. */
static int compile_value(struct parser *ps, struct lgn_rule *r)
{
    pcre2_code *plain = NULL;
    if (compile(ps, "value", r->value_src, 0, &plain) != 0)
        return -1;
    if (r->check == LGN_CHECK_NONE) {
        r->value_re = plain;
        return 0;
    }
    pcre2_code_free(plain);
    size_t n = strlen(r->value_src) + 32;
    char *wrapped = malloc(n);
    if (wrapped == NULL)
        return oom(ps);
    /* \E ends a \Q the pattern may leave open (and is ignored otherwise). */
    snprintf(wrapped, n, "(?:%s\\E)(?C%d)", r->value_src, (int)r->check);
    int code;
    PCRE2_SIZE off;
    r->value_re = pcre2_compile((PCRE2_SPTR)wrapped, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
    free(wrapped);
    int callouts = 0;
    if (r->value_re != NULL)
        pcre2_callout_enumerate(r->value_re, count_callout, &callouts);
    if (callouts == 0) /* the suffix was eaten, e.g. by a trailing (?x) comment */
        return fail(ps, "value pattern: the check cannot be attached (a trailing comment?)");
    pcre2_jit_compile(r->value_re, PCRE2_JIT_COMPLETE);
    return 0;
}

/* Checks a finished rule and compiles it. */
static int finish_rule(struct parser *ps)
{
    struct lgn_rule *r = ps->cur;
    if (r == NULL)
        return 0;
    unsigned at = ps->line;
    ps->line = r->line;
    int rc = 0;
    if (r->name_src == NULL && r->n_words == 0 && r->value_src == NULL)
        rc = fail(ps, "rule '%s' has neither 'name', 'words' nor 'value'", r->id);
    else if (!ps->have_action)
        rc = fail(ps, "rule '%s' has no 'action'", r->id);
    else if (r->check != LGN_CHECK_NONE && r->value_src == NULL)
        rc = fail(ps, "rule '%s': 'check' needs a 'value' pattern", r->id);
    else if (r->value_src == NULL && (r->min_digits > 0 || r->contains != NULL))
        rc = fail(ps, "rule '%s': 'min-digits' and 'contains' need a 'value' pattern", r->id);
    else if (r->when != LGN_WHEN_ALWAYS &&
             (r->value_src != NULL || (r->name_src == NULL && r->n_words == 0)))
        rc = fail(ps, "rule '%s': 'when' is for name rules (without 'value')", r->id);
    if (rc == 0 && r->name_src != NULL)
        rc = compile(ps, "name", r->name_src, PCRE2_CASELESS | PCRE2_ANCHORED | PCRE2_ENDANCHORED,
                     &r->name_re);
    if (rc == 0 && r->value_src != NULL && compile_value(ps, r) == 0)
        prefilter(r);
    else if (rc == 0 && r->value_src != NULL)
        rc = -1;
    if (rc == 0 && r->label[0] == '\0')
        snprintf(r->label, sizeof r->label, "%s", r->id);
    ps->line = at;
    ps->cur = NULL;
    return rc;
}

static int start_rule(struct parser *ps, const char *arg, size_t n)
{
    if (finish_rule(ps) != 0)
        return -1;
    if (!is_word(arg, n))
        return fail(ps, "'rule' wants a name of letters, digits, '_', '-' or '.'");
    for (size_t i = 0; i < ps->rs->n; i++) {
        const struct lgn_rule *o = &ps->rs->v[i];
        if (strlen(o->id) == n && memcmp(o->id, arg, n) == 0)
            return fail(ps, "rule '%s' is already defined at %s:%u", o->id, o->file, o->line);
    }
    struct lgn_rules *rs = ps->rs;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 32;
        struct lgn_rule *v = realloc(rs->v, cap * sizeof *v);
        if (v == NULL)
            return oom(ps);
        rs->v = v;
        rs->cap = cap;
    }
    struct lgn_rule *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    r->file = ps->file;
    r->line = ps->line;
    r->action = LGN_ACT_REDACT;
    r->required = -1;
    if ((r->id = lgn_strndup(arg, n)) == NULL)
        return oom(ps);
    ps->cur = r;
    ps->have_action = false;
    return 0;
}

static int set_action(struct parser *ps, const char *arg, size_t n)
{
    struct lgn_rule *r = ps->cur;
    static const char *const names[] = {"drop", "redact", "hash", "keep"};
    size_t w = 0;
    while (w < n && arg[w] != ' ' && arg[w] != '\t')
        w++;
    int a = -1;
    for (int i = 0; i < 4; i++)
        if (strlen(names[i]) == w && memcmp(arg, names[i], w) == 0)
            a = i;
    if (a < 0)
        return fail(ps, "unknown action '%.*s' (drop, redact LABEL, hash LABEL or keep)", (int)w,
                    arg);
    const char *label = arg + w;
    size_t ln = n - w;
    while (ln > 0 && (*label == ' ' || *label == '\t'))
        label++, ln--;
    if (ln > 0 && (a == LGN_ACT_DROP || a == LGN_ACT_KEEP))
        return fail(ps, "action '%s' takes no label", names[a]);
    if (ln > 0 && (!is_word(label, ln) || ln > LGN_LABEL_MAX))
        return fail(ps, "label '%.*s': use up to %d letters, digits, '_', '-' or '.'", (int)ln,
                    label, LGN_LABEL_MAX);
    r->action = (enum lgn_action)a;
    memcpy(r->label, label, ln);
    r->label[ln] = '\0';
    ps->have_action = true;
    return 0;
}

static int add_example(struct parser *ps, const char *arg, size_t n)
{
    struct lgn_rule *r = ps->cur;
    const char *sep = NULL;
    for (size_t i = 0; i + 4 <= n && sep == NULL; i++)
        if (memcmp(arg + i, " => ", 4) == 0)
            sep = arg + i;
    if (sep == NULL)
        return fail(ps, "'expect' wants 'INPUT => OUTPUT'");
    size_t in_n = (size_t)(sep - arg);
    const char *out = sep + 4;
    size_t out_n = n - in_n - 4;
    while (in_n > 0 && (arg[in_n - 1] == ' ' || arg[in_n - 1] == '\t'))
        in_n--;
    while (out_n > 0 && (*out == ' ' || *out == '\t'))
        out++, out_n--;
    if (in_n == 0 || out_n == 0)
        return fail(ps, "'expect' wants 'INPUT => OUTPUT'");
    struct lgn_example *v = realloc(r->examples, (r->n_examples + 1) * sizeof *v);
    if (v == NULL)
        return oom(ps);
    r->examples = v;
    struct lgn_example *e = &v[r->n_examples];
    e->line = ps->line;
    e->input = lgn_strndup(arg, in_n);
    e->output = lgn_strndup(out, out_n);
    if (e->input == NULL || e->output == NULL) {
        free(e->input);
        free(e->output);
        return oom(ps);
    }
    r->n_examples++;
    return 0;
}

/* `words w1 w2 ...`: lower-case letters and digits, as names.c splits them. */
static int add_words(struct parser *ps, const char *arg, size_t n)
{
    struct lgn_rule *r = ps->cur;
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space(arg[i]))
            i++;
        size_t s = i;
        while (i < n && !is_space(arg[i])) {
            char c = arg[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                return fail(ps, "'words' wants lower-case letters and digits, e.g. 'token apikey'");
            i++;
        }
        if (i == s)
            break;
        char **v = realloc(r->words, (r->n_words + 1) * sizeof *v);
        if (v == NULL)
            return oom(ps);
        r->words = v;
        if ((v[r->n_words] = lgn_strndup(arg + s, i - s)) == NULL)
            return oom(ps);
        r->n_words++;
    }
    return 0;
}

static int keyword(struct parser *ps, const char *kw, size_t kn, const char *arg, size_t n)
{
#define IS(s) (kn == sizeof(s) - 1 && memcmp(kw, s, kn) == 0)
    if (IS("rule"))
        return start_rule(ps, arg, n);
    static const char *const known[] = {"name",       "value",    "check", "action", "expect",
                                        "min-digits", "contains", "words", "when"};
    bool is_known = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        is_known |= strlen(known[i]) == kn && memcmp(known[i], kw, kn) == 0;
    if (!is_known)
        return fail(ps,
                    "unknown keyword '%.*s' (rule, name, words, when, value, check, action, "
                    "expect, min-digits, contains)",
                    (int)kn, kw);
    struct lgn_rule *r = ps->cur;
    if (r == NULL)
        return fail(ps, "'%.*s' before the first 'rule' line", (int)kn, kw);
    if (n == 0)
        return fail(ps, "'%.*s' needs a value", (int)kn, kw);
    if (IS("name") || IS("value")) {
        char **dst = IS("name") ? &r->name_src : &r->value_src;
        if (*dst != NULL)
            return fail(ps, "rule '%s' has a second '%.*s'", r->id, (int)kn, kw);
        if (memchr(arg, '\0', n) != NULL)
            return fail(ps, "NUL byte in a pattern");
        return (*dst = lgn_strndup(arg, n)) == NULL ? oom(ps) : 0;
    }
    if (IS("words"))
        return add_words(ps, arg, n);
    if (IS("when")) {
        if (r->when != LGN_WHEN_ALWAYS)
            return fail(ps, "rule '%s' has a second 'when'", r->id);
        if (n != 14 || memcmp(arg, "oauth-callback", 14) != 0)
            return fail(ps, "unknown condition '%.*s'; known: oauth-callback", (int)n, arg);
        r->when = LGN_WHEN_OAUTH_CALLBACK;
        return 0;
    }
    if (IS("check")) {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(n < 31 ? n : 31), arg);
        enum lgn_check c = n < 31 ? lgn_check_find(name) : LGN_CHECK_NONE;
        if (c == LGN_CHECK_NONE) {
            char list[160] = "";
            size_t l = 0;
            for (int i = 1; i < LGN_CHECK_COUNT && l < sizeof list; i++)
                l += (size_t)snprintf(list + l, sizeof list - l, " %s",
                                      lgn_check_name((enum lgn_check)i));
            return fail(ps, "unknown check '%.*s'; known:%s", (int)n, arg, list);
        }
        if (r->check != LGN_CHECK_NONE)
            return fail(ps, "rule '%s' has a second 'check'", r->id);
        r->check = c;
        return 0;
    }
    if (IS("action")) {
        if (ps->have_action)
            return fail(ps, "rule '%s' has a second 'action'", r->id);
        return set_action(ps, arg, n);
    }
    if (IS("expect"))
        return add_example(ps, arg, n);
    if (IS("min-digits")) {
        unsigned v = 0;
        for (size_t i = 0; i < n; i++) {
            if (arg[i] < '0' || arg[i] > '9' || v > 1000)
                return fail(ps, "'min-digits' wants a number from 0 to 1000");
            v = v * 10 + (unsigned)(arg[i] - '0');
        }
        if (v > 1000)
            return fail(ps, "'min-digits' wants a number from 0 to 1000");
        r->min_digits = v;
        return 0;
    }
    /* contains */
    if (r->contains != NULL)
        return fail(ps, "rule '%s' has a second 'contains'", r->id);
    r->contains_len = n;
    return (r->contains = lgn_strndup(arg, n)) == NULL ? oom(ps) : 0;
#undef IS
}

int lgn_rules_load_text(struct lgn_rules *rs, const char *name, const char *text, size_t len,
                        struct lgn_err *err)
{
    char **files = realloc(rs->files, (rs->n_files + 1) * sizeof *files);
    if (files == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    rs->files = files;
    if ((files[rs->n_files] = lgn_strdup(name)) == NULL)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    struct parser ps = {.rs = rs, .file = files[rs->n_files++], .err = err};
    size_t first_rule = rs->n;
    size_t pos = 0;
    int rc = 0;
    while (rc == 0 && pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *l = text + pos;
        size_t n = end - pos;
        pos = end + 1;
        ps.line++;
        if (n > 0 && l[n - 1] == '\r')
            n--;
        while (n > 0 && is_space(*l))
            l++, n--;
        while (n > 0 && is_space(l[n - 1]))
            n--;
        if (n == 0 || l[0] == '#')
            continue;
        size_t kn = 0;
        while (kn < n && !is_space(l[kn]))
            kn++;
        size_t a = kn;
        while (a < n && is_space(l[a]))
            a++;
        rc = keyword(&ps, l, kn, l + a, n - a);
    }
    if (rc == 0)
        rc = finish_rule(&ps);
    if (rc != 0) { /* a file loads whole or not at all */
        for (size_t i = first_rule; i < rs->n; i++)
            rule_free(&rs->v[i]);
        rs->n = first_rule;
    }
    return rc;
}

int lgn_rules_load_file(struct lgn_rules *rs, const char *path, struct lgn_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return lgn_err_set(err, LGN_EXIT_USAGE, "%s: %s", path, strerror(errno));
    char *buf = malloc(MAX_RULE_FILE + 1);
    if (buf == NULL) {
        fclose(f);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
    }
    size_t n = fread(buf, 1, MAX_RULE_FILE + 1, f);
    int rc;
    if (ferror(f))
        rc = lgn_err_set(err, LGN_EXIT_USAGE, "%s: %s", path, strerror(errno));
    else if (n > MAX_RULE_FILE)
        rc = lgn_err_set(err, LGN_EXIT_USAGE, "%s: larger than 1 MiB; not a rule file?", path);
    else if (memchr(buf, '\0', n) != NULL)
        rc = lgn_err_set(err, LGN_EXIT_USAGE, "%s: holds NUL bytes; not a rule file?", path);
    else
        rc = lgn_rules_load_text(rs, path, buf, n, err);
    free(buf);
    fclose(f);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int lgn_rules_load_dir(struct lgn_rules *rs, const char *dir, struct lgn_err *err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return lgn_err_set(err, LGN_EXIT_USAGE, "%s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 6 || e->d_name[0] == '.' || strcmp(e->d_name + l - 6, ".rules") != 0)
            continue;
        char **v = realloc(names, (n + 1) * sizeof *v);
        if (v == NULL || (v[n] = lgn_strndup(e->d_name, l)) == NULL) {
            names = v ? v : names;
            rc = lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
            break;
        }
        names = v;
        n++;
    }
    closedir(d);
    if (rc == 0 && n == 0)
        rc = lgn_err_set(err, LGN_EXIT_USAGE, "%s: no *.rules files in this directory", dir);
    if (rc == 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            char path[PATH_MAX];
            const char *slash = dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/";
            if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, slash, names[i]) >= sizeof path)
                rc = lgn_err_set(err, LGN_EXIT_USAGE, "%s/%s: path too long", dir, names[i]);
            else
                rc = lgn_rules_load_file(rs, path, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

const char *lgn_rules_default_dir(char *buf, size_t cap)
{
    return lgn_datafile_find("filters", "", true, buf, cap);
}

int lgn_rules_callout(pcre2_callout_block *cb, void *data)
{
    (void)data;
    const char *s = (const char *)cb->subject + cb->start_match;
    size_t n = cb->current_position - cb->start_match;
    /* Nonzero makes PCRE2 backtrack: try a shorter or a later match. */
    return lgn_check_run((enum lgn_check)cb->callout_number, s, n) ? 0 : 1;
}

void lgn_rules_list(const struct lgn_rules *rs, FILE *out)
{
    for (size_t i = 0; i < rs->n; i++) {
        const struct lgn_rule *r = &rs->v[i];
        fprintf(out, "%s:%u: %s:", r->file, r->line, r->id);
        if (r->name_src)
            fprintf(out, " name /%s/", r->name_src);
        for (size_t k = 0; k < r->n_words; k++)
            fprintf(out, "%s%s", k == 0 ? " words " : " ", r->words[k]);
        if (r->when == LGN_WHEN_OAUTH_CALLBACK)
            fprintf(out, " when oauth-callback");
        if (r->value_src)
            fprintf(out, " value /%s/", r->value_src);
        if (r->check != LGN_CHECK_NONE)
            fprintf(out, " check %s", lgn_check_name(r->check));
        fprintf(out, " -> %s", lgn_action_name(r->action));
        if (r->action == LGN_ACT_REDACT || r->action == LGN_ACT_HASH)
            fprintf(out, " %s", r->label);
        fprintf(out, " (%zu example%s)\n", r->n_examples, r->n_examples == 1 ? "" : "s");
    }
    fprintf(out, "%zu rule%s from %zu file%s\n", rs->n, rs->n == 1 ? "" : "s", rs->n_files,
            rs->n_files == 1 ? "" : "s");
}
