/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runloop.c - see runloop.h.
 */
#include "runloop.h"

#include "clock.h"
#include "error_text.h"
#include "goconv.h"
#include "ignition.h"
#include "json.h"
#include "log.h"
#include "pollset.h"
#include "portable.h"
#include "progress.h"
#include "rest.h"
#include "run.h"
#include "timesync.h"
#include "vsock.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* While something is timed (a start or stop in progress: the spinner and the stop deadline)
 * the loop wakes every TICK_MS.  Otherwise it sleeps until a descriptor, a signal, a
 * completion or a change of the VM's state (observed, not polled) wakes it, or IDLE_MS
 * pass: the REST server's idle clients and time sync's reply are timed in seconds. */
#define TICK_MS 20
#define IDLE_MS 1000

const char *state_name(enum cvz_virtual_machine_state state)
{
    switch (state) {
    case CVZ_VIRTUAL_MACHINE_STATE_STOPPED: return "VirtualMachineStateStopped";
    case CVZ_VIRTUAL_MACHINE_STATE_RUNNING: return "VirtualMachineStateRunning";
    case CVZ_VIRTUAL_MACHINE_STATE_PAUSED: return "VirtualMachineStatePaused";
    case CVZ_VIRTUAL_MACHINE_STATE_ERROR: return "VirtualMachineStateError";
    case CVZ_VIRTUAL_MACHINE_STATE_STARTING: return "VirtualMachineStateStarting";
    case CVZ_VIRTUAL_MACHINE_STATE_PAUSING: return "VirtualMachineStatePausing";
    case CVZ_VIRTUAL_MACHINE_STATE_RESUMING: return "VirtualMachineStateResuming";
    case CVZ_VIRTUAL_MACHINE_STATE_STOPPING: return "VirtualMachineStateStopping";
    case CVZ_VIRTUAL_MACHINE_STATE_SAVING: return "VirtualMachineStateSaving";
    case CVZ_VIRTUAL_MACHINE_STATE_RESTORING: return "VirtualMachineStateRestoring";
    }
    return "VirtualMachineStateUnknown";
}

/* ---- signals and completion events, both through pipes ---------------------------------- */

static int signal_pipe[2] = {-1, -1};
static int event_pipe[2] = {-1, -1};

static void on_signal(int signo)
{
    int saved = errno;
    unsigned char b = (unsigned char)signo;
    if (write(signal_pipe[1], &b, 1) < 0) {
        /* the pipe is full: a signal is already pending */
    }
    errno = saved;
}

struct event {
    char kind; /* 'S' start finished, 'H' forced stop finished, 'T' the state changed */
    char *error; /* NULL on success */
};

static void post_event(char kind, const cvz_error *error)
{
    struct event ev;
    memset(&ev, 0, sizeof ev); /* no uninitialised padding through the pipe */
    ev.kind = kind;
    ev.error = error ? strdup(cvz_error_message(error)) : NULL;
    if (write(event_pipe[1], &ev, sizeof ev) != (ssize_t)sizeof ev)
        free(ev.error);
}

static void on_started(const cvz_error *error, void *context)
{
    (void)context;
    post_event('S', error);
}

static void on_stopped(const cvz_error *error, void *context)
{
    (void)context;
    post_event('H', error);
}

/* On the VM's queue: the loop reads the new state itself, this only wakes it. */
static void on_state_changed(struct cvz_virtual_machine *vm, int state, void *context)
{
    (void)vm, (void)state, (void)context;
    post_event('T', NULL);
}

static int make_pipe(int p[2])
{
    if (pipe_cloexec_nonblock(p) != 0)
        return -1;
    return 0;
}

/* ---- the loop's state --------------------------------------------------------------------- */

/* Progress while the VM starts or stops: a spinner on stderr when it is a
 * terminal the guest console does not use, else lines at --log-level debug. */
struct waiting {
    const char *what; /* "starting", "stopping", or NULL */
    int64_t since;
    int64_t last_note;
    int64_t last_frame;
    bool spinner;
    struct progress view;
};

