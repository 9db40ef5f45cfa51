/* SPDX-License-Identifier: Apache-2.0 */
/*
 * paths.h - path names taken apart as Go's filepath does, and the temporary folder.
 */
#ifndef CVZ_TOOL_PATHS_H
#define CVZ_TOOL_PATHS_H


/* The last path component, as Go's filepath.Base does it. */
char *path_base(const char *path);
/* The directory part, as Go's filepath.Dir does it. */
char *path_dir(const char *path);

/* $TMPDIR or /tmp, as Go's os.TempDir(). */
const char *temp_dir(void);

#endif
