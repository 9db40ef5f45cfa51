/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/console.m - the simulated guest reads its console (macOS 11.0): the
 * reading side of every serial port and console port attachment
 * (VZFileHandleSerialPortAttachment's fileHandleForReading), answered by a
 * tiny shell.  The protocol is in sim/README.md ("Serial console"): the guest
 * echoes each line to the same port's writing side, `poweroff` powers it off
 * as a stop request would, `panic` crashes it.
 *
 * The console works on its own duplicates of the attachments' descriptors,
 * made with the machine and closed with it (vzsim_console_end), as libcvz
 * keeps its own for its callers: a caller may close its descriptors at any
 * time, and a descriptor number the caller closed and the process reused for
 * something else is never read or written.
 *
 * One reader thread per machine (a plain pthread), started the first time
 * the guest runs and joined when the machine is deallocated.  It only reads
 * and cuts lines; each line is handled on the machine's queue, in order with
 * the state machine, and only while the machine is running (a stopped or
 * paused guest reads nothing: what arrives then is dropped).
 *
 * Neither the reader nor a queued line may keep the machine alive (a
 * released, running machine would never go away): they hold the console
 * object, which points to the machine without retaining it.  -[VZVirtualMachine release] clears that
 * pointer under the console's lock before the last reference goes, and a
 * line's handler retains the machine under the same lock: it never revives a
 * machine that is being deallocated.
 */
#define _GNU_SOURCE /* pipe2 */
#import "11.0/console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

/* Longer input is handled in pieces of this size. */
#define VZSIM_CONSOLE_LINE_MAX 256

struct vzsim_console_port {
    int input, output; /* duplicates of the attachment's descriptors, ours to close; either may be -1 */
    char line[VZSIM_CONSOLE_LINE_MAX];
    size_t length;
    BOOL after_cr; /* the last byte ended a line with \r: a \n right after it ends nothing */
    BOOL eof;      /* end of file or a read error: this port is read no more */
};

/* A line on its way from the reader to the machine's queue.  Plain C memory
 * handed over under the console's lock (an Objective-C object would be freed
 * by whichever thread released it last, through GNUstep's atomic reference
 * counts, which ThreadSanitizer cannot follow). */
struct vzsim_console_line {
    struct vzsim_console_line *next;
    NSUInteger port;
    size_t length;
    char bytes[];
};

@interface CVZSimGuestConsole : NSObject
{
@public
    pthread_mutex_t _lock; /* guards _vm, _lines */
    VZVirtualMachine *_vm; /* not retained; nil once the machine's last reference is going */
    CVZSimQueue *_queue;   /* the machine's queue, where lines are handled */
    int _wake[2];          /* a byte written to _wake[1] ends the reader */
    NSUInteger _count, _inputs; /* ports, and how many of them have a reading side */
    struct vzsim_console_port *_ports;
    pthread_t _reader;
    BOOL _started; /* _reader runs (set and read on the machine's queue and in its -dealloc) */
    struct vzsim_console_line *_lines, **_lastLine; /* posted, not yet handled (FIFO) */
}
@end

/* ---- the guest's shell, on the machine's queue ---------------------------------------- */

static void vzsim_console_write(int fd, const char *bytes, size_t length)
{
    while (fd >= 0 && length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return; /* EPIPE, EBADF...: the echo is lost, as on a real port */
        bytes += n;
        length -= (size_t)n;
    }
}

/* The machine, retained, or nil when it is gone or going. */
static VZVirtualMachine *vzsim_console_machine(CVZSimGuestConsole *console)
{
    VZVirtualMachine *vm;
    pthread_mutex_lock(&console->_lock);
    vm = [console->_vm retain];
    pthread_mutex_unlock(&console->_lock);
    return vm;
}

static BOOL vzsim_line_is(const struct vzsim_console_line *line, const char *command)
{
    return line->length == strlen(command) && memcmp(line->bytes, command, line->length) == 0;
}

/* The oldest posted line (one work item per line): echo it, then run it. */
static void vzsim_console_handle(id obj, id arg, unsigned long token, void *block)
{
    CVZSimGuestConsole *console = obj;
    VZVirtualMachine *vm = vzsim_console_machine(console);
    struct vzsim_console_line *line;
    BOOL running = NO;
    unsigned long epoch = 0;

    (void)arg;
    (void)token;
    (void)block;
    pthread_mutex_lock(&console->_lock);
    line = console->_lines;
    if (line != NULL && (console->_lines = line->next) == NULL)
        console->_lastLine = &console->_lines;
    pthread_mutex_unlock(&console->_lock);
    if (vm != nil) {
        pthread_mutex_lock(&vm->_lock);
        running = vm->_state == VZVirtualMachineStateRunning;
        epoch = vm->_epoch;
        pthread_mutex_unlock(&vm->_lock);
    }
    if (running && line != NULL) {
        int output = console->_ports[line->port].output;
        vzsim_console_write(output, line->bytes, line->length);
        vzsim_console_write(output, "\r\n", 2);
        if (vzsim_line_is(line, "poweroff"))
            vzsim_vm_guest_shutdown(vm, nil, epoch, NULL);
        else if (vzsim_line_is(line, "panic"))
            vzsim_vm_guest_crash(vm, @"The simulated guest panicked (`panic` on its console).", epoch, NULL);
    }
    free(line);
    [vm release];
}

/* ---- the reader thread -------------------------------------------------------------- */

/* Hands a complete line of port `index` to the machine's queue (empty lines are ignored). */
static void vzsim_console_post(CVZSimGuestConsole *console, NSUInteger index)
{
    struct vzsim_console_port *port = &console->_ports[index];
    struct vzsim_console_line *line;

    if (port->length == 0)
        return;
    line = malloc(sizeof *line + port->length);
    if (line != NULL) { /* out of memory: the line is lost, as a real guest might lose it */
        line->next = NULL;
        line->port = index;
        line->length = port->length;
        memcpy(line->bytes, port->line, port->length);
        pthread_mutex_lock(&console->_lock);
        *console->_lastLine = line;
        console->_lastLine = &line->next;
        pthread_mutex_unlock(&console->_lock);
        [console->_queue after:0 fn:vzsim_console_handle obj:console arg:nil token:0 block:NULL];
    }
    port->length = 0;
}

/* Cuts what was read from port `index` into lines: \n, \r and \r\n end one. */
static void vzsim_console_take(CVZSimGuestConsole *console, NSUInteger index, const char *bytes, size_t length)
{
    struct vzsim_console_port *port = &console->_ports[index];
    size_t i;

    for (i = 0; i < length; i++) {
        char c = bytes[i];
        BOOL after_cr = port->after_cr;
        port->after_cr = c == '\r';
        if (c == '\n' && after_cr)
            continue;
        if (c == '\n' || c == '\r') {
            vzsim_console_post(console, index);
            continue;
        }
        port->line[port->length++] = c;
        if (port->length == sizeof port->line)
            vzsim_console_post(console, index);
    }
}

/* Reads port `index` once (poll said it is ready); end of file or an error ends it. */
static void vzsim_console_read(CVZSimGuestConsole *console, NSUInteger index)
{
    struct vzsim_console_port *port = &console->_ports[index];
    char buffer[1024];
    ssize_t n = read(port->input, buffer, sizeof buffer);

    if (n > 0) {
        vzsim_console_take(console, index, buffer, (size_t)n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        vzsim_console_post(console, index); /* a last line without its newline still counts */
        port->eof = YES;
    }
}

/* The reader thread's body: poll every port that has not ended, and the
 * wake pipe; never spins, since an ended port is no longer polled.  The
 * console outlives it (vzsim_console_end joins it before letting go). */
static void *vzsim_console_reader(void *opaque)
{
    CVZSimGuestConsole *console = opaque;
    struct pollfd *fds = calloc(console->_count + 1, sizeof *fds);
    NSUInteger *which = calloc(console->_count + 1, sizeof *which);

    while (fds != NULL && which != NULL) {
        nfds_t n = 1;
        NSUInteger i;

        fds[0].fd = console->_wake[0];
        fds[0].events = POLLIN;
        for (i = 0; i < console->_count; i++) {
            if (console->_ports[i].eof || console->_ports[i].input < 0)
                continue;
            fds[n].fd = console->_ports[i].input;
            fds[n].events = POLLIN;
            which[n++] = i;
        }
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[0].revents != 0)
            break;
        for (i = 1; i < n; i++)
            if (fds[i].revents != 0)
                vzsim_console_read(console, which[i]);
    }
    free(fds);
    free(which);
    return NULL;
}

@implementation CVZSimGuestConsole

- (void)dealloc
{
    while (_lines != NULL) { /* posted after the machine went: its queue dropped them */
        struct vzsim_console_line *next = _lines->next;
        free(_lines);
        _lines = next;
    }
    for (NSUInteger i = 0; i < _count; i++) {
        if (_ports[i].input >= 0)
            close(_ports[i].input);
        if (_ports[i].output >= 0)
            close(_ports[i].output);
    }
    free(_ports);
    close(_wake[0]);
    close(_wake[1]);
    [_queue release];
    pthread_mutex_destroy(&_lock);
    [super dealloc];
}

@end

/* ---- the machine's side ------------------------------------------------------------------ */

/* Our own copy of `fd` (close-on-exec), or -1 for none or when the process is out of descriptors
 * (that side of the port then stays silent, as a port whose cable is out). */
static int vzsim_console_dup(int fd)
{
    return fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
}

CVZSimGuestConsole *vzsim_console_new(VZVirtualMachine *vm)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSArray *attachments = vzsim_console_attachments(vm->_configuration);
    CVZSimGuestConsole *console = nil;
    NSUInteger i, count = 0;

    for (i = 0; i < [attachments count]; i++) {
        id attachment = [attachments objectAtIndex:i];
        if (vzsim_console_input_fd(attachment) >= 0 || vzsim_console_output_fd(attachment) >= 0)
            count++;
    }
    if (count > 0)
        console = [[CVZSimGuestConsole alloc] init];
    if (console != nil) {
        console->_ports = calloc(count, sizeof *console->_ports);
        if (console->_ports == NULL || pipe2(console->_wake, O_CLOEXEC) != 0) {
            free(console->_ports);
            NSDeallocateObject(console); /* nothing else of it was set up */
            console = nil;
        }
    }
    if (console != nil) {
        pthread_mutex_init(&console->_lock, NULL);
        console->_vm = vm;
        console->_lastLine = &console->_lines;
        console->_queue = [vzsim_vm_queue(vm) retain];
        for (i = 0; i < [attachments count]; i++) {
            id attachment = [attachments objectAtIndex:i];
            int input = vzsim_console_input_fd(attachment), output = vzsim_console_output_fd(attachment);
            struct vzsim_console_port *port = &console->_ports[console->_count];
            if (input < 0 && output < 0)
                continue;
            port->input = vzsim_console_dup(input);
            port->output = vzsim_console_dup(output);
            console->_inputs += port->input >= 0;
            console->_count++;
        }
    }
    [pool release];
    return console;
}

void vzsim_console_print(CVZSimGuestConsole *console, const char *bytes, size_t length)
{
    for (NSUInteger i = 0; console != nil && i < console->_count; i++)
        vzsim_console_write(console->_ports[i].output, bytes, length);
}

/* On the machine's queue.  No thread (out of resources): the guest reads nothing. */
void vzsim_console_start(CVZSimGuestConsole *console)
{
    if (console != nil && console->_inputs > 0 && !console->_started)
        console->_started = pthread_create(&console->_reader, NULL, vzsim_console_reader, console) == 0;
}

void vzsim_console_end(CVZSimGuestConsole *console)
{
    if (console == nil)
        return;
    if (console->_started) {
        ssize_t ignored = write(console->_wake[1], "", 1);
        (void)ignored; /* a full pipe already wakes the reader */
        pthread_join(console->_reader, NULL);
    }
    [console release];
}

void vzsim_console_lock(CVZSimGuestConsole *console)
{
    pthread_mutex_lock(&console->_lock);
}

void vzsim_console_unlock(CVZSimGuestConsole *console)
{
    pthread_mutex_unlock(&console->_lock);
}

void vzsim_console_forget_machine(CVZSimGuestConsole *console)
{
    console->_vm = nil;
}
