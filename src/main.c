/* main.c: command line, subcommands, usage, and the only exit(). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "conffile.h"
#include "config.h"
#include "err.h"
#include "key.h"
#include "listen.h"
#include "logfmt.h"
#include "options.h"
#include "pipeline.h"
#include "report_write.h"
#include "statsmerge.h"
#include "rotate.h"
#include "scrub.h"
#include "signals.h"
#include "summary.h"

#ifndef LGN_VERSION
#define LGN_VERSION "0.1.0"
#endif

static bool quiet;

static void report(bool error, const char *msg)
{
    if (error || !quiet)
        fprintf(stderr, "lognym: %s\n", msg);
}

static void vmessage(const char *fmt, va_list ap)
{
    fprintf(stderr, "lognym: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
}

__attribute__((format(printf, 2, 3), noreturn)) static void die(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    exit(code);
}

__attribute__((format(printf, 1, 2), noreturn)) static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'lognym --help' for more information.\n");
    exit(LGN_EXIT_USAGE);
}

static void usage(void)
{
    size_t n;
    const struct lgn_option *opts = lgn_options(&n);
    const char *section = NULL;
    printf(
        "usage: lognym [options] [FILE...]      anonymise access logs (stdin when no FILE)\n"
        "       lognym rotate [options] FILE... anonymise rotated log files in place\n"
        "       lognym listen unix:PATH -o FILE receive nginx syslog datagrams\n"
        "       lognym keygen FILE              write a new random key file (mode 0600)\n"
        "       lognym stats [options] [FILE...] statistics report (text; --json, --html, --csv)\n"
        "       lognym merge [options] REPORT.json... combine reports (JSON on stdout)\n"
        "       lognym filters list|test [options] show the URL scrubbing rules, or\n"
        "                                       run their examples\n"
        "       lognym audit [options] [--json] [FILE...] find personal data left in logs\n"
        "                                       (exit 0 clean, 1 found)\n");
    for (size_t i = 0; i < n; i++) {
        const struct lgn_option *o = &opts[i];
        if (section == NULL || strcmp(section, o->section) != 0) {
            section = o->section;
            printf("\n%s:\n", section);
        }
        char left[48];
        snprintf(left, sizeof left, "%c%c%c --%s%s%s", o->short_name ? '-' : ' ',
                 o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ', o->name,
                 o->metavar ? " " : "", o->metavar ? o->metavar : "");
        printf("  %-25s ", left);
        for (const char *h = o->help; *h; h++) {
            putchar(*h);
            if (*h == '\n')
                printf("%28s", "");
        }
        putchar('\n');
    }
    printf("\nExit codes: 0 ok, 1 bad line with --bad-lines fail, 2 usage error,\n"
           "3 input error, 4 output error, 5 key error, 70 internal error.\n");
}

static void list_formats(void)
{
    for (const char *const *n = lgn_format_preset_names(); *n != NULL; n++)
        printf("%-24s %s\n", *n, lgn_format_preset_spec(*n));
    printf("%-24s %s\n", "nginx_combined", lgn_format_preset_spec("nginx_combined"));
}

static int keygen(int argc, char **argv)
{
    if (argc != 3)
        usage_error("keygen wants exactly one FILE");
    struct lgn_err err = {0};
    if (lgn_key_generate(argv[2], &err) != 0)
        die(err.exit_code, "%s", err.msg);
    fprintf(stderr, "lognym: wrote a new key to %s (mode 0600)\n", argv[2]);
    return LGN_EXIT_OK;
}

/* Runs the command-line actions (--help, ...); returns only for the others. */
static void action(const struct lgn_option *o)
{
    if (strcmp(o->name, "help") == 0)
        usage();
    else if (strcmp(o->name, "version") == 0)
        printf("lognym %s\n", LGN_VERSION);
    else if (strcmp(o->name, "list-formats") == 0)
        list_formats();
    exit(LGN_EXIT_OK);
}

