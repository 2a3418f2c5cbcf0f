/* pipeline.h: the per-line loop: read, match the format, anonymise, write. */
#ifndef LGN_PIPELINE_H
#define LGN_PIPELINE_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "input.h"
#include "summary.h"

/* Processes every input into the output. Returns an enum lgn_exit value; on
 * failure err says why. An input that cannot be read is passed to `report`
 * as an error and the others are still processed; notices (the detected
 * format) are passed with error = false. */
int lgn_pipeline_run(const struct lgn_config *cfg, struct lgn_summary *sum, struct lgn_err *err,
                     void (*report)(bool error, const char *msg));

/* The same loop, piece by piece, for other line sources (rotate, listen). */
struct lgn_pipeline;

/* Opens the output and sets up the engines. report: as above. Owned by the
 * caller; free with lgn_pipeline_free. err must outlive the pipeline. */
struct lgn_pipeline *lgn_pipeline_new(const struct lgn_config *cfg, struct lgn_summary *sum,
                                      void (*report)(bool error, const char *msg),
                                      struct lgn_err *err);
/* One line read from `file` (a name for messages). 0, or -1 on a fatal error. */
int lgn_pipeline_line(struct lgn_pipeline *p, const struct lgn_line *line, const char *file);
/* Every line of one input. 0; 1 when the input could not be read to its end
 * (err says why; the lines before were processed); -1 on a fatal error. */
int lgn_pipeline_file(struct lgn_pipeline *p, const char *path);
/* Every line of several inputs as one stream in time order: a streaming
 * k-way merge (each input nearly in order) on the time stamp of each line.
 * An input that cannot be read is reported and counted as unreadable; the
 * others go on. 0, or -1 on a fatal error. */
int lgn_pipeline_merged(struct lgn_pipeline *p, char *const *paths, size_t n);
int lgn_pipeline_flush(struct lgn_pipeline *p);
/* Flushes and closes the output (fsync for files); 0 or -1. */
int lgn_pipeline_finish(struct lgn_pipeline *p);
void lgn_pipeline_free(struct lgn_pipeline *p); /* accepts NULL */

#endif
