/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_usb.m - USB controllers and hot-pluggable USB mass storage
 * (macOS 15.0): configuration, the machine's controllers, attach/detach.
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <objc/runtime.h>
#include <string.h>
#include <unistd.h>

@interface NSObject (UsbTest)
- (id)initWithURL:(NSURL *)url readOnly:(BOOL)readOnly error:(NSError **)error;
- (id)initWithAttachment:(id)attachment;
- (id)initWithConfiguration:(id)configuration;
- (NSUUID *)uuid;
- (void)setUuid:(NSUUID *)uuid;
- (NSArray *)usbDevices;
- (void)setUsbDevices:(NSArray *)devices;
- (NSArray *)usbControllers;
- (void)setUsbControllers:(NSArray *)controllers;
- (id)usbController;
- (void)attachDevice:(id)device completionHandler:(void *)handler;
@end

static int has_usb(void)
{
    return level >= 1500;
}

/* A USB mass storage configuration on a new 1 MiB disk image named `name` (autoreleased). */
static id mass_storage(const char *name)
{
    char path[128];
    int fd;
    id attachment;

    tmp_path(path, sizeof path, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 1 << 20), 0);
    close(fd);
    attachment = [[[objc_getClass("VZDiskImageStorageDeviceAttachment") alloc] initWithURL:file_url(path)
                                                                                 readOnly:NO
                                                                                    error:NULL] autorelease];
    assert_non_null(attachment);
    return [[[objc_getClass("VZUSBMassStorageDeviceConfiguration") alloc] initWithAttachment:attachment] autorelease];
}

static id xhci_with(NSArray *devices)
{
    id controller = [new_object("VZXHCIControllerConfiguration") autorelease];
    [controller setUsbDevices:devices];
    return controller;
}

/* attachDevice:/detachDevice: and wait; returns the error. */
static NSError *plug(id controller, SEL sel, id device)
{
    struct result r;
    struct result_block b;
    NSError *error;

    result_init(&r);
    b = make_block(&r, 0);
    ((void (*)(id, SEL, id, void *))(void (*)(void))objc_msg_lookup(controller, sel))(controller, sel, device, &b);
    memset(&b, 0xa5, sizeof b);
    assert_true(result_wait(&r, WAIT_MS));
    error = [[r.error retain] autorelease];
    result_destroy(&r);
    return error;
}

#define ATTACH @selector(attachDevice:completionHandler:)
#define DETACH @selector(detachDevice:completionHandler:)

void test_usb_presence(void **state)
{
    (void)state;
    REQUIRE_LEVEL(1100);
    if (!has_usb()) {
        assert_null(objc_getClass("VZXHCIControllerConfiguration"));
        assert_null(objc_getClass("VZUSBMassStorageDevice"));
        assert_null(class_getInstanceMethod(objc_getClass("VZVirtualMachine"), @selector(usbControllers)));
        if (level >= 1300)
            assert_null(class_getInstanceMethod(objc_getClass("VZUSBMassStorageDeviceConfiguration"), @selector(uuid)));
        return;
    }
    assert_implemented_in("VZXHCIControllerConfiguration", @selector(setUsbDevices:), 0, "libVirtualization-15.0.so");
    assert_implemented_in("VZUSBMassStorageDeviceConfiguration", @selector(uuid), 0, "libVirtualization-15.0.so");
    assert_implemented_in("VZUSBMassStorageDevice", @selector(initWithConfiguration:), 0, "libVirtualization-15.0.so");
    assert_implemented_in("VZXHCIController", ATTACH, 0, "libVirtualization-15.0.so");
    assert_implemented_in("VZVirtualMachine", @selector(usbControllers), 0, "libVirtualization-15.0.so");
    /* Conformance a client can check with the runtime's C API. */
    assert_non_null(objc_getProtocol("VZUSBDevice"));
    assert_non_null(objc_getProtocol("VZUSBDeviceConfiguration"));
    assert_true(class_conformsToProtocol(objc_getClass("VZUSBMassStorageDevice"), objc_getProtocol("VZUSBDevice")));
    assert_true([mass_storage("p.img") conformsToProtocol:objc_getProtocol("VZUSBDeviceConfiguration")]);
}

