/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h - cvz's log lines on stderr ("cvz: ..."), one call one line, control
 * characters escaped.
 */
#ifndef CVZ_TOOL_LOG_H
#define CVZ_TOOL_LOG_H

#include <stdbool.h>
#include <stddef.h>

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
