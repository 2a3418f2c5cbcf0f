/* commands.c: the table of subcommands and their --help. */
#include "commands.h"

#include <string.h>

/* Option groups shared by several commands (long names, space-separated). */
#define OPT_COMMON "config quiet help "
#define OPT_FORMAT "format apache-format nginx-format list-formats "
#define OPT_ADDRESSES "ip-mode ipv4-prefix ipv6-prefix ip-format key-file key-rotate "
#define OPT_URLS "filters filter no-filters query keep-params keep-cookies "
/* search terms are in logs written, not in statistics or hit records */
#define OPT_SEARCH "search-terms search-params "
#define OPT_REPORTS "json html csv min-visitors top partial "
#define OPT_VISITS                                                                                 \
    "visit-timeout reorder-window bot-list input-host assets site-host geoip ua-regexes "

/* lognym audit's --json is a flag (the table's --json takes a report FILE). */
static const struct lgn_option audit_own[] = {
    {"json", 0, LGN_OPT_FLAG, NULL, "write the findings as JSON on stdout (also with -q)", "Audit",
     NULL},
};

static const struct lgn_command table[] = {
    {"", "[options] [FILE...]", "anonymise access logs (stdin when no FILE)",
     "Writes the logs with every address truncated or pseudonymised and personal\n"
     "data scrubbed; --stats FILE.json also writes the statistics report.",
     NULL, NULL, 0},
    {"rotate", "[options] FILE...", "anonymise rotated log files in place",
     "Rewrites each FILE (plain or gzip) anonymised, atomically: a temporary file\n"
     "in the same directory, fsync, rename. A failure leaves that file unchanged.",
     "threads progress bad-lines " OPT_FORMAT OPT_ADDRESSES OPT_URLS OPT_SEARCH OPT_COMMON, NULL,
     0},
    {"listen", "unix:PATH -o FILE [options]", "receive nginx syslog datagrams",
     "Receives the datagrams nginx sends for access_log syslog:server=unix:PATH,\n"
     "strips the syslog header, anonymises each line and appends it to FILE.",
     "output gzip line-buffered bad-lines " OPT_FORMAT OPT_ADDRESSES OPT_URLS OPT_SEARCH OPT_COMMON,
     NULL, 0},
    {"keygen", "FILE", "write a new random key file (mode 0600)",
     "Writes a new random key (64 hex digits) to FILE, which must not exist.", "help ", NULL, 0},
    {"stats", "[options] [FILE...]", "statistics report (text; --json, --html, --csv)",
     "Reads the logs (stdin when no FILE) and prints the statistics report as\n"
     "text on stdout (not with -q, nor when --json - puts the JSON there).\n"
     "Exits 1 when no line matches the log format.",
     "threads progress key-file key-rotate from-hits partition fold-as " OPT_FORMAT OPT_URLS
         OPT_REPORTS OPT_VISITS OPT_COMMON,
     NULL, 0},
    {"merge", "[options] REPORT.json...", "combine reports (JSON on stdout)",
     "Combines JSON reports of lognym stats or --stats into one; writes JSON to\n"
     "stdout unless --json, --html or --csv is given.",
     "text " OPT_REPORTS OPT_COMMON, NULL, 0},
    {"hits", "-k KEY [options] FILE...", "one hit record per line (lognym-dask's map step)",
     "Writes one hit record per parsed line (docs/hits.md) instead of a log: a\n"
     "visitor id (keyed hash; --key-file required), the time and the classified,\n"
     "scrubbed fields statistics count; never an address, user, query or referrer URL.",
     "output source progress threads " OPT_FORMAT OPT_ADDRESSES OPT_URLS OPT_VISITS OPT_COMMON,
     NULL, 0},
    {"filters", "list|test [options]", "show the URL scrubbing rules, or run their examples",
     "list: the rules a run with these options would load; test: runs the\n"
     "examples each rule carries.",
     OPT_URLS "config help ", NULL, 0},
    {"audit", "[options] [--json] [FILE...]", "find personal data left in logs (exit 1: found)",
     "Scans logs (stdin when no FILE; plain or gzip; any format, bad lines too)\n"
     "with the detectors and the address scanner, each field read as the\n"
     "anonymiser reads it (URLs as URLs, JSON lines key by key), leaving out\n"
     "lognym's own output forms under the IP options given; reports per kind the\n"
     "count, the first lines and the field, never a value. Runs on the worker\n"
     "threads (-j), the report the same on any number. Exits 0 clean, 1 found;\n"
     "with -q the exit status is the only answer.",
     "threads progress " OPT_FORMAT
     "ip-mode ipv4-prefix ipv6-prefix ip-format filters filter no-filters keep-cookies " OPT_COMMON,
     audit_own, sizeof audit_own / sizeof audit_own[0]},
};

