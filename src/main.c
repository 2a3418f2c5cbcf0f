/* main.c: command line, subcommands, usage, and the only exit(). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "commands.h"
#include "conffile.h"
#include "config.h"
#include "detect.h"
#include "err.h"
#include "explain.h"
#include "fromhits.h"
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
/* The command being run, for its --help and the hint after a usage error. */
static const struct lgn_command *command;

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
    fprintf(stderr, "Try 'lognym%s%s --help' for more information.\n", command->name[0] ? " " : "",
            command->name);
    exit(LGN_EXIT_USAGE);
}

static void list_formats(void)
{
    for (const char *const *n = lgn_format_preset_names(); *n != NULL; n++)
        printf("%-24s %s\n", *n, lgn_format_preset_spec(*n));
    printf("%-24s %s\n", "nginx_combined", lgn_format_preset_spec("nginx_combined"));
}

static int keygen(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        lgn_command_help(command, stdout);
        return LGN_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-')
        usage_error("keygen wants exactly one FILE");
    struct lgn_err err = {0};
    if (lgn_key_generate(argv[1], &err) != 0)
        die(err.exit_code, "%s", err.msg);
    fprintf(stderr, "lognym: wrote a new key to %s (mode 0600)\n", argv[1]);
    return LGN_EXIT_OK;
}

/* Runs the command-line actions (--help, ...); returns only for the others. */
static void action(const struct lgn_option *o)
{
    if (strcmp(o->name, "help") == 0)
        lgn_command_help(command, stdout);
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
        if (!lgn_command_takes(command, o->name))
            usage_error("lognym %s takes no --%s", command->name, o->name);
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

/* The settings of a run: the defaults, then the config file, then the
 * command line (which overrides the file). The file's strings live until
 * lgn_conffile_free of the result. */
static struct lgn_conffile *read_settings(int argc, char **argv, struct lgn_config *cfg)
{
    lgn_config_defaults(cfg);
    struct lgn_conffile *conf = load_config(argc, argv, cfg);
    parse_args(argc, argv, cfg);
    quiet = cfg->quiet;
    return conf;
}

/* The end of a run: the message of a failure (msg NULL: none, or already
 * reported), the config file freed; returns code. */
static int finish(int code, const char *msg, struct lgn_conffile *conf)
{
    if (code != LGN_EXIT_OK && msg != NULL && msg[0] != '\0')
        fprintf(stderr, "lognym: %s\n", msg);
    lgn_conffile_free(conf);
    return code;
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
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "test") == 0 || strcmp(argv[i], "--test") == 0)
            test = true;
        else if (strcmp(argv[i], "list") != 0 && strcmp(argv[i], "--list") != 0)
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    struct lgn_config cfg;
    struct lgn_conffile *conf = read_settings(n, argv, &cfg);
    if (cfg.n_inputs > 0)
        usage_error("filters takes no FILE; give list or test");
    struct lgn_err err = {0};
    return finish(lgn_scrub_command(&cfg, test, stdout, &err), err.msg, conf);
}

/* lognym audit [options] [--json] [FILE...]: personal data left in logs,
 * scanned by the pipeline (and its worker threads). --json is audit's own
 * flag (the option table's --json takes a FILE). */
static int audit_command(int argc, char **argv)
{
    bool json = false;
    int n = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { /* the rest are files */
            while (i < argc)
                argv[n++] = argv[i++];
            break;
        }
        if (strncmp(argv[i], "--json=", 7) == 0)
            usage_error("audit's --json takes no value: it writes the findings as JSON on stdout");
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    struct lgn_config cfg;
    struct lgn_conffile *conf = read_settings(n, argv, &cfg);
    lgn_audit_config(&cfg);
    cfg.audit_json = json; /* -q: the exit status only, unless the JSON was asked for */
    lgn_signals_install();
    struct lgn_summary sum;
    memset(&sum, 0, sizeof sum);
    struct lgn_err err = {0};
    int code = lgn_pipeline_run(&cfg, &sum, &err, report);
    /* an input error: each file that could not be read was named already */
    code = finish(code, code == LGN_EXIT_INPUT ? NULL : err.msg, conf);
    return code == LGN_EXIT_OK && sum.found_kinds > 0 ? LGN_EXIT_FOUND : code;
}

/* The report paths are checked before any input is read: a typo in --html
 * should not cost the reading of a whole log. */
static void check_report_paths(const struct lgn_config *cfg)
{
    struct lgn_err err = {0};
    if ((cfg->stats_json && lgn_report_check_path(cfg->stats_json, false, &err) != 0) ||
        (cfg->stats_html && lgn_report_check_path(cfg->stats_html, false, &err) != 0) ||
        (cfg->stats_csv && lgn_report_check_path(cfg->stats_csv, true, &err) != 0))
        die(err.exit_code, "%s", err.msg);
}

/* lognym hits: the pipeline writes hit records (hits.h) instead of the log. */
static void hits_setup(struct lgn_config *cfg)
{
    if (cfg->anon.key_file == NULL)
        usage_error("hits needs --key-file: runs over different inputs must agree on visitor ids");
    if (cfg->in_place || cfg->stats_json || cfg->stats_html || cfg->stats_csv)
        usage_error(
            "hits writes hit records (to stdout or -o FILE), not reports or files in place");
    cfg->hits = true;
    cfg->discard_output = true;
    cfg->threads = 1;
}

