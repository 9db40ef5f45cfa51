/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsock.h - the Virtio socket device of a machine (vsock.m): listeners,
 * connections, and the simulated guest's side of them.
 */
#ifndef CVZ_SIM_11_0_VSOCK_H
#define CVZ_SIM_11_0_VSOCK_H

#import "11.0/machine.h"

@class VZVirtioSocketDevice;
struct vzsim_guest_ends;

@interface VZSocketDevice : NSObject
@end

@interface VZVirtioSocketListener : NSObject
{
@public
    id _delegate; /* retained; Apple's is weak (see sim/README.md) */
}
- (id)delegate;
- (void)setDelegate:(id)delegate;
@end

@interface VZVirtioSocketConnection : NSObject
{
@public
    pthread_mutex_t _lock;
    int _fileDescriptor; /* the host's end; -1 once closed */
    uint32_t _sourcePort, _destinationPort;
}
- (uint32_t)sourcePort;
- (uint32_t)destinationPort;
- (int)fileDescriptor;
- (void)close;
@end

@interface VZVirtioSocketDevice : VZSocketDevice
{
@public
    VZVirtualMachine *_machine; /* not retained (it owns its devices); nil once it is gone */
    NSMutableDictionary *_listeners; /* NSNumber port -> VZVirtioSocketListener */
    struct vzsim_guest_ends *_guestEnds; /* the guest's ends of the connections (vsock.m) */
}
- (void)setSocketListener:(VZVirtioSocketListener *)listener forPort:(uint32_t)port;
- (void)removeSocketListenerForPort:(uint32_t)port;
- (void)connectToPort:(uint32_t)port completionHandler:(void *)completionHandler;
@end

/* A device of `vm`, made when the machine is. */
VZVirtioSocketDevice *vzsim_socket_device_new(VZVirtualMachine *vm);

/* The listener's delegate protocol, so the runtime knows it as Apple's does. */
@protocol VZVirtioSocketListenerDelegate <NSObject>
@optional
- (BOOL)listener:(VZVirtioSocketListener *)listener
    shouldAcceptNewConnection:(VZVirtioSocketConnection *)connection
             fromSocketDevice:(VZVirtioSocketDevice *)socketDevice;
@end
/* The guest connects to each port of CVZ_SIM_GUEST_CONNECT_PORTS (the machine just reached running). */
void vzsim_vsock_guest_connects(VZVirtualMachine *vm);
/* The guest stopped: the guest's end of every connection of the machine is reset. */
void vzsim_vsock_guest_stopped(VZVirtualMachine *vm);

#endif /* CVZ_SIM_11_0_VSOCK_H */
