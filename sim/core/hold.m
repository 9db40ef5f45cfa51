/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/hold.m - holds: a test keeps a VM transition in its intermediate state
 * (`starting`, `stopping`, ...) until it says so, instead of hoping that a
 * delay is long enough on a loaded machine.
 *
 * CVZ_SIM_HOLD names the transitions to hold (comma-separated; read at each
 * transition).  A held transition's finishing work is parked here instead of
 * being queued after its delay; cvz_sim_release() queues it (at once), and
 * cvz_sim_wait_held() waits until a transition has been parked.  A process
 * the test cannot call into (the cvz tool) is released through a FIFO named
 * by CVZ_SIM_HOLD_FIFO: each line written to it releases that transition.
 */
#import "core/hold.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct vzsim_held {
    struct vzsim_held *next;
    char what[16];
    CVZSimQueue *queue;
    vzsim_work_fn fn;
    id obj, arg;
    unsigned long token;
    void *block;
};

static pthread_mutex_t vzsim_hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vzsim_hold_cond = PTHREAD_COND_INITIALIZER;
static struct vzsim_held *vzsim_held_list;
static pthread_once_t vzsim_fifo_once = PTHREAD_ONCE_INIT;

/* Whether `what` is one of CVZ_SIM_HOLD's comma-separated names. */
static BOOL vzsim_hold_wanted(const char *what)
{
    const char *list = getenv("CVZ_SIM_HOLD");
    size_t len = strlen(what);

    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ',');
        size_t n = end != NULL ? (size_t)(end - list) : strlen(list);
        if (n == len && strncmp(list, what, n) == 0)
            return YES;
        list = end != NULL ? end + 1 : NULL;
    }
    return NO;
}

/* Reads transition names, one a line, from CVZ_SIM_HOLD_FIFO, releasing each;
 * reopens the FIFO after every writer, for the life of the process. */
static void *vzsim_fifo_reader(void *path)
{
    for (;;) {
        char line[64];
        size_t used = 0;
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "cvz-sim: CVZ_SIM_HOLD_FIFO=%s: %s; held transitions stay held\n", (char *)path,
                    strerror(errno));
            return NULL;
        }
        while ((n = read(fd, line + used, sizeof line - 1 - used)) > 0) {
            char *nl;
            used += (size_t)n;
            line[used] = '\0';
            while ((nl = strchr(line, '\n')) != NULL) {
                *nl = '\0';
                cvz_sim_release(line);
                used -= (size_t)(nl + 1 - line);
                memmove(line, nl + 1, used + 1);
            }
            if (used == sizeof line - 1)
                used = 0; /* a line longer than any name: dropped */
        }
        close(fd);
    }
}

static void vzsim_fifo_start(void)
{
    const char *path = getenv("CVZ_SIM_HOLD_FIFO");
    pthread_t thread;

    if (path == NULL || *path == '\0')
        return;
    if (pthread_create(&thread, NULL, vzsim_fifo_reader, strdup(path)) == 0)
        pthread_detach(thread);
}

void vzsim_after_unless_held(CVZSimQueue *queue, const char *what, long delay_ms, vzsim_work_fn fn, id obj, id arg,
                             unsigned long token, void *block)
{
    struct vzsim_held *held;

    if (!vzsim_hold_wanted(what)) {
        [queue after:delay_ms fn:fn obj:obj arg:arg token:token block:block];
        return;
    }
    pthread_once(&vzsim_fifo_once, vzsim_fifo_start);
    held = calloc(1, sizeof *held);
    if (held == NULL) {
        vzsim_block_drop(block);
        [NSException raise:NSMallocException format:@"cvz-sim: out of memory"];
    }
    snprintf(held->what, sizeof held->what, "%s", what);
    held->queue = [queue retain];
    held->fn = fn;
    held->obj = [obj retain];
    held->arg = [arg retain];
    held->token = token;
    held->block = block;
    pthread_mutex_lock(&vzsim_hold_lock);
    held->next = vzsim_held_list;
    vzsim_held_list = held;
    pthread_cond_broadcast(&vzsim_hold_cond);
    pthread_mutex_unlock(&vzsim_hold_lock);
}

static int vzsim_count_held(const char *what)
{
    int count = 0;
    struct vzsim_held *held;
    for (held = vzsim_held_list; held != NULL; held = held->next)
        count += strcmp(held->what, what) == 0;
    return count;
}

int cvz_sim_release(const char *what)
{
    struct vzsim_held *mine = NULL, **link;
    int count = 0;

    pthread_mutex_lock(&vzsim_hold_lock);
    link = &vzsim_held_list;
    while (*link != NULL) {
        struct vzsim_held *held = *link;
        if (strcmp(held->what, what) == 0) {
            *link = held->next;
            held->next = mine;
            mine = held;
        } else {
            link = &held->next;
        }
    }
    pthread_mutex_unlock(&vzsim_hold_lock);
    while (mine != NULL) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        struct vzsim_held *next = mine->next;
        [mine->queue after:0 fn:mine->fn obj:mine->obj arg:mine->arg token:mine->token block:mine->block];
        [mine->queue release];
        [mine->obj release];
        [mine->arg release];
        free(mine);
        [pool release];
        mine = next;
        count++;
    }
    return count;
}

int cvz_sim_wait_held(const char *what, int count, long timeout_ms)
{
    struct timespec deadline;
    int got;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&vzsim_hold_lock);
    while ((got = vzsim_count_held(what)) < count)
        if (pthread_cond_timedwait(&vzsim_hold_cond, &vzsim_hold_lock, &deadline) != 0)
            break;
    got = vzsim_count_held(what);
    pthread_mutex_unlock(&vzsim_hold_lock);
    return got >= count;
}
