/*
 * runloop.c - see runloop.h.
 */
#include "runloop.h"

#include "json.h"
#include "rest.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define TICK_MS 20

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
    char kind; /* 'S' start finished, 'H' forced stop finished */
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

static int make_pipe(int p[2])
{
    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    return 0;
}

/* ---- the loop's state --------------------------------------------------------------------- */

struct loop {
    cvz_virtual_machine *vm;
    const struct vmconfig *cfg;
    bool started;         /* start completed successfully */
    bool signal_stop;     /* a signal asked for a stop */
    bool guest_asked;     /* the stop request reached the guest */
    bool forced;          /* the stop had to be forced after a signal */
    int64_t deadline;     /* when to force */
    int64_t stop_timeout; /* --stop-timeout */
};

static char *error_text(cvz_error *e)
{
    char *text = build_error_text(e);
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
            *why = error_text(e);
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
        char *text = error_text(e);
        log_msg(LOG_ERROR, "failed to force stop VM: %s", text);
        free(text);
        return false;
    }
    return true;
}

/* ---- vsock ---------------------------------------------------------------------------------- */

static bool uses_vsock(const struct vmconfig *cfg)
{
    for (size_t i = 0; i < cfg->ndevices; i++)
        if (cfg->devices[i].kind == DEV_VIRTIO_VSOCK)
            return true;
    return cfg->has_timesync;
}

/*
 * vfkit connects vsock ports to unix sockets (listen/connect), serves
 * ignition and syncs time over vsock.  That needs the VZVirtioSocketDevice
 * the framework creates for the configured socket device; cvz does not
 * forward vsock connections yet, so it says why and stops here.
 */
static void explain_no_vsock(cvz_virtual_machine *vm)
{
    size_t count = 0;
    cvz_error *e = NULL;
    cvz_socket_device **devices = cvz_virtual_machine_socket_devices(vm, &count, &e);
    if (!devices) {
        char *text = error_text(e);
        log_msg(LOG_ERROR, "cannot set up vsock: %s", text);
        free(text);
        return;
    }
    cvz_handle_array_free((void **)devices, count);
    if (count == 0)
        log_msg(LOG_ERROR, "cannot set up vsock: the virtual machine has no socket device "
                           "(VZVirtualMachine.socketDevices is empty)");
    else
        log_msg(LOG_ERROR, "cannot set up vsock: cvz does not forward vsock connections yet");
}

/* ---- REST ---------------------------------------------------------------------------------- */

static char *error_body(const char *message)
{
    struct strbuf sb = {0};
    struct json_obj o;
    json_begin(&o, &sb);
    json_str(&o, "error", message);
    json_end(&o);
    return sb_take(&sb);
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
    return sb_take(&sb);
}


static void change_state(struct loop *l, const char *body, size_t len, struct rest_response *r)
{
    char *state = NULL, *err = NULL;
    int rc = json_get_string(body, len, "state", &state, &err);
    if (rc < 0 || (rc == 1 && err)) {
        r->status = 400;
        r->body = error_body(err);
        free(err);
        return;
    }
    const char *want = state ? state : "";
    char *failure = NULL;
    if (strcmp(want, "Stop") == 0) {
        log_msg(LOG_DEBUG, "stopping machine");
        if (!request_stop(l, false, &failure) && !failure)
            failure = xstrdup("the stop request failed");
    } else if (strcmp(want, "HardStop") == 0) {
        log_msg(LOG_DEBUG, "force stopping machine");
        cvz_error *e = NULL;
        if (cvz_virtual_machine_stop_and_wait(l->vm, 5000, &e) != 0)
            failure = error_text(e);
    } else if (strcmp(want, "Pause") == 0 || strcmp(want, "Resume") == 0) {
        bool pause = strcmp(want, "Pause") == 0;
        log_msg(LOG_DEBUG, pause ? "pausing machine" : "resuming machine");
        cvz_error *e = NULL;
        int done = pause ? cvz_virtual_machine_pause_and_wait(l->vm, 5000, &e)
                       : cvz_virtual_machine_resume_and_wait(l->vm, 5000, &e);
        if (done != 0) {
            char *why = error_text(e);
            failure = xasprintf("cannot %s: %s", pause ? "pause" : "resume", why);
            free(why);
        }
    } else {
        failure = xasprintf("invalid new VMState: %s", want);
    }
    if (failure) {
        log_msg(LOG_ERROR, "failed action %s: %s", want, failure);
        r->status = 500;
        r->body = error_body(failure);
        free(failure);
    } else {
        r->status = 202;
    }
    free(state);
    free(err);
}

