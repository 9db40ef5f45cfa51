/* SPDX-License-Identifier: Apache-2.0 */
/*
 * harness.h - helpers for the cvz tool tests: a scratch directory with
 * placeholder files, running cvz ($CVZ_TOOL) with arguments and environment,
 * capturing its exit status, stdout and stderr, and a tiny HTTP client.
 */
#ifndef CVZ_TOOL_TEST_HARNESS_H
#define CVZ_TOOL_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How long a wait for something a test set in motion may take before the
 * test fails instead of hanging: generous, as valgrind or a loaded machine is
 * slow; a passing test never waits for it to run out. */
#define WAIT_MS 60000

/* The scratch directory (created once, removed at exit) with:
 *   vmlinuz (arm64 Image magic), vmlinuz.gz (gzip), initrd, disk.img (64 KiB),
 *   disk2.img, empty.img, qcow2.img, efi-store, machine-id, hw-model, aux.img,
 *   cloud/user-data, cloud/meta-data, cloud/network-config, cloud/other,
 *   share/ (a directory), tmp/ (used as $TMPDIR by cvz), fifo (a FIFO nobody writes to:
 *   opening it for reading the ordinary way would block forever). */
const char *scratch(void);

/* Replaces every "@D@" with the scratch directory.  Returns a new string. */
char *expand(const char *s);

struct result {
    int status; /* exit code, or 128+signal */
    char *out;
    char *err;
};

/* Runs cvz with argv (NULL-terminated, "@D@" expanded) and extra "NAME=value"
 * environment entries (NULL-terminated, may be NULL); stdin is /dev/null.
 * $TMPDIR is the scratch tmp/ unless env sets it.  Fails the test on a hang. */
void run_cvz(const char *const *argv, const char *const *env, struct result *r);
void result_free(struct result *r);

/* Starts cvz in the background with stdout/stderr to files in the scratch
 * directory (their paths returned in out_path/err_path, malloc'ed). */
pid_t spawn_cvz(const char *const *argv, const char *const *env, char **out_path, char **err_path);
/* Waits for it (at most timeout_ms; kills it and fails after that); returns the exit code. */
int wait_cvz(pid_t pid, int timeout_ms);

/* The whole content of a file ("" when missing), malloc'ed. */
char *slurp(const char *path);
/* Waits until the file contains `needle` (at most timeout_ms). */
bool wait_for_text(const char *path, const char *needle, int timeout_ms);

/* "Glob" comparison used for outputs: "@ANY@" in `pattern` matches any text
 * on one line, "@ANYLINES@" any text at all; everything else is literal. */
bool matches(const char *pattern, const char *text);

/* An HTTP/1.1 request to tcp 127.0.0.1:port (port > 0) or the unix socket
 * `unix_path`; returns the status code (-1: could not connect) and the body. */
int http(int port, const char *unix_path, const char *method, const char *path, const char *body, char **response);
/* The same with the whole request as given (len bytes). */
int http_raw(int port, const char *unix_path, const char *request, size_t len, char **response);

/* Writes a file (creating it). */
void write_file(const char *path, const void *data, size_t len);

/* A TCP port that is free now. */
int free_port(void);

#endif
