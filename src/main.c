/* main.c: command line, subcommands, usage, and the only exit(). */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "key.h"
#include "logfmt.h"
#include "pipeline.h"
#include "signals.h"
#include "summary.h"

#ifndef LGN_VERSION
#define LGN_VERSION "0.1.0"
#endif

static const char usage_text[] =
    "usage: lognym [options] [FILE...]      anonymise access logs (stdin when no FILE)\n"
    "       lognym keygen FILE              write a new random key file (mode 0600)\n"
    "\n"
    "Input and output:\n"
    "  -o, --output FILE        append to FILE instead of writing to stdout;\n"
    "                           gzip when FILE ends in .gz\n"
    "      --gzip               gzip the output\n"
    "      --line-buffered      flush every line (automatic for pipes and terminals)\n"
    "Log format:\n"
    "  -f, --format NAME        auto (default: detect from the lines) or a preset\n"
    "      --apache-format STR  an Apache LogFormat string, e.g. '%h %l %u %t \\\"%r\\\" %>s %b'\n"
    "      --nginx-format STR   an nginx log_format string, e.g. '$remote_addr - ...'\n"
    "      --list-formats       list the presets and their format strings\n"
    "Addresses:\n"
    "  -m, --ip-mode MODE       truncate (default), hash or cryptopan\n"
    "      --ipv4-prefix BITS   bits of IPv4 kept by truncate (default 24)\n"
    "      --ipv6-prefix BITS   bits of IPv6 kept by truncate (default 48)\n"
    "      --ip-format FORMAT   hash mode output: address (default) or token\n"
    "  -k, --key-file FILE      32-byte key (raw or 64 hex digits), mode 0600;\n"
    "                           without it, a random key lives only in memory\n"
    "      --key-rotate WHEN    none (default) or daily: one key per log day\n"
    "Bad lines:\n"
    "      --bad-lines POLICY   scrub (default: write with every address anonymised),\n"
    "                           drop, or fail (stop with exit code 1)\n"
    "Other:\n"
    "  -q, --quiet              no summary or notices on stderr\n"
    "  -h, --help               show this help\n"
    "  -V, --version            show the version\n"
    "\n"
    "Exit codes: 0 ok, 1 bad line with --bad-lines fail, 2 usage error,\n"
    "3 input error, 4 output error, 5 key error, 70 internal error.\n";

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

static unsigned parse_bits(const char *opt, const char *s, unsigned max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > max || s[0] == '-')
        usage_error("%s wants a number from 0 to %u, not '%s'", opt, max, s);
    return (unsigned)v;
}

static int choose(const char *opt, const char *s, const char *const *choices)
{
    for (int i = 0; choices[i] != NULL; i++)
        if (strcmp(s, choices[i]) == 0)
            return i;
    char list[120] = "";
    size_t n = 0;
    for (int i = 0; choices[i] != NULL && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, " %s", choices[i]);
    usage_error("%s: '%s' is not one of:%s", opt, s, list);
}

static void list_formats(void)
{
    for (const char *const *n = lgn_format_preset_names(); *n != NULL; n++)
        printf("%-16s %s\n", *n, lgn_format_preset_spec(*n));
    printf("%-16s %s\n", "nginx_combined", lgn_format_preset_spec("nginx_combined"));
}

static int keygen(int argc, char **argv)
{
    if (argc != 3)
        usage_error("keygen wants exactly one FILE");
    struct lgn_err err = {0};
    if (lgn_key_generate(argv[2], &err) != 0)
        die(err.exit_code, "%s", err.msg);
    if (!quiet)
        fprintf(stderr, "lognym: wrote a new key to %s (mode 0600)\n", argv[2]);
    return LGN_EXIT_OK;
}