/* Reads the options of argv into cfg, using the one option table. */
static void parse_args(int argc, char **argv, struct lgn_config *cfg)
{
    size_t n;
    const struct lgn_option *opts = lgn_options(&n);
    /* getopt_long accepts abbreviations ("--gz"); a tool whose options grow
     * should not let an old abbreviation change meaning, so only whole names. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strncmp(argv[i], "--", 2) != 0)
            continue;
        const char *name = argv[i] + 2, *eq = strchr(name, '=');
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)(eq ? (size_t)(eq - name) : strlen(name)), name);
        const struct lgn_option *o = lgn_option_find(buf);
        if (o == NULL)
            usage_error("unknown option '--%s'", buf);
        if (o->kind == LGN_OPT_VALUE && eq == NULL)
            i++; /* its value may itself start with "--" */
    }
    struct option *longopts = calloc(n + 1, sizeof *longopts);
    char shortopts[2 + 2 * 64] = ":";
    size_t sl = 1;
    if (longopts == NULL)
        die(LGN_EXIT_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        longopts[i].name = opts[i].name;
        longopts[i].has_arg = opts[i].kind == LGN_OPT_VALUE ? required_argument : no_argument;
        longopts[i].val = 256 + (int)i;
        if (opts[i].short_name && sl + 2 < sizeof shortopts) {
            shortopts[sl++] = opts[i].short_name;
            if (opts[i].kind == LGN_OPT_VALUE)
                shortopts[sl++] = ':';
        }
    }
    shortopts[sl] = '\0';
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const struct lgn_option *o = NULL;
        if (c >= 256 && (size_t)(c - 256) < n)
            o = &opts[c - 256];
        for (size_t i = 0; o == NULL && i < n; i++)
            if (c == opts[i].short_name)
                o = &opts[i];
        struct lgn_err err = {0};
        bool bad = c == ':' || o == NULL;
        if (!bad && o->kind != LGN_OPT_ACTION)
            bad = o->set(cfg, o->kind == LGN_OPT_VALUE ? optarg : NULL, &err) != 0;
        if (bad || o->kind == LGN_OPT_ACTION)
            free(longopts); /* the calls below exit */
        if (c == ':')
            usage_error("option '%s' needs a value", argv[optind - 1]);
        if (o == NULL)
            usage_error("unknown option '%s'", argv[optind - 1]);
        if (o->kind == LGN_OPT_ACTION)
            action(o);
        if (bad)
            usage_error("%s", err.msg);
    }
    free(longopts);
    if (cfg->apache_format != NULL && cfg->nginx_format != NULL)
        usage_error("give --apache-format or --nginx-format, not both");
    cfg->inputs = argv + optind;
    cfg->n_inputs = (size_t)(argc - optind);
}

/* The config file named by -c/--config, or the default one when present;
 * read before the command line so that the command line overrides it. */
static struct lgn_conffile *load_config(int argc, char **argv, struct lgn_config *cfg)
{
    const char *path = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
        else if (strncmp(argv[i], "-c", 2) == 0 && argv[i][2] != '\0')
            path = argv[i] + 2;
    }
    if (path == NULL && access(LGN_DEFAULT_CONFIG, F_OK) == 0)
        path = LGN_DEFAULT_CONFIG;
    struct lgn_conffile *conf = NULL;
    struct lgn_err err = {0};
    if (path != NULL && lgn_conffile_load(path, cfg, &conf, &err) != 0)
        die(err.exit_code == LGN_EXIT_INPUT ? LGN_EXIT_USAGE : err.exit_code, "%s", err.msg);
    return conf;
}

/* lognym rotate / --in-place: every file rewritten on its own; a failure on
 * one is reported and the others are still processed. */
static int rotate_files(const struct lgn_config *cfg, struct lgn_summary *sum, struct lgn_err *err)
{
    if (cfg->n_inputs == 0)
        usage_error("rotate needs at least one FILE");
    if (cfg->output != NULL)
        usage_error("rotate rewrites the files themselves; it takes no --output");
    int first = LGN_EXIT_OK;
    for (size_t i = 0; i < cfg->n_inputs && !lgn_signal_stop_requested(); i++) {
        int code = lgn_rotate_file(cfg, cfg->inputs[i], sum, report, err);
        if (code != LGN_EXIT_OK) {
            report(true, err->msg);
            if (first == LGN_EXIT_OK)
                first = code;
        }
    }
    if (first != LGN_EXIT_OK)
        lgn_err_set(err, first, "some files could not be anonymised; they are unchanged");
    return first;
}

/* lognym filters list|test [options] (also --list, --test): the rules a run
 * with these options would load, or their examples run. */
static int filters_command(int argc, char **argv)
{
    bool test = false;
    int n = 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "test") == 0 || strcmp(argv[i], "--test") == 0)
            test = true;
        else if (strcmp(argv[i], "list") != 0 && strcmp(argv[i], "--list") != 0)
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    struct lgn_conffile *conf = load_config(n, argv, &cfg);
    parse_args(n, argv, &cfg);
    if (cfg.n_inputs > 0)
        usage_error("filters takes no FILE; give list or test");
    struct lgn_err err = {0};
    int code = lgn_scrub_command(&cfg, test, stdout, &err);
    if (code != LGN_EXIT_OK && err.msg[0] != '\0')
        fprintf(stderr, "lognym: %s\n", err.msg);
    lgn_conffile_free(conf);
    return code;
}