struct loop {
    cvz_virtual_machine *vm;
    const struct vmconfig *cfg;
    struct vsock *vsock;         /* NULL without vsock devices, --timesync, --ignition */
    struct ignition *ignition;   /* NULL without --ignition */
    struct timesync *timesync;   /* NULL without --timesync */
    struct waiting wait;         /* progress while the VM starts or stops */
    bool started;         /* start completed successfully */
    bool signal_stop;     /* a signal asked for a stop */
    bool guest_asked;     /* the stop request reached the guest */
    bool forced;          /* the stop had to be forced after a signal */
    int64_t deadline;     /* when to force */
    int64_t stop_timeout; /* --stop-timeout */
};

/* error_text(), and the error freed. */
static char *take_error_text(cvz_error *e)
{
    char *text = error_text(e);
    cvz_error_free(e);
    return text;
}

/* Asks the guest to stop.  With `when_possible`, only when the VM says it can
 * be asked now (the signal path retries); otherwise the framework's answer,
 * as vfkit's REST Stop gives it. */
static bool request_stop(struct loop *l, bool when_possible, char **why)
{
    cvz_error *e = NULL;
    if (when_possible && !cvz_virtual_machine_can_request_stop(l->vm, NULL))
        return false;
    if (cvz_virtual_machine_request_stop(l->vm, &e) != 0) {
        if (why)
            *why = take_error_text(e);
        else
            cvz_error_free(e);
        return false;
    }
    return true;
}

/* Starts a forced stop; on a host without one, says why. */
static bool force_stop(struct loop *l)
{
    cvz_error *e = NULL;
    if (cvz_virtual_machine_stop(l->vm, on_stopped, NULL, &e) != 0) {
        char *text = take_error_text(e);
        log_msg(LOG_ERROR, "failed to force stop VM: %s", text);
        free(text);
        return false;
    }
    return true;
}

/* ---- REST ---------------------------------------------------------------------------------- */

static char *error_body(const char *message)
{
    struct strbuf sb = {0};
    struct json_obj o;
    json_begin(&o, &sb);
    json_str(&o, "error", message);
    json_end(&o);
    return sb_detach(&sb);
}

static char *state_body(struct loop *l)
{
    enum cvz_virtual_machine_state state = cvz_virtual_machine_state(l->vm, NULL);
    struct strbuf sb = {0};
    struct json_obj o;
    json_begin(&o, &sb); /* gin.H: keys in Go's sorted map order */
    json_bool(&o, "canHardStop", cvz_virtual_machine_can_stop(l->vm, NULL));
    json_bool(&o, "canPause", cvz_virtual_machine_can_pause(l->vm, NULL));
    json_bool(&o, "canResume", cvz_virtual_machine_can_resume(l->vm, NULL));
    json_bool(&o, "canStart", cvz_virtual_machine_can_start(l->vm, NULL));
    json_bool(&o, "canStop", cvz_virtual_machine_can_request_stop(l->vm, NULL));
    json_str(&o, "state", state_name(state));
    json_end(&o);
    return sb_detach(&sb);
}


/* A 400 answer for a body that is not what a request needs. */
static void bad_body(struct rest_response *r, char *err)
{
    r->status = 400;
    r->body = error_body(err);
    free(err);
}

/* A 500 answer for an action that failed, logged with the client's text escaped. */
static void action_failed(struct rest_response *r, const char *what, size_t what_len, char *failure)
{
    char *shown = log_excerpt(what, what_len, 64);
    char *logged = log_excerpt(failure, strlen(failure), 200);
    log_msg(LOG_ERROR, "failed action %s: %s", shown, logged);
    free(logged);
    free(shown);
    r->status = 500;
    r->body = error_body(failure);
    free(failure);
}

