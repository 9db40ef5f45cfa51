/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 27.0/virtqueue.m - virtqueues and their elements (macOS 27.0, part of
 * libVirtualization-27.0.so): VZVirtioQueue and VZVirtioQueueElement, as
 * the simulated guest driver (27.0/virtio.m) fills them and a custom device's
 * implementation consumes them.
 */
#import "27.0/virtio.h"

#include <errno.h>
#include <string.h>

/* ---- elements ----------------------------------------------------------------------- */

static NSError *vzsim_element_error(NSString *what, NSUInteger wanted, NSUInteger available)
{
    return vzsim_error_in(NSPOSIXErrorDomain, EINVAL, [NSString stringWithFormat:@"The %@ failed.", what],
                          [NSString stringWithFormat:@"%lu bytes asked for, %lu available.", (unsigned long)wanted,
                                                     (unsigned long)available]);
}

@implementation VZVirtioQueueElement

VZSIM_UNAVAILABLE_INIT

- (id)vzsimInitWithQueue:(VZVirtioQueue *)queue request:(NSData *)request
{
    NSUInteger half = [request length] / 2;
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    _queue = [queue retain];
    /* Two buffers, as a guest's scatter-gather list would give (one for a single byte). */
    _readBuffers = half == 0 ? [[NSArray alloc] initWithObjects:request, nil]
                             : [[NSArray alloc] initWithObjects:[request subdataWithRange:NSMakeRange(0, half)],
                                                                [request subdataWithRange:NSMakeRange(half, [request length] - half)],
                                                                nil];
    _readTotal = [request length];
    _written = [[NSMutableData alloc] init];
    return self;
}

- (void)dealloc
{
    [_queue release];
    [_readBuffers release];
    [_written release];
    [super dealloc];
}

#define VZSIM_ELEMENT_COUNT(getter, expression)                                \
    -(NSUInteger)getter                                                        \
    {                                                                          \
        NSUInteger value;                                                      \
        pthread_mutex_lock(&vzsim_virtio_lock);                                \
        value = (expression);                                                  \
        pthread_mutex_unlock(&vzsim_virtio_lock);                              \
        return value;                                                          \
    }

VZSIM_ELEMENT_COUNT(readBuffersByteCount, _readTotal)
VZSIM_ELEMENT_COUNT(readBuffersAvailableByteCount, _readTotal - _readOffset)
VZSIM_ELEMENT_COUNT(writeBuffersByteCount, (NSUInteger)VZSIM_VIRTIO_WRITE_CAPACITY)
VZSIM_ELEMENT_COUNT(writeBuffersAvailableByteCount, VZSIM_VIRTIO_WRITE_CAPACITY - [_written length])
VZSIM_ELEMENT_COUNT(writtenByteCount, [_written length])

/* `length` bytes of the read buffers from the current offset (the lock is held). */
- (NSData *)vzsimBytes:(NSUInteger)length
{
    NSMutableData *data = [NSMutableData dataWithCapacity:length];
    NSUInteger skip = _readOffset;
    for (NSData *buffer in _readBuffers) {
        NSUInteger take;
        if (skip >= [buffer length]) {
            skip -= [buffer length];
            continue;
        }
        take = MIN([buffer length] - skip, length - [data length]);
        [data appendBytes:(const char *)[buffer bytes] + skip length:take];
        skip = 0;
        if ([data length] == length)
            break;
    }
    return data;
}

/* The remaining read buffers, each as it is (the first one cut where reading stopped). */
- (NSArray *)readBuffers
{
    NSMutableArray *buffers = [NSMutableArray array];
    NSUInteger skip;
    pthread_mutex_lock(&vzsim_virtio_lock);
    skip = _readOffset;
    for (NSData *buffer in _readBuffers) {
        if (skip >= [buffer length]) {
            skip -= [buffer length];
            continue;
        }
        [buffers addObject:[buffer subdataWithRange:NSMakeRange(skip, [buffer length] - skip)]];
        skip = 0;
    }
    _readOffset = _readTotal;
    pthread_mutex_unlock(&vzsim_virtio_lock);
    return buffers;
}

/* Copies `length` bytes from the read buffers; `consume` moves the offset. */
- (NSData *)vzsimRead:(NSUInteger)length consume:(BOOL)consume what:(NSString *)what error:(NSError **)error
{
    NSData *data = nil;
    NSUInteger available;
    pthread_mutex_lock(&vzsim_virtio_lock);
    available = _readTotal - _readOffset;
    if (length <= available) {
        data = [self vzsimBytes:length];
        if (consume)
            _readOffset += length;
    }
    pthread_mutex_unlock(&vzsim_virtio_lock);
    if (data == nil)
        vzsim_set_error(error, vzsim_element_error(what, length, available));
    return data;
}