const struct lgn_command *lgn_commands(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

const struct lgn_command *lgn_command_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

bool lgn_command_takes(const struct lgn_command *cmd, const char *option)
{
    if (cmd->options == NULL)
        return true;
    size_t n = strlen(option);
    for (const char *p = cmd->options; (p = strstr(p, option)) != NULL; p += n)
        if ((p == cmd->options || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static void put_usage(const struct lgn_command *cmd, const char *lead, FILE *f)
{
    char left[64];
    snprintf(left, sizeof left, "lognym%s%s %s", cmd->name[0] ? " " : "", cmd->name, cmd->usage);
    if (strlen(left) > 32)
        fprintf(f, "%s%s\n%41s%s\n", lead, left, "", cmd->summary);
    else
        fprintf(f, "%s%-33s %s\n", lead, left, cmd->summary);
}

static void put_option(const struct lgn_option *o, FILE *f)
{
    char left[48];
    snprintf(left, sizeof left, "%c%c%c --%s%s%s", o->short_name ? '-' : ' ',
             o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ', o->name,
             o->metavar ? " " : "", o->metavar ? o->metavar : "");
    fprintf(f, "  %-25s ", left);
    for (const char *h = o->help; *h; h++) {
        fputc(*h, f);
        if (*h == '\n')
            fprintf(f, "%28s", "");
    }
    fputc('\n', f);
}

void lgn_command_help(const struct lgn_command *cmd, FILE *f)
{
    if (cmd->name[0] == '\0') { /* lognym --help: every command, every option */
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
            put_usage(&table[i], i == 0 ? "usage: " : "       ", f);
        fprintf(f, "\n'lognym COMMAND --help' shows the options of one command.\n");
    } else {
        fprintf(f, "usage: lognym %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->about);
    }
    for (size_t i = 0; i < cmd->n_own; i++) {
        if (i == 0)
            fprintf(f, "\n%s:\n", cmd->own[i].section);
        put_option(&cmd->own[i], f);
    }
    size_t n;
    const struct lgn_option *opts = lgn_options(&n);
    const char *section = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct lgn_option *o = &opts[i];
        if (!lgn_command_takes(cmd, o->name))
            continue;
        if (section == NULL || strcmp(section, o->section) != 0) {
            section = o->section;
            fprintf(f, "\n%s:\n", section);
        }
        put_option(o, f);
    }
    const char *one = strcmp(cmd->name, "stats") == 0       ? "1 no line in the log format, "
                      : strcmp(cmd->name, "audit") == 0     ? "1 personal data found, "
                      : lgn_command_takes(cmd, "bad-lines") ? "1 bad line with --bad-lines fail, "
                                                            : "";
    fprintf(f,
            "\nExit codes: 0 ok, %s2 usage error, 3 input error,\n"
            "4 output error, 5 key error, 70 internal error.\n",
            one);
}

/* Optimal string alignment distance (edits, adjacent swaps), capped at 9. */
static unsigned distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 16 || lb > 16)
        return 9;
    unsigned d[17][17];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const struct lgn_command *lgn_command_suggest(const char *word)
{
    const struct lgn_command *best = NULL;
    unsigned best_d = 3; /* at most two edits, and fewer than the word has letters */
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        unsigned d = table[i].name[0] ? distance(word, table[i].name) : 9;
        if (d < best_d && d < strlen(word)) {
            best = &table[i];
            best_d = d;
        }
    }
    return best;
}