static void change_state(struct loop *l, const char *body, size_t len, struct rest_response *r)
{
    char *state = NULL, *err = NULL;
    size_t state_len = 0;
    int rc = json_get_string(body, len, "state", &state, &state_len, &err);
    if (rc < 0 || (rc == 1 && err))
        return bad_body(r, err);
    const char *want = state ? state : "";
    /* "Stop\u0000junk" is not Stop: names are compared with their length */
    bool plain = strlen(want) == state_len;
    char *failure = NULL;
    if (plain && strcmp(want, "Stop") == 0) {
        log_msg(LOG_DEBUG, "stopping machine");
        if (!request_stop(l, false, &failure) && !failure)
            failure = xstrdup("the stop request failed");
    } else if (plain && strcmp(want, "HardStop") == 0) {
        log_msg(LOG_DEBUG, "force stopping machine");
        cvz_error *e = NULL;
        if (cvz_virtual_machine_stop_and_wait(l->vm, 5000, &e) != 0)
            failure = take_error_text(e);
    } else if (plain && (strcmp(want, "Pause") == 0 || strcmp(want, "Resume") == 0)) {
        bool pause = strcmp(want, "Pause") == 0;
        log_msg(LOG_DEBUG, pause ? "pausing machine" : "resuming machine");
        cvz_error *e = NULL;
        int done = pause ? cvz_virtual_machine_pause_and_wait(l->vm, 5000, &e)
                       : cvz_virtual_machine_resume_and_wait(l->vm, 5000, &e);
        if (done != 0) {
            char *why = take_error_text(e);
            failure = xasprintf("cannot %s: %s", pause ? "pause" : "resume", why);
            free(why);
        }
    } else if (plain) {
        failure = xasprintf("invalid new VMState: %s", want);
    } else { /* quoted: the bytes after the NUL are shown too */
        char *q = log_excerpt(want, state_len, state_len);
        failure = xasprintf("invalid new VMState: %s", q);
        free(q);
    }
    if (failure)
        action_failed(r, want, state_len, failure);
    else
        r->status = 202;
    free(state);
    free(err);
}

/* How long POST /vm/save and /vm/restore wait for the framework (the loop waits with them). */
#define SAVE_RESTORE_TIMEOUT_MS 120000

/* POST /vm/save and /vm/restore, {"path": "/file"}: the framework's
 * saveMachineStateToURL: (the VM paused) and restoreMachineStateFromURL:
 * (the VM stopped); its errors are answered as they are. */
static void save_or_restore(struct loop *l, bool save, const char *body, size_t len, struct rest_response *r)
{
    char *path = NULL, *err = NULL;
    size_t path_len = 0;
    int rc = json_get_string(body, len, "path", &path, &path_len, &err);
    if (rc < 0 || (rc == 1 && err))
        return bad_body(r, err);
    if (rc == 1 || path_len == 0 || strlen(path) != path_len) {
        free(path);
        return bad_body(r, xstrdup(rc == 1 ? "missing \"path\"" : "\"path\" must be a file path"));
    }
    struct stat st;
    if (save && lstat(path, &st) == 0) { /* never overwrite a file cvz did not create */
        char *why = xasprintf("cannot save to %s: the file exists", path);
        free(path);
        return bad_body(r, why);
    }
    log_msg(LOG_DEBUG, save ? "saving machine state" : "restoring machine state");
    cvz_error *e = NULL;
    int done = save ? cvz_virtual_machine_save_machine_state_to_url_and_wait(l->vm, path, SAVE_RESTORE_TIMEOUT_MS, &e)
                    : cvz_virtual_machine_restore_machine_state_from_url_and_wait(l->vm, path, SAVE_RESTORE_TIMEOUT_MS, &e);
    if (done != 0) {
        char *why = take_error_text(e);
        const char *action = save ? "save" : "restore";
        action_failed(r, action, strlen(action), xasprintf("cannot %s the machine state: %s", action, why));
        free(why);
    } else {
        r->status = 202;
    }
    free(path);
}