/* lognym audit [options] [--json] [FILE...]: personal data left in logs. */
static int audit_command(int argc, char **argv)
{
    bool json = false;
    int n = 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    struct lgn_conffile *conf = load_config(n, argv, &cfg);
    parse_args(n, argv, &cfg);
    struct lgn_err err = {0};
    int code = lgn_audit(&cfg, json, stdout, &err);
    if (code > 1 && code != LGN_EXIT_INPUT && err.msg[0] != '\0')
        fprintf(stderr, "lognym: %s\n", err.msg);
    lgn_conffile_free(conf);
    return code;
}

/* lognym merge A.json B.json ...: one report from several hosts or days. */
static int merge_command(int argc, char **argv)
{
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    argv[1] = argv[0];
    parse_args(argc - 1, argv + 1, &cfg);
    if (cfg.n_inputs == 0)
        usage_error("merge wants the JSON reports to combine");
    struct lgn_err err = {0};
    struct lgn_report *rep = lgn_statsmerge((const char *const *)cfg.inputs, cfg.n_inputs,
                                            cfg.min_visitors, cfg.partial, &err);
    int rc = rep == NULL ? -1 : 0;
    char overlap[600];
    if (rep != NULL && lgn_report_overlap(rep, overlap, sizeof overlap))
        fprintf(stderr, "lognym: warning: %s\n", overlap);
    bool any = cfg.stats_json || cfg.stats_html || cfg.stats_csv;
    const char *json = cfg.stats_json ? cfg.stats_json : any ? NULL : "-";
    if (rc == 0 && json != NULL)
        rc = lgn_report_save(rep, LGN_REPORT_JSON, json, cfg.top, &err);
    if (rc == 0 && cfg.stats_html != NULL)
        rc = lgn_report_save(rep, LGN_REPORT_HTML, cfg.stats_html, cfg.top, &err);
    if (rc == 0 && cfg.stats_csv != NULL)
        rc = lgn_report_write_csv(rep, cfg.stats_csv, &err);
    lgn_report_free(rep);
    if (rc != 0)
        die(err.exit_code ? err.exit_code : LGN_EXIT_INPUT, "%s", err.msg);
    return LGN_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "filters") == 0)
        return filters_command(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
        return keygen(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "merge") == 0)
        return merge_command(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "audit") == 0)
        return audit_command(argc, argv);
    bool rotate = argc >= 2 && strcmp(argv[1], "rotate") == 0;
    bool listen = argc >= 2 && strcmp(argv[1], "listen") == 0;
    bool stats = argc >= 2 && strcmp(argv[1], "stats") == 0;
    if (rotate || listen || stats) { /* the rest is parsed like the main command's options */
        argv[1] = argv[0];
        argv++;
        argc--;
    }

    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    struct lgn_conffile *conf = load_config(argc, argv, &cfg);
    parse_args(argc, argv, &cfg);
    quiet = cfg.quiet;
    cfg.in_place = cfg.in_place || rotate;
    if (stats) { /* statistics only: no anonymised log; the summary on stdout */
        if (cfg.output != NULL || cfg.in_place)
            usage_error("stats writes reports (--json, --html, --csv), not a log");
        cfg.discard_output = true;
        cfg.stats_text = true;
    }

    lgn_signals_install();
    struct lgn_summary sum;
    memset(&sum, 0, sizeof sum);
    struct lgn_err err = {0};
    int code;
    if (listen) {
        if (cfg.n_inputs != 1)
            usage_error("listen wants one address: unix:PATH");
        code = lgn_listen_run(&cfg, cfg.inputs[0], &sum, report, &err);
    } else if (cfg.in_place) {
        code = rotate_files(&cfg, &sum, &err);
    } else {
        code = lgn_pipeline_run(&cfg, &sum, &err, report);
    }
    if (!quiet && sum.lines > 0)
        lgn_summary_print(stderr, &sum, cfg.bad_lines == LGN_BAD_DROP ? "dropped" : "scrubbed");
    if (code != LGN_EXIT_OK && err.msg[0] != '\0')
        fprintf(stderr, "lognym: %s\n", err.msg);
    lgn_conffile_free(conf);
    return code;
}
