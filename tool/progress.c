/* SPDX-License-Identifier: Apache-2.0 */
/*
 * progress.c - see progress.h.
 */
#include "progress.h"

#include "log.h"
#include "util.h"

#include <stdio.h>

#define BAR_WIDTH 30

void progress_init(struct progress *p, bool tty)
{
    p->tty = tty;
    p->drawn = false;
    p->last_step = -1;
    p->frame = 0;
}

void progress_fraction(struct progress *p, const char *label, double fraction)
{
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    int percent = (int)(fraction * 100 + 0.5);
    if (!p->tty) {
        int step = percent / 10;
        if (step > p->last_step) {
            p->last_step = step;
            fprintf(stderr, "cvz: %s: %d%%\n", label, step * 10);
        }
        return;
    }
    char bar[BAR_WIDTH + 1];
    int filled = (int)(fraction * BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r\033[Kcvz: %s [%s] %3d%%", label, bar, percent);
    fflush(stderr);
    p->drawn = true;
    log_set_status_line(true);
}

void progress_spin(struct progress *p, const char *label)
{
    static const char frames[] = "|/-\\";
    if (!p->tty)
        return;
    fprintf(stderr, "\r\033[Kcvz: %s %c", label, frames[p->frame++ % 4]);
    fflush(stderr);
    p->drawn = true;
    log_set_status_line(true);
}

void progress_end(struct progress *p, bool erase)
{
    if (p->tty && p->drawn)
        fputs(erase ? "\r\033[K" : "\n", stderr);
    fflush(stderr);
    p->drawn = false;
    log_set_status_line(false);
}