static void handle_request(void *context, const char *method, const char *path, const char *body, size_t len,
                           struct rest_response *r)
{
    struct loop *l = context;
    char *shown = log_excerpt(path, strlen(path), 80);
    log_msg(LOG_DEBUG, "REST %s %s", method, shown);
    free(shown);
    r->content_type = "application/json; charset=utf-8";
    bool post = strcmp(method, "POST") == 0;
    if (strcmp(path, "/vm/state") == 0 && strcmp(method, "GET") == 0) {
        r->status = 200;
        r->body = state_body(l);
    } else if (strcmp(path, "/vm/state") == 0 && post) {
        change_state(l, body, len, r);
    } else if ((strcmp(path, "/vm/save") == 0 || strcmp(path, "/vm/restore") == 0) && post) {
        save_or_restore(l, strcmp(path, "/vm/save") == 0, body, len, r);
    } else if (strcmp(path, "/vm/inspect") == 0 && strcmp(method, "GET") == 0) {
        r->status = 200;
        r->body = vmconfig_json(l->cfg);
    } else {
        r->status = 404;
        r->content_type = "text/plain";
        r->body = xstrdup("404 page not found");
    }
}

/* ---- the loop ------------------------------------------------------------------------------- */

/* now + timeout without overflow: a negative timeout is now (vfkit's Go timers
 * fire at once), one past the clock's range is never. */
static int64_t deadline_after(int64_t timeout_ms)
{
    int64_t now = now_ms();
    if (timeout_ms <= 0)
        return now;
    return timeout_ms > INT64_MAX - now ? INT64_MAX : now + timeout_ms;
}

static void on_signal_received(struct loop *l, int signo)
{
    if (signo == SIGUSR1) {
        if (l->timesync) {
            log_msg(LOG_DEBUG, "captured SIGUSR1, syncing the guest's clock");
            timesync_sync(l->timesync);
        }
        return;
    }
    if (!l->signal_stop) {
        log_msg(LOG_INFO, "captured %s, stopping the virtual machine", signo == SIGINT ? "SIGINT" : "SIGTERM");
        l->signal_stop = true;
        l->deadline = deadline_after(l->stop_timeout);
        l->guest_asked = request_stop(l, true, NULL);
        return;
    }
    if (!l->forced) {
        log_msg(LOG_INFO, "captured %s again, forcing the stop", signo == SIGINT ? "SIGINT" : "SIGTERM");
        l->forced = true;
        force_stop(l);
    }
}

/* ---- progress while the VM starts or stops ------------------------------------------------ */

/* Starts showing a wait ("starting", "stopping"); nothing if one is shown. */
static void wait_begin(struct waiting *w, const char *what)
{
    if (w->what == what)
        return;
    w->what = what;
    w->since = w->last_note = now_ms();
    log_msg(LOG_DEBUG, "waiting for the virtual machine: %s", what);
}

/* A spinner on a terminal; at --log-level debug a line a second. */
static void wait_tick(struct waiting *w)
{
    if (!w->what)
        return;
    int64_t now = now_ms();
    if (w->spinner && now - w->last_frame >= 100) {
        w->last_frame = now;
        char *label = xasprintf("%s the virtual machine", w->what);
        progress_spin(&w->view, label);
        free(label);
    }
    if (now - w->last_note >= 1000) {
        w->last_note = now;
        if (!w->spinner)
            log_msg(LOG_DEBUG, "still %s after %lld ms", w->what, (long long)(now - w->since));
    }
}

static void wait_end(struct waiting *w)
{
    if (!w->what)
        return;
    progress_end(&w->view, true);
    log_msg(LOG_DEBUG, "%s took %lld ms", w->what, (long long)(now_ms() - w->since));
    w->what = NULL;
}

/* ---- the loop's parts ------------------------------------------------------------------------ */

/* vsock forwarding, ignition and time sync, before the VM starts. */
static bool open_vsock_parts(struct loop *l)
{
    char *err = NULL;
    if (vsock_needed(l->cfg) && vsock_open(l->vm, l->cfg, &l->vsock, &err) != 0) {
        log_msg(LOG_ERROR, "%s", err);
        free(err);
        return false;
    }
    if (l->cfg->ignition && ignition_open(l->cfg->ignition, l->cfg->ignition_socket, &l->ignition, &err) != 0) {
        log_msg(LOG_ERROR, "%s", err);
        free(err);
        return false;
    }
    if (l->cfg->has_timesync) {
        log_msg(LOG_INFO, "setting up host/guest time synchronization on vsock port %u", l->cfg->timesync_port);
        l->timesync = timesync_new(l->vsock, l->cfg->timesync_port);
    }
    return true;
}

