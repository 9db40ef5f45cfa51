/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_state.m - the machine's state is key-value observable, as
 * Apple's is: every transition of start, pause, resume, stop and the guest
 * stopping is posted once, in order, with its old and new value, and the
 * can* properties that follow the state are posted with it.
 */
#include "runtime_test.h"

/* Records every change of the keys it observes. */
@interface StateRecorder : NSObject
{
@public
    pthread_mutex_t lock;
    long from[64], to[64];
    int count, canStartPosts;
    BOOL lastCanStart;
}
@end

@implementation StateRecorder
- (id)init
{
    if ((self = [super init]) != nil)
        pthread_mutex_init(&lock, NULL);
    return self;
}
- (void)dealloc
{
    pthread_mutex_destroy(&lock);
    [super dealloc];
}
- (void)observeValueForKeyPath:(NSString *)path ofObject:(id)object change:(NSDictionary *)change context:(void *)ctx
{
    (void)object;
    (void)ctx;
    pthread_mutex_lock(&lock);
    if ([path isEqualToString:@"state"] && count < 64) {
        from[count] = [[change objectForKey:NSKeyValueChangeOldKey] integerValue];
        to[count] = [[change objectForKey:NSKeyValueChangeNewKey] integerValue];
        count++;
    } else if ([path isEqualToString:@"canStart"]) {
        canStartPosts++;
        lastCanStart = [[change objectForKey:NSKeyValueChangeNewKey] boolValue];
    }
    pthread_mutex_unlock(&lock);
}
- (int)count
{
    int n;
    pthread_mutex_lock(&lock);
    n = count;
    pthread_mutex_unlock(&lock);
    return n;
}
@end

/* Waits (30 s at most) until `n` state changes were posted; the number posted. */
static int wait_for_posts(StateRecorder *r, int n)
{
    for (int i = 0; i < 3000 && [r count] < n; i++)
        sleep_ms(10);
    return [r count];
}

static void expect(long want[][2], int *n, VZVirtualMachineState from, VZVirtualMachineState to)
{
    want[*n][0] = from;
    want[*n][1] = to;
    (*n)++;
}

void test_state_is_observable(void **state)
{
    StateRecorder *r;
    VZVirtualMachine *vm;
    BOOL stopping = level >= 1200;
    long want[32][2];
    int n = 0;
    (void)state;
    REQUIRE_LEVEL(1100);

    r = [[StateRecorder alloc] init];
    vm = new_vm(make_config(0, 0, 512 * MIB));
    [vm addObserver:r forKeyPath:@"state" options:NSKeyValueObservingOptionOld | NSKeyValueObservingOptionNew
            context:NULL];
    [vm addObserver:r forKeyPath:@"canStart" options:NSKeyValueObservingOptionNew context:NULL];

    start_vm(vm);
    expect(want, &n, VZVirtualMachineStateStopped, VZVirtualMachineStateStarting);
    expect(want, &n, VZVirtualMachineStateStarting, VZVirtualMachineStateRunning);
    assert_null(call_and_wait(vm, @selector(pauseWithCompletionHandler:)));
    expect(want, &n, VZVirtualMachineStateRunning, VZVirtualMachineStatePausing);
    expect(want, &n, VZVirtualMachineStatePausing, VZVirtualMachineStatePaused);
    assert_null(call_and_wait(vm, @selector(resumeWithCompletionHandler:)));
    expect(want, &n, VZVirtualMachineStatePaused, VZVirtualMachineStateResuming);
    expect(want, &n, VZVirtualMachineStateResuming, VZVirtualMachineStateRunning);
    if (stopping) {
        assert_null(call_and_wait(vm, @selector(stopWithCompletionHandler:)));
        expect(want, &n, VZVirtualMachineStateRunning, VZVirtualMachineStateStopping);
        expect(want, &n, VZVirtualMachineStateStopping, VZVirtualMachineStateStopped);
        start_vm(vm);
        expect(want, &n, VZVirtualMachineStateStopped, VZVirtualMachineStateStarting);
        expect(want, &n, VZVirtualMachineStateStarting, VZVirtualMachineStateRunning);
    }
    /* The guest stops: through stopping from 12.0, at once at 11.0. */
    assert_true([vm requestStopWithError:NULL]);
    if (stopping) {
        expect(want, &n, VZVirtualMachineStateRunning, VZVirtualMachineStateStopping);
        expect(want, &n, VZVirtualMachineStateStopping, VZVirtualMachineStateStopped);
    } else {
        expect(want, &n, VZVirtualMachineStateRunning, VZVirtualMachineStateStopped);
    }
    /* The last change is the last work on the queue: once it is posted, all are. */
    assert_int_equal(wait_for_posts(r, n), n);
    for (int i = 0; i < n; i++)
        if (r->from[i] != want[i][0] || r->to[i] != want[i][1])
            fail_msg("change %d: %ld -> %ld, expected %ld -> %ld", i, r->from[i], r->to[i], want[i][0], want[i][1]);
    /* canStart is posted with every change of state, and follows it. */
    assert_int_equal(r->canStartPosts, n);
    assert_true(r->lastCanStart);

    [vm removeObserver:r forKeyPath:@"state"];
    [vm removeObserver:r forKeyPath:@"canStart"];
    start_vm(vm);
    assert_int_equal([r count], n); /* removed: told no more */
    [vm release];
    [r release];
}
