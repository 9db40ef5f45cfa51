/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goconv.h - Go's number parsing, quoting and error wording, as vfkit (written in Go)
 * prints them, so cvz's messages match vfkit's word for word.
 */
#ifndef CVZ_TOOL_GOCONV_H
#define CVZ_TOOL_GOCONV_H

#include <stdbool.h>
#include <stdint.h>

/* Go's strconv.Quote for the strings cvz deals with: "..." with \" \\ and
 * control characters escaped.  Returns a new string. */
char *go_quote(const char *s);

/* strconv.ParseUint(s, base, bits): base 10 or 0 (0 accepts 0x, 0o, 0b, a
 * leading 0 for octal, and underscores as Go does).  On error, *err is Go's
 * message, e.g. `strconv.ParseUint: parsing "abc": invalid syntax`. */
int go_parse_uint(const char *s, int base, int bits, uint64_t *out, char **err);
/* strconv.ParseInt(s, 10, bits). */
int go_parse_int(const char *s, int bits, int64_t *out, char **err);
/* strconv.Atoi(s) (64-bit int). */
int go_atoi(const char *s, int64_t *out, char **err);
/* strconv.ParseBool(s). */
int go_parse_bool(const char *s, bool *out, char **err);

/* Go's os error text for a failed system call on a path:
 * "open /x: no such file or directory" (errno as Go words it). */
char *go_path_error(const char *op, const char *path, int errnum);
/* Go's lower-case errno text ("no such file or directory"). */
const char *go_errno_text(int errnum);

/* vfkit's util.TrimQuotes: a string that starts and ends with '"' loses every
 * leading and trailing '"'.  Returns a new string. */
char *trim_quotes(const char *s);

#endif