static void handle_request(void *context, const char *method, const char *path, const char *body, size_t len,
                           struct rest_response *r)
{
    struct loop *l = context;
    log_msg(LOG_DEBUG, "REST %s %s", method, path);
    r->content_type = "application/json; charset=utf-8";
    if (strcmp(path, "/vm/state") == 0 && strcmp(method, "GET") == 0) {
        r->status = 200;
        r->body = state_body(l);
    } else if (strcmp(path, "/vm/state") == 0 && strcmp(method, "POST") == 0) {
        change_state(l, body, len, r);
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

static void on_signal_received(struct loop *l, int signo)
{
    if (!l->signal_stop) {
        log_msg(LOG_INFO, "captured %s, stopping the virtual machine", signo == SIGINT ? "SIGINT" : "SIGTERM");
        l->signal_stop = true;
        l->deadline = now_ms() + l->stop_timeout;
        l->guest_asked = request_stop(l, true, NULL);
        return;
    }
    if (!l->forced) {
        log_msg(LOG_INFO, "captured %s again, forcing the stop", signo == SIGINT ? "SIGINT" : "SIGTERM");
        l->forced = true;
        force_stop(l);
    }
}

int runloop_run(const struct vmconfig *cfg, const struct run_options *opts, struct built_vm *built,
                const struct rest_uri *uri)
{
    int status = EXIT_VM_FAILED;
    cvz_error *e = NULL;
    struct rest_server *server = NULL;
    struct termios saved_tty;
    bool raw = false;
    struct loop l = {.cfg = cfg, .stop_timeout = opts->stop_timeout_ms};

    l.vm = cvz_virtual_machine_new_with_configuration(built->config, &e);
    if (!l.vm) {
        char *text = error_text(e);
        log_msg(LOG_ERROR, "cannot create the virtual machine: %s", text);
        free(text);
        return EXIT_VM_FAILED;
    }
    if (uses_vsock(cfg)) {
        explain_no_vsock(l.vm);
        goto out;
    }
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

    if (cvz_virtual_machine_start(l.vm, on_started, NULL, &e) != 0) {
        char *text = error_text(e);
        log_msg(LOG_ERROR, "cannot start the virtual machine: %s", text);
        free(text);
        goto out;
    }

    enum cvz_virtual_machine_state last = cvz_virtual_machine_state(l.vm, NULL);
    bool announced = false;
    for (;;) {
        struct pollfd pfd[24];
        size_t n = 0;
        pfd[n++] = (struct pollfd){.fd = signal_pipe[0], .events = POLLIN};
        pfd[n++] = (struct pollfd){.fd = event_pipe[0], .events = POLLIN};
        size_t rest_first = n;
        if (server)
            n += rest_server_pollfds(server, pfd + n, sizeof pfd / sizeof pfd[0] - n);
        if (poll(pfd, (nfds_t)n, TICK_MS) < 0 && errno != EINTR) {
            log_msg(LOG_ERROR, "poll: %s", go_errno_text(errno));
            goto out;
        }

        unsigned char sig;
        while (read(signal_pipe[0], &sig, 1) == 1)
            on_signal_received(&l, sig);

        struct event ev;
        while (read(event_pipe[0], &ev, sizeof ev) == (ssize_t)sizeof ev) {
            if (ev.kind == 'S' && ev.error) {
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

        if (server && n > rest_first)
            rest_server_dispatch(server, pfd + rest_first, n - rest_first, handle_request, &l);

        enum cvz_virtual_machine_state state = cvz_virtual_machine_state(l.vm, NULL);
        if (state != last)
            log_msg(LOG_DEBUG, "state: %s -> %s", state_name(last), state_name(state));
        last = state;
        if (state == CVZ_VIRTUAL_MACHINE_STATE_RUNNING && !announced) {
            log_msg(LOG_INFO, "virtual machine is running");
            announced = true;
        }
        if (state == CVZ_VIRTUAL_MACHINE_STATE_ERROR) {
            log_msg(LOG_ERROR, "virtualization error: hypervisor virtualization error");
            goto out;
        }
        if (state == CVZ_VIRTUAL_MACHINE_STATE_STOPPED && l.started) {
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
    if (raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
        log_set_raw_terminal(false);
    }
    rest_server_close(server);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    for (int i = 0; i < 2; i++) {
        if (signal_pipe[i] >= 0)
            close(signal_pipe[i]);
        signal_pipe[i] = -1;
    }
    /* the event pipe stays open: a late completion handler may still write to it */
    cvz_release(l.vm);
    return status;
}
