/* commands.h: the subcommands as data: name, usage line, description and
 * the options each one takes, for per-command --help, the check that an
 * option belongs to the command, and the "did you mean" suggestion.
 * A new subcommand is one entry in the table of commands.c. */
#ifndef LGN_COMMANDS_H
#define LGN_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "options.h"

struct lgn_command {
    const char *name;    /* "stats"; "" for the anonymiser itself (lognym [options] [FILE...]) */
    const char *usage;   /* what follows "lognym NAME", e.g. "[options] [FILE...]" */
    const char *summary; /* one line, in the usage list of lognym --help */
    const char *about;   /* a few lines at the top of lognym NAME --help */
    /* Long names of the options it takes, separated by spaces; NULL: every option. */
    const char *options;
    /* Options the command parses itself (audit's --json flag), for its --help;
     * n_own of them. */
    const struct lgn_option *own;
    size_t n_own;
};

/* The command named name, or NULL. The anonymiser is lgn_command_find(""). */
const struct lgn_command *lgn_command_find(const char *name);
/* The table, in --help order; *n gets its length. */
const struct lgn_command *lgn_commands(size_t *n);
/* Whether cmd takes the option with this long name. */
bool lgn_command_takes(const struct lgn_command *cmd, const char *option);
/* Prints cmd's --help: its usage, what it does, its options only. */
void lgn_command_help(const struct lgn_command *cmd, FILE *f);
/* The subcommand whose name is close to word (a typo such as "stat"), or NULL. */
const struct lgn_command *lgn_command_suggest(const char *word);

#endif
