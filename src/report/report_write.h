/* report_write.h: the report's writers (report_json.c, report_text.c,
 * report_html.c, report_csv.c), its reader, and report_save.c, which picks a
 * writer and replaces the target file atomically. */
#ifndef LGN_REPORT_WRITE_H
#define LGN_REPORT_WRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "report.h"

/* Writers. Each returns 0, or -1 with err set (write errors included). */
int lgn_report_write_json(const struct lgn_report *r, FILE *f, struct lgn_err *err);
/* top: rows shown per table (0: 10). */
int lgn_report_write_text(const struct lgn_report *r, FILE *f, unsigned top, struct lgn_err *err);
int lgn_report_write_html(const struct lgn_report *r, FILE *f, unsigned top, struct lgn_err *err);
/* Writes DIR/summary.csv and DIR/<table>.csv (creates DIR if needed). */
int lgn_report_write_csv(const struct lgn_report *r, const char *dir, struct lgn_err *err);

enum lgn_report_format { LGN_REPORT_JSON, LGN_REPORT_TEXT, LGN_REPORT_HTML };
/* Writes the report to path ("-": stdout) atomically: a temporary file in
 * the same directory, fsync, rename. */
int lgn_report_save(const struct lgn_report *r, enum lgn_report_format fmt, const char *path,
                    unsigned top, struct lgn_err *err);

/* Checks, before any input is read, that a report can be written to path
 * (is_dir: the --csv directory, created when absent): an existing file or
 * directory of the right kind, writable, in a directory that exists.
 * 0, or -1 with err set (LGN_EXIT_OUTPUT). */
int lgn_report_check_path(const char *path, bool is_dir, struct lgn_err *err);

/* Reads a JSON report (as written by lgn_report_write_json). NULL on error;
 * err says "what" (the caller adds the file name). */
struct lgn_report *lgn_report_read_json(const char *text, size_t len, struct lgn_err *err);

#endif
