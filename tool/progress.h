/* SPDX-License-Identifier: Apache-2.0 */
/*
 * progress.h - progress on stderr: on a terminal, one line redrawn in place
 * (a bar for a known fraction, a spinner for a wait); elsewhere, plain
 * lines ("cvz: installing macOS: 30%"), one per 10 % step, so that logs and
 * pipes get a readable record and no carriage returns.
 */
#ifndef CVZ_TOOL_PROGRESS_H
#define CVZ_TOOL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
    bool tty;       /* redraw in place */
    bool drawn;     /* a line is on screen, not ended */
    int last_step;  /* plain lines: the last 10 % step printed, -1 before the first */
    unsigned frame; /* the spinner's */
};

/* `tty`: whether to draw in place (usually isatty(STDERR_FILENO)). */
void progress_init(struct progress *p, bool tty);

/* "cvz: LABEL [#####.....]  50%" redrawn, or "cvz: LABEL: 50%" at each new 10 % step. */
void progress_fraction(struct progress *p, const char *label, double fraction);

/* "cvz: LABEL |" with the next spinner frame; nothing when not on a terminal. */
void progress_spin(struct progress *p, const char *label);

/* Ends the line drawn on a terminal (erased when `erase`, else kept with a newline). */
void progress_end(struct progress *p, bool erase);

#endif
