/* SPDX-License-Identifier: Apache-2.0 */
/*
 * layout.c - where the generated headers break lines, so that they read at 100
 * columns: doc comments wrapped at word boundaries, and long prototypes broken
 * after "(" with their parameters filling 4-space-indented lines.  The
 * generator computes only the breaks (tokens); the templates keep the text
 * around them: a prototype is written `RET NAME({{open}}P1,{{sep}}P2…);`.
 */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#define WIDTH 100
#define INDENT "    "

size_t layout_wrap(const char *text, size_t width, char ***lines_out)
{
    char **lines = NULL;
    size_t n = 0, len = strlen(text);
    const char *p = text;
    bool first = true;
    while (*p || first) {
        /* Continuation lines are indented by two spaces, so an entry's lines read as one. */
        size_t room = first ? width : width - 2;
        size_t rest = len - (size_t)(p - text), take = rest;
        if (rest > room) {
            take = room;
            while (take > 0 && p[take] != ' ')
                take--;
            if (take == 0) /* one word longer than the line: it stays whole */
                take = strcspn(p, " ");
        }
        lines = xrealloc(lines, (n + 1) * sizeof *lines);
        char *line = xmalloc(take + 3), *end = line;
        if (!first)
            end = memcpy(end, "  ", 2) + 2;
        memcpy(end, p, take);
        end[take] = '\0';
        lines[n++] = line;
        p += take;
        while (*p == ' ')
            p++;
        first = false;
    }
    *lines_out = lines;
    return n;
}

const char *layout_params(size_t head_len, const size_t *lens, size_t count, const char **seps)
{
    size_t total = head_len + 2; /* "(" and ");" */
    for (size_t i = 0; i < count; i++)
        total += lens[i] + (i + 1 < count ? 2 : 0);
    if (total <= WIDTH) {
        for (size_t i = 0; i + 1 < count; i++)
            seps[i] = " ";
        return "";
    }
    size_t column = strlen(INDENT);
    for (size_t i = 0; i + 1 < count; i++) {
        column += lens[i] + 1; /* the comma */
        size_t after = i + 2 == count ? 2 : 1; /* ");" after the last, "," after the others */
        if (column + 1 + lens[i + 1] + after > WIDTH) {
            seps[i] = "\n" INDENT;
            column = strlen(INDENT);
        } else {
            seps[i] = " ";
            column += 1;
        }
    }
    return "\n" INDENT;
}