/* lognym merge A.json B.json ...: one report from several hosts or days. */
static int merge_command(int argc, char **argv)
{
    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    parse_args(argc, argv, &cfg);
    if (cfg.n_inputs == 0)
        usage_error("merge wants the JSON reports to combine");
    check_report_paths(&cfg);
    struct lgn_err err = {0};
    struct lgn_report *rep = lgn_statsmerge((const char *const *)cfg.inputs, cfg.n_inputs,
                                            cfg.min_visitors, cfg.partial, &err);
    int rc = rep == NULL ? -1 : 0;
    char overlap[600];
    if (rep != NULL && lgn_report_overlap(rep, overlap, sizeof overlap))
        fprintf(stderr, "lognym: warning: %s\n", overlap);
    bool any = cfg.stats_json || cfg.stats_html || cfg.stats_csv || cfg.stats_text;
    const char *json = cfg.stats_json ? cfg.stats_json : any ? NULL : "-";
    if (rc == 0 && json != NULL)
        rc = lgn_report_save(rep, LGN_REPORT_JSON, json, cfg.top, &err);
    if (rc == 0 && cfg.stats_html != NULL)
        rc = lgn_report_save(rep, LGN_REPORT_HTML, cfg.stats_html, cfg.top, &err);
    if (rc == 0 && cfg.stats_csv != NULL)
        rc = lgn_report_write_csv(rep, cfg.stats_csv, &err);
    if (rc == 0 && cfg.stats_text)
        rc = lgn_report_write_text(rep, stdout, cfg.top, &err);
    lgn_report_free(rep);
    if (rc != 0)
        die(err.exit_code ? err.exit_code : LGN_EXIT_INPUT, "%s", err.msg);
    return LGN_EXIT_OK;
}

static bool to_stdout(const char *path)
{
    return path != NULL && strcmp(path, "-") == 0;
}

/* lognym stats: after the summary, a warning when most lines were bad (a
 * wrong --format reads like a small site otherwise). */
static void warn_mostly_bad(const struct lgn_config *cfg, const struct lgn_summary *sum)
{
    unsigned long long bad = sum->bad[LGN_BAD_NO_MATCH];
    if (quiet || bad * 2 <= sum->lines || bad == sum->lines)
        return;
    char fmt[96];
    lgn_formats_describe(cfg, fmt, sizeof fmt);
    fprintf(stderr,
            "lognym: warning: %llu of %llu lines (%.0f%%) matched no log format (%s); "
            "is --format right?\n",
            bad, sum->lines, 100.0 * (double)bad / (double)sum->lines, fmt);
}

/* A first argument that is neither a command nor a file but reads like a
 * mistyped command ("stat") is a usage error, before anything is written. */
static void check_typo(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-' || access(argv[1], F_OK) == 0)
        return;
    const struct lgn_command *near = lgn_command_suggest(argv[1]);
    if (near != NULL)
        usage_error("no such file '%s'; did you mean 'lognym %s'?", argv[1], near->name);
}

int main(int argc, char **argv)
{
    command = lgn_command_find("");
    const struct lgn_command *named = argc >= 2 && argv[1][0] ? lgn_command_find(argv[1]) : NULL;
    if (named == NULL) {
        check_typo(argc, argv);
    } else { /* from here on argv[1] is the command's first argument */
        command = named;
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    const char *name = command->name;
    if (strcmp(name, "filters") == 0)
        return filters_command(argc, argv);
    if (strcmp(name, "keygen") == 0)
        return keygen(argc, argv);
    if (strcmp(name, "merge") == 0)
        return merge_command(argc, argv);
    if (strcmp(name, "audit") == 0)
        return audit_command(argc, argv);
    bool rotate = strcmp(name, "rotate") == 0, listen = strcmp(name, "listen") == 0,
         stats = strcmp(name, "stats") == 0, hits = strcmp(name, "hits") == 0;

    struct lgn_config cfg;
    struct lgn_conffile *conf = read_settings(argc, argv, &cfg);
    if (cfg.explain_format) {
        struct lgn_err err = {0};
        return finish(lgn_explain_format(&cfg, stdout, &err), err.msg, conf);
    }
    cfg.in_place = cfg.in_place || rotate;
    if (stats) { /* statistics only: no anonymised log; the text report on stdout */
        if (cfg.output != NULL || cfg.in_place)
            usage_error("stats writes reports (--json, --html, --csv), not a log");
        cfg.discard_output = true;
        cfg.stats_text = !cfg.quiet && !to_stdout(cfg.stats_json) && !to_stdout(cfg.stats_html);
    }
    if (cfg.fold_as != NULL && !(stats && cfg.from_hits))
        usage_error("--fold-as is an option of lognym stats --from-hits");
    if (stats && cfg.from_hits) {
        struct lgn_err err = {0};
        check_report_paths(&cfg);
        return finish(lgn_fromhits_run(&cfg, &err), err.msg, conf);
    }
    if (!stats && cfg.from_hits)
        usage_error("--from-hits is an option of lognym stats");
    if (hits) /* records instead of a log: visitor ids must agree across runs */
        hits_setup(&cfg);
    check_report_paths(&cfg);

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
    if (!quiet && sum.lines > 0 && stats)
        lgn_summary_print_stats(stderr, &sum);
    else if (!quiet && sum.lines > 0)
        lgn_summary_print(stderr, &sum, cfg.bad_lines == LGN_BAD_DROP ? "dropped" : "scrubbed");
    if (stats && code == LGN_EXIT_OK)
        warn_mostly_bad(&cfg, &sum);
    return finish(code, err.msg, conf);
}
