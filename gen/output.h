/* SPDX-License-Identifier: Apache-2.0 */
/*
 * output.h - writing a set of output files all or nothing (cvzgen, cvzscan).
 */
#ifndef CVZGEN_OUTPUT_H
#define CVZGEN_OUTPUT_H

#include <stddef.h>

struct output {
    const char *path;
    const char *data;
    size_t len;
};

/*
 * Writes every file of the set, or none.  Each is first written to
 * PATH.tmp.PID in its own folder; only when all are written are they renamed
 * over their targets, with SIGHUP, SIGINT, SIGPIPE and SIGTERM held off
 * during the renames.  A failure, or one of those signals before the renames
 * begin, removes the temporaries and leaves every target as it was (the
 * signal then takes its default action).  A target whose content is already
 * identical is not touched (make sees stable timestamps); one that exists
 * but is not a regular file is refused before anything is written.
 *
 * Only a rename that fails after earlier ones succeeded (the folder turned
 * read-only in between) can leave a mixed set; it is reported as such.
 * Returns 0, or -1 after printing "PATH: error: ..." for the first failure.
 */
int write_outputs(const struct output *files, size_t count);

/*
 * Removes the files of folder `dir` whose names end in `suffix` and whose
 * first line holding `marker` is within their first 1 KiB (a file an earlier
 * run generated) but which are not among files[]: the output of an area that
 * was renamed or removed.  A file without the marker is never touched.
 * Returns 0, or -1 after printing "PATH: error: ..." (a file that could not be
 * removed).
 */
int remove_stale_outputs(const char *dir, const char *suffix, const char *marker, const struct output *files,
                         size_t count);

#endif
