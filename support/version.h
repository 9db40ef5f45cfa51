/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version.h - macOS versions as the build-time tools keep them: one int,
 * major*100+minor (11.0 → 1100, 12.3 → 1203), as libcvz's
 * cvz_host_macos_version() answers.
 */
#ifndef CVZ_SUPPORT_VERSION_H
#define CVZ_SUPPORT_VERSION_H

typedef int version_t;

/* "13.0" → 1300: MAJOR.MINOR, one or two digits each (the API schema's form); -1 otherwise. */
version_t parse_version(const char *text);
/* As parse_version, and also a bare MAJOR ("11" → 1100) or a patch level, which is
 * dropped ("10.15.4" → 1015), as availability macros write them. */
version_t parse_version_loose(const char *text);

/* Both write into buf (16 bytes) and return it: "13.0", and "13_0" for C names. */
const char *format_version(version_t v, char *buf);
const char *format_version_suffix(version_t v, char *buf);

#endif
