/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h - small helpers shared by the cvz tool: growable strings, string
 * vectors, one-line errors, and Go-compatible number parsing (vfkit is
 * written in Go and its error messages quote Go's strconv errors).
 */
#ifndef CVZ_TOOL_UTIL_H
#define CVZ_TOOL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors ------------------------------------------------------------
 * Every parser returns 0 on success or -1 after storing a malloc'ed one-line
 * message in *err (which must be NULL on entry).  The message is what cvz
 * prints after "cvz: ".  Where it keeps vfkit's exact wording, a second line
 * may say what to do (show_error prefixes both).
 */
int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints an error message from fail() on stderr, "cvz: " before each line: a
 * message that keeps vfkit's wording may add a second line saying what to do. */
void show_error(const char *msg);

/* Aborts with a message when memory runs out: the tool has nothing to save. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- growable string ---------------------------------------------------- */
struct strbuf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len;
    size_t cap;
};
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and leaves the buffer empty. */
char *sb_take(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* ---- string vector -------------------------------------------------------- */
struct strv {
    char **items;
    size_t count;
    size_t cap;
};
void strv_push(struct strv *v, const char *s);      /* copies s */
void strv_push_owned(struct strv *v, char *s);      /* takes s */
void strv_free(struct strv *v);

/* ---- Go compatibility ------------------------------------------------------ */

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

/* The last path component, as Go's filepath.Base does it. */
char *path_base(const char *path);
/* The directory part, as Go's filepath.Dir does it. */
char *path_dir(const char *path);

/* $TMPDIR or /tmp, as Go's os.TempDir(). */
const char *temp_dir(void);

/* Monotonic milliseconds. */
int64_t now_ms(void);

/* ---- logging on stderr ("cvz: ...") ------------------------------------------ */
enum log_level { LOG_ERROR, LOG_INFO, LOG_DEBUG };
void log_set_level(enum log_level level);
/* While the terminal is in raw mode (virtio-serial,stdio) lines end with \r\n. */
void log_set_raw_terminal(bool raw);
/* While a progress line is drawn on stderr (progress.c), a message first erases it. */
void log_set_status_line(bool drawn);
/* Control characters in a message (C0, DEL, C1) are written escaped (\n, \x1b...):
 * one call is one line, and no terminal escape sequence gets through. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text a client sent, for a log line: quoted as Go quotes (NUL bytes too),
 * cut after `max` bytes with the full length said.  Returns a new string. */
char *log_excerpt(const char *s, size_t len, size_t max);

#endif