enum {
    OPT_GZIP = 256,
    OPT_LINEBUF,
    OPT_APACHE,
    OPT_NGINX,
    OPT_LIST,
    OPT_V4,
    OPT_V6,
    OPT_IPFMT,
    OPT_ROTATE,
    OPT_BAD
};

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
        return keygen(argc, argv);

    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"gzip", no_argument, NULL, OPT_GZIP},
        {"line-buffered", no_argument, NULL, OPT_LINEBUF},
        {"format", required_argument, NULL, 'f'},
        {"apache-format", required_argument, NULL, OPT_APACHE},
        {"nginx-format", required_argument, NULL, OPT_NGINX},
        {"list-formats", no_argument, NULL, OPT_LIST},
        {"ip-mode", required_argument, NULL, 'm'},
        {"ipv4-prefix", required_argument, NULL, OPT_V4},
        {"ipv6-prefix", required_argument, NULL, OPT_V6},
        {"ip-format", required_argument, NULL, OPT_IPFMT},
        {"key-file", required_argument, NULL, 'k'},
        {"key-rotate", required_argument, NULL, OPT_ROTATE},
        {"bad-lines", required_argument, NULL, OPT_BAD},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const char *const modes[] = {"truncate", "hash", "cryptopan", NULL};
    static const char *const ipfmts[] = {"address", "token", NULL};
    static const char *const rotations[] = {"none", "daily", NULL};
    static const char *const policies[] = {"scrub", "drop", "fail", NULL};

    struct lgn_config cfg;
    lgn_config_defaults(&cfg);
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:f:m:k:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            cfg.output = optarg;
            break;
        case OPT_GZIP:
            cfg.gzip = true;
            break;
        case OPT_LINEBUF:
            cfg.line_buffered = true;
            break;
        case 'f':
            cfg.format = optarg;
            break;
        case OPT_APACHE:
            cfg.apache_format = optarg;
            break;
        case OPT_NGINX:
            cfg.nginx_format = optarg;
            break;
        case OPT_LIST:
            list_formats();
            return LGN_EXIT_OK;
        case 'm':
            cfg.anon.mode = (enum lgn_ip_mode)choose("--ip-mode", optarg, modes);
            break;
        case OPT_V4:
            cfg.anon.v4_prefix = parse_bits("--ipv4-prefix", optarg, 32);
            break;
        case OPT_V6:
            cfg.anon.v6_prefix = parse_bits("--ipv6-prefix", optarg, 128);
            break;
        case OPT_IPFMT:
            cfg.anon.format = (enum lgn_ip_format)choose("--ip-format", optarg, ipfmts);
            break;
        case 'k':
            cfg.anon.key_file = optarg;
            break;
        case OPT_ROTATE:
            cfg.anon.rotate_daily = choose("--key-rotate", optarg, rotations) == 1;
            break;
        case OPT_BAD:
            cfg.bad_lines = (enum lgn_bad_policy)choose("--bad-lines", optarg, policies);
            break;
        case 'q':
            quiet = cfg.quiet = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return LGN_EXIT_OK;
        case 'V':
            printf("lognym %s\n", LGN_VERSION);
            return LGN_EXIT_OK;
        case ':':
            usage_error("option '%s' needs a value", argv[optind - 1]);
            break;
        default:
            usage_error("unknown option '%s'", argv[optind - 1]);
            break;
        }
    }
    if (cfg.apache_format != NULL && cfg.nginx_format != NULL)
        usage_error("give --apache-format or --nginx-format, not both");
    cfg.inputs = argv + optind;
    cfg.n_inputs = (size_t)(argc - optind);

    lgn_signals_install();
    struct lgn_summary sum;
    memset(&sum, 0, sizeof sum);
    struct lgn_err err = {0};
    int code = lgn_pipeline_run(&cfg, &sum, &err, report);
    if (!quiet && sum.lines > 0)
        lgn_summary_print(stderr, &sum, cfg.bad_lines == LGN_BAD_DROP ? "dropped" : "scrubbed");
    if (code != LGN_EXIT_OK && err.msg[0] != '\0')
        fprintf(stderr, "lognym: %s\n", err.msg);
    return code;
}