- (NSData *)peekIntoReadBuffersWithExactLength:(NSUInteger)exactLength error:(NSError **)error
{
    return [self vzsimRead:exactLength consume:NO what:@"peek" error:error];
}

- (NSData *)readBytesWithExactLength:(NSUInteger)exactLength error:(NSError **)error
{
    return [self vzsimRead:exactLength consume:YES what:@"read" error:error];
}

- (BOOL)readBytesIntoBuffer:(void *)buffer exactLength:(NSUInteger)exactLength error:(NSError **)error
{
    NSData *data;
    if (buffer == NULL && exactLength > 0)
        vzsim_raise_invalid_argument(@"-[VZVirtioQueueElement readBytesIntoBuffer:exactLength:error:]: buffer is NULL");
    data = [self vzsimRead:exactLength consume:YES what:@"read" error:error];
    if (data == nil)
        return NO;
    memcpy(buffer, [data bytes], exactLength);
    return YES;
}

- (BOOL)writeBuffer:(void *)buffer exactLength:(NSUInteger)exactLength error:(NSError **)error
{
    NSUInteger available;
    BOOL ok;
    if (buffer == NULL && exactLength > 0)
        vzsim_raise_invalid_argument(@"-[VZVirtioQueueElement writeBuffer:exactLength:error:]: buffer is NULL");
    pthread_mutex_lock(&vzsim_virtio_lock);
    available = VZSIM_VIRTIO_WRITE_CAPACITY - [_written length];
    ok = exactLength <= available;
    if (ok)
        [_written appendBytes:buffer length:exactLength];
    pthread_mutex_unlock(&vzsim_virtio_lock);
    if (!ok)
        vzsim_set_error(error, vzsim_element_error(@"write", exactLength, available));
    return ok;
}

- (BOOL)writeData:(NSData *)data error:(NSError **)error
{
    if (data == nil)
        vzsim_raise_invalid_argument(@"-[VZVirtioQueueElement writeData:error:]: data must not be nil");
    return [self writeBuffer:(void *)[data bytes] exactLength:[data length] error:error];
}

/* The guest takes the used buffer back and shows what the device wrote. */
- (void)returnToQueue
{
    BOOL again;
    VZCustomVirtioDevice *device;
    NSData *written;

    pthread_mutex_lock(&vzsim_virtio_lock);
    again = _returned;
    _returned = YES;
    device = [_queue->_device retain];
    written = [_written copy];
    pthread_mutex_unlock(&vzsim_virtio_lock);
    if (again) {
        [device release];
        [written release];
        [NSException raise:NSInternalInconsistencyException
                    format:@"-[VZVirtioQueueElement returnToQueue]: the element was already returned"];
    }
    if (device != nil)
        vzsim_virtio_console(device,
                             [NSString stringWithFormat:@"virtio-custom %u queue %u: ",
                                                        (unsigned)[device->_configuration deviceID],
                                                        (unsigned)_queue->_queueIndex],
                             written);
    [device release];
    [written release];
}

@end

/* ---- queues --------------------------------------------------------------------------- */

@implementation VZVirtioQueue

VZSIM_UNAVAILABLE_INIT

- (id)vzsimInitWithDevice:(VZCustomVirtioDevice *)device index:(uint16_t)index
{
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        _device = device;
        _queueIndex = index;
        _available = [[NSMutableArray alloc] init];
    }
    return self;
}

- (void)dealloc
{
    [_available release];
    [super dealloc];
}

- (uint16_t)queueIndex
{
    return _queueIndex;
}

- (uint16_t)queueSize
{
    return VZSIM_VIRTQUEUE_SIZE;
}

/* nil when nothing is available, or when the queue is no longer live. */
- (VZVirtioQueueElement *)nextElement
{
    VZVirtioQueueElement *element = nil;
    pthread_mutex_lock(&vzsim_virtio_lock);
    if (_device != nil && [_device->_queues indexOfObjectIdenticalTo:self] != NSNotFound && [_available count] > 0) {
        element = [[_available objectAtIndex:0] retain];
        [_available removeObjectAtIndex:0];
    }
    pthread_mutex_unlock(&vzsim_virtio_lock);
    return [element autorelease];
}

@end