static void close_vsock_parts(struct loop *l)
{
    timesync_free(l->timesync);
    ignition_close(l->ignition);
    vsock_close(l->vsock);
}

static void add_pollfds(struct loop *l, struct pollset *ps)
{
    if (l->vsock)
        vsock_add_pollfds(l->vsock, ps);
    if (l->ignition)
        ignition_add_pollfds(l->ignition, ps);
    if (l->timesync)
        timesync_add_pollfds(l->timesync, ps);
}

static void dispatch(struct loop *l, const struct pollset *ps)
{
    if (l->vsock)
        vsock_dispatch(l->vsock, ps);
    if (l->ignition)
        ignition_dispatch(l->ignition, ps);
    if (l->timesync)
        timesync_dispatch(l->timesync, ps);
}

/* Whether the guest console shares stderr's terminal (a spinner would garble it). */
static bool console_on_terminal(const struct vmconfig *cfg)
{
    for (size_t i = 0; i < cfg->ndevices; i++)
        if (cfg->devices[i].kind == DEV_VIRTIO_SERIAL && cfg->devices[i].stdio &&
            (isatty(STDOUT_FILENO) || isatty(STDIN_FILENO)))
            return true;
    return false;
}

int runloop_run(const struct vmconfig *cfg, const struct run_options *opts, struct built_vm *built,
                const struct rest_uri *uri)
{
    int status = EXIT_VM_FAILED;
    cvz_error *e = NULL;
    struct rest_server *server = NULL;
    struct pollset ps = {0};
    struct termios saved_tty;
    bool raw = false;
    struct loop l = {.cfg = cfg, .stop_timeout = opts->stop_timeout_ms};
    l.wait.spinner = isatty(STDERR_FILENO) && !console_on_terminal(cfg);
    progress_init(&l.wait.view, l.wait.spinner);

    l.vm = cvz_virtual_machine_new_with_configuration(built->config, &e);
    if (!l.vm) {
        char *text = take_error_text(e);
        log_msg(LOG_ERROR, "cannot create the virtual machine: %s", text);
        free(text);
        return EXIT_VM_FAILED;
    }
    if (!open_vsock_parts(&l))
        goto out;
    if (make_pipe(signal_pipe) != 0 || make_pipe(event_pipe) != 0) {
        log_msg(LOG_ERROR, "pipe: %s", go_errno_text(errno));
        goto out;
    }
    if (uri->scheme != REST_NONE) {
        char *err = NULL;
        if (rest_server_open(uri, &server, &err) != 0) {
            log_msg(LOG_ERROR, "%s", err);
            free(err);
            goto out;
        }
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    for (size_t i = 0; i < cfg->ndevices; i++) {
        if (cfg->devices[i].kind == DEV_VIRTIO_SERIAL && cfg->devices[i].stdio && !raw && isatty(STDIN_FILENO) &&
            tcgetattr(STDIN_FILENO, &saved_tty) == 0) {
            struct termios t = saved_tty;
            cfmakeraw(&t);
            raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
            log_set_raw_terminal(raw);
        }
    }

    /* Before the start, so that no change is missed (released with the VM). */
    unsigned long observer = cvz_virtual_machine_observe_state(l.vm, on_state_changed, NULL, NULL, &e);
    if (!observer) {
        char *text = take_error_text(e);
        log_msg(LOG_ERROR, "cannot observe the virtual machine's state: %s", text);
        free(text);
        goto out;
    }

    if (cvz_virtual_machine_start(l.vm, on_started, NULL, &e) != 0) {
        char *text = take_error_text(e);
        log_msg(LOG_ERROR, "cannot start the virtual machine: %s", text);
        free(text);
        goto out;
    }
    wait_begin(&l.wait, "starting");

    enum cvz_virtual_machine_state last = cvz_virtual_machine_state(l.vm, NULL);
    bool announced = false;
    for (;;) {
        pollset_clear(&ps);
        pollset_add(&ps, signal_pipe[0], POLLIN);
        pollset_add(&ps, event_pipe[0], POLLIN);
        size_t rest_first = ps.count, rest_count = 0;
        if (server) {
            struct pollfd *room = pollset_reserve(&ps, 64);
            rest_count = rest_server_pollfds(server, room, 64);
            ps.count += rest_count;
        }
        add_pollfds(&l, &ps);
        int timeout = l.wait.what || l.signal_stop ? TICK_MS : IDLE_MS;
        if (poll(ps.fds, (nfds_t)ps.count, timeout) < 0 && errno != EINTR) {
            log_msg(LOG_ERROR, "poll: %s", go_errno_text(errno));
            goto out;
        }

        unsigned char sig;
        while (read(signal_pipe[0], &sig, 1) == 1)
            on_signal_received(&l, sig);

        struct event ev;
        while (read(event_pipe[0], &ev, sizeof ev) == (ssize_t)sizeof ev) {
            if (ev.kind == 'S' && ev.error) {
                wait_end(&l.wait);
                log_msg(LOG_ERROR, "cannot start the virtual machine: %s", ev.error);
                free(ev.error);
                goto out;
            }
            if (ev.kind == 'S') {
                l.started = true;
            } else if (ev.error) {
                log_msg(LOG_ERROR, "failed to force stop VM: %s", ev.error);
            }
            free(ev.error);
        }

        if (rest_count)
            rest_server_dispatch(server, ps.fds + rest_first, rest_count, handle_request, &l);
        dispatch(&l, &ps);

        enum cvz_virtual_machine_state state = cvz_virtual_machine_state(l.vm, NULL);
        if (state != last)
            log_msg(LOG_DEBUG, "state: %s -> %s", state_name(last), state_name(state));
        last = state;
        if (l.vsock)
            vsock_set_running(l.vsock, state == CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
        if (state == CVZ_VIRTUAL_MACHINE_STATE_RUNNING && !announced) {
            if (l.wait.what && strcmp(l.wait.what, "starting") == 0)
                wait_end(&l.wait);
            log_msg(LOG_INFO, "virtual machine is running");
            announced = true;
            if (l.timesync)
                timesync_sync(l.timesync);
        }
        if (state == CVZ_VIRTUAL_MACHINE_STATE_STOPPING || (l.signal_stop && state != CVZ_VIRTUAL_MACHINE_STATE_STOPPED))
            wait_begin(&l.wait, "stopping");
        wait_tick(&l.wait);
        if (state == CVZ_VIRTUAL_MACHINE_STATE_ERROR) {
            wait_end(&l.wait);
            log_msg(LOG_ERROR, "virtualization error: hypervisor virtualization error");
            goto out;
        }
        if (state == CVZ_VIRTUAL_MACHINE_STATE_STOPPED && l.started) {
            wait_end(&l.wait);
            log_msg(LOG_INFO, "VM is stopped");
            status = l.forced ? EXIT_FORCED : EXIT_STOPPED;
            break;
        }
        if (l.signal_stop && !l.guest_asked && !l.forced)
            l.guest_asked = request_stop(&l, true, NULL);
        if (l.signal_stop && !l.forced && now_ms() >= l.deadline) {
            log_msg(LOG_INFO, "the guest did not stop within %lld ms, forcing the stop", (long long)l.stop_timeout);
            l.forced = true;
            if (!force_stop(&l))
                goto out;
        }
    }

out:
    wait_end(&l.wait);
    if (raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
        log_set_raw_terminal(false);
    }
    rest_server_close(server);
    close_vsock_parts(&l);
    pollset_free(&ps);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    for (int i = 0; i < 2; i++) {
        if (signal_pipe[i] >= 0)
            close(signal_pipe[i]);
        signal_pipe[i] = -1;
    }
    /* the event pipe stays open: a late completion handler may still write to it */
    cvz_release(l.vm);
    return status;
}
