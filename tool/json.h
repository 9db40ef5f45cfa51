/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - the little JSON cvz needs: a writer with Go's encoding/json
 * string escaping (what vfkit's REST API produces), and a reader for flat
 * objects of strings ({"state": "Stop"}).
 */
#ifndef CVZ_TOOL_JSON_H
#define CVZ_TOOL_JSON_H

#include "util.h"

/* Appends s as a JSON string literal ("..."), escaped as Go does (<, >, & too). */
void json_string(struct strbuf *sb, const char *s);

/* Helpers for objects: each adds a ,"key":value pair (the comma when needed). */
struct json_obj {
    struct strbuf *sb;
    bool first;
};
void json_begin(struct json_obj *o, struct strbuf *sb); /* "{" */
void json_end(struct json_obj *o);                      /* "}" */
void json_key(struct json_obj *o, const char *key);     /* ,"key": */
void json_str(struct json_obj *o, const char *key, const char *value);
void json_uint(struct json_obj *o, const char *key, unsigned long long value);
void json_int(struct json_obj *o, const char *key, long long value);
void json_bool(struct json_obj *o, const char *key, bool value);

/* Reads a JSON object and returns the string value of `key`:
 *   0  found (*value malloc'ed, *value_len its length: a \u0000 in it stays),
 *   1  valid object without that key (or with a non-string value: *value NULL, *err set),
 *  -1  not a JSON object (*err says why). */
int json_get_string(const char *text, size_t len, const char *key, char **value, size_t *value_len, char **err);

#endif