void test_usb_configuration(void **state)
{
    id a, b, copy, xhci;
    NSUUID *uuid;
    VZVirtualMachineConfiguration *config;
    NSError *error = nil;
    (void)state;
    if (!has_usb())
        skip();

    a = mass_storage("a.img");
    b = mass_storage("b.img");
    assert_non_null([a uuid]);
    assert_false([[a uuid] isEqual:[b uuid]]); /* a fresh random UUID each */
    uuid = [[[NSUUID alloc] initWithUUIDString:@"6F9619FF-8B86-D011-B42D-00C04FC964FF"] autorelease];
    [a setUuid:uuid];
    assert_true([[a uuid] isEqual:uuid]);
    copy = [[a copy] autorelease];
    assert_true([[copy uuid] isEqual:uuid]);

    xhci = xhci_with([NSArray arrayWithObjects:a, b, nil]);
    assert_int_equal([[xhci usbDevices] count], 2);
    config = make_config(0, 0, 512 * MIB);
    assert_int_equal([[(id)config usbControllers] count], 0);
    [(id)config setUsbControllers:[NSArray arrayWithObject:xhci]];
    assert_true([config validateWithError:&error]);

    /* Not a USB device configuration; two devices with one UUID. */
    [xhci setUsbDevices:[NSArray arrayWithObject:[new_object("VZVirtioEntropyDeviceConfiguration") autorelease]]];
    [(id)config setUsbControllers:[NSArray arrayWithObject:xhci]];
    assert_false([config validateWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
    [b setUuid:uuid];
    [xhci setUsbDevices:[NSArray arrayWithObjects:a, b, nil]];
    [(id)config setUsbControllers:[NSArray arrayWithObject:xhci]];
    error = nil;
    assert_false([config validateWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
}

void test_usb_runtime(void **state)
{
    VZVirtualMachineConfiguration *config;
    VZVirtualMachine *vm;
    id configured, controller, device, extra;
    (void)state;
    if (!has_usb())
        skip();

    configured = mass_storage("boot.img");
    config = make_config(0, 0, 512 * MIB);
    [(id)config setUsbControllers:[NSArray arrayWithObject:xhci_with([NSArray arrayWithObject:configured])]];
    vm = new_vm(config);

    /* Controllers exist with the machine; configured devices appear when it starts. */
    assert_int_equal([[vm usbControllers] count], 1);
    controller = [[vm usbControllers] objectAtIndex:0];
    assert_true([controller isKindOfClass:objc_getClass("VZXHCIController")]);
    assert_true([controller isKindOfClass:objc_getClass("VZUSBController")]);
    assert_int_equal([[controller usbDevices] count], 0);
    assert_error(plug(controller, ATTACH, [[[objc_getClass("VZUSBMassStorageDevice") alloc]
                                              initWithConfiguration:mass_storage("early.img")] autorelease]),
                 VZErrorDomain, VZErrorInvalidVirtualMachineState);
    start_vm(vm);
    assert_int_equal([[controller usbDevices] count], 1);
    device = [[controller usbDevices] objectAtIndex:0];
    assert_true([device conformsToProtocol:objc_getProtocol("VZUSBDevice")]);
    assert_true([[device uuid] isEqual:[configured uuid]]);
    assert_true([device usbController] == controller);

    /* Detach, detach again, attach, attach again. */
    assert_null(plug(controller, DETACH, device));
    assert_int_equal([[controller usbDevices] count], 0);
    assert_null([device usbController]);
    assert_error(plug(controller, DETACH, device), VZErrorDomain, 30004);
    assert_null(plug(controller, ATTACH, device));
    assert_true([device usbController] == controller);
    assert_error(plug(controller, ATTACH, device), VZErrorDomain, 30002);

    /* A device made by the client. */
    extra = [[[objc_getClass("VZUSBMassStorageDevice") alloc] initWithConfiguration:mass_storage("extra.img")]
        autorelease];
    assert_null([extra usbController]);
    assert_null(plug(controller, ATTACH, extra));
    assert_int_equal([[controller usbDevices] count], 2);
    assert_true([[[controller usbDevices] objectAtIndex:1] uuid] != nil);

    /* The copy the controller answers does not change under the caller. */
    {
        NSArray *snapshot = [controller usbDevices];
        assert_null(plug(controller, DETACH, extra));
        assert_int_equal([snapshot count], 2);
        assert_int_equal([[controller usbDevices] count], 1);
    }

    /* Not running: no hot-plug. */
    assert_null(call_and_wait(vm, @selector(stopWithCompletionHandler:)));
    assert_error(plug(controller, ATTACH, extra), VZErrorDomain, VZErrorInvalidVirtualMachineState);
    [[controller retain] autorelease];
    [[device retain] autorelease];
    [vm release];
    /* The machine is gone: the controller keeps its devices, and its handlers are dropped. */
    assert_true([device usbController] == controller);
}

/* An object the framework did not make cannot be attached; nil raises. */
void test_usb_attach_failures(void **state)
{
    VZVirtualMachineConfiguration *config;
    VZVirtualMachine *vm;
    id controller;
    BOOL raised = NO;
    (void)state;
    if (!has_usb())
        skip();

    config = make_config(0, 0, 512 * MIB);
    [(id)config setUsbControllers:[NSArray arrayWithObject:xhci_with([NSArray array])]];
    vm = new_vm(config);
    start_vm(vm);
    controller = [[vm usbControllers] objectAtIndex:0];
    assert_error(plug(controller, ATTACH, [[NSObject new] autorelease]), VZErrorDomain, 30003);
    assert_error(plug(controller, DETACH, [[NSObject new] autorelease]), VZErrorDomain, 30004);
    assert_int_equal([[controller usbDevices] count], 0);
    @try {
        [controller attachDevice:nil completionHandler:NULL];
    } @catch (NSException *e) {
        raised = [[e name] isEqualToString:NSInvalidArgumentException];
    }
    assert_true(raised);
    [vm release];
}

/* A machine given a queue must be called on it: hot-plugging off it raises, as Apple asserts. */
void test_usb_off_queue_raises(void **state)
{
    void *(*queue_create)(const char *, void *) = (void *(*)(const char *, void *))dlsym(RTLD_DEFAULT,
                                                                                          "dispatch_queue_create");
    void (*queue_release)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "dispatch_release");
    VZVirtualMachineConfiguration *config;
    VZVirtualMachine *vm;
    void *queue;
    id device;
    BOOL raised = NO;
    (void)state;
    if (!has_usb())
        skip();

    config = make_config(0, 0, 512 * MIB);
    [(id)config setUsbControllers:[NSArray arrayWithObject:xhci_with([NSArray array])]];
    queue = queue_create("usb", NULL);
    vm = [[objc_getClass("VZVirtualMachine") alloc] initWithConfiguration:config queue:queue];
    device = [[[objc_getClass("VZUSBMassStorageDevice") alloc] initWithConfiguration:mass_storage("q.img")]
        autorelease];
    @try {
        [[[vm usbControllers] objectAtIndex:0] attachDevice:device completionHandler:NULL];
    } @catch (NSException *e) {
        raised = [[e name] isEqualToString:NSInternalInconsistencyException];
    }
    assert_true(raised);
    assert_null([device usbController]);
    [vm release];
    queue_release(queue);
}
