/*
 * vz_config_interim.m - INTERIM storage for VZVirtualMachineConfiguration's
 * socketDevices and memoryBalloonDevices (macOS 11.0), until the
 * configuration side of the sim (sim/vz11_config.m) stores them itself.
 *
 * Inert once it does: the accessors are added with class_addMethod only
 * when the class has none of its own (the skeleton's do-nothing stubs come
 * later, for what is still missing).  The arrays live in a side table keyed
 * by the configuration, emptied by the configuration's -dealloc.  Not
 * copied by -copy: a VZVirtualMachine reads them from the configuration it
 * is given (vzsim_vm_devices_init), at the moment Apple copies it.
 */
#import "sim_internal.h"

#include <objc/runtime.h>

static NSMapTable *vzsim_interim_table; /* configuration (not retained) -> NSMutableDictionary */
static pthread_mutex_t vzsim_interim_lock = PTHREAD_MUTEX_INITIALIZER;
static IMP vzsim_interim_dealloc_next;

static NSArray *vzsim_interim_get(id self, NSString *key)
{
    NSArray *value;
    pthread_mutex_lock(&vzsim_interim_lock);
    value = [[[(NSDictionary *)NSMapGet(vzsim_interim_table, self) objectForKey:key] retain] autorelease];
    pthread_mutex_unlock(&vzsim_interim_lock);
    return value != nil ? value : [NSArray array];
}

static void vzsim_interim_set(id self, SEL cmd, NSString *key, NSArray *value)
{
    NSArray *copy;
    NSMutableDictionary *entry;

    if (value == nil)
        vzsim_raise_invalid_argument(@"-[VZVirtualMachineConfiguration %@]: the array must not be nil",
                                     NSStringFromSelector(cmd));
    copy = [value copy];
    pthread_mutex_lock(&vzsim_interim_lock);
    entry = NSMapGet(vzsim_interim_table, self);
    if (entry == nil) {
        entry = [[NSMutableDictionary alloc] init];
        NSMapInsert(vzsim_interim_table, self, entry);
        [entry release]; /* the table retains its values */
    }
    [entry setObject:copy forKey:key];
    pthread_mutex_unlock(&vzsim_interim_lock);
    [copy release];
}

static NSArray *vzsim_interim_socket_devices(id self, SEL cmd)
{
    (void)cmd;
    return vzsim_interim_get(self, @"socketDevices");
}

static void vzsim_interim_set_socket_devices(id self, SEL cmd, NSArray *value)
{
    vzsim_interim_set(self, cmd, @"socketDevices", value);
}

static NSArray *vzsim_interim_balloon_devices(id self, SEL cmd)
{
    (void)cmd;
    return vzsim_interim_get(self, @"memoryBalloonDevices");
}

static void vzsim_interim_set_balloon_devices(id self, SEL cmd, NSArray *value)
{
    vzsim_interim_set(self, cmd, @"memoryBalloonDevices", value);
}

static void vzsim_interim_dealloc(id self, SEL cmd)
{
    id entry;
    pthread_mutex_lock(&vzsim_interim_lock);
    entry = [(id)NSMapGet(vzsim_interim_table, self) retain];
    NSMapRemove(vzsim_interim_table, self);
    pthread_mutex_unlock(&vzsim_interim_lock);
    [entry release];
    ((void (*)(id, SEL))(void (*)(void))vzsim_interim_dealloc_next)(self, cmd);
}

@implementation VZVirtualMachineConfiguration (VZSimInterimDevices)

/* Runs once the class itself is loaded (GNU runtime: a category's +load
 * follows its class's). */
+ (void)load
{
    Class cls = self;
    Method dealloc;

    if (class_getInstanceMethod(cls, @selector(socketDevices)) != NULL)
        return; /* the configuration side stores them now */
    vzsim_interim_table = NSCreateMapTable(NSNonOwnedPointerMapKeyCallBacks, NSObjectMapValueCallBacks, 8);
    class_addMethod(cls, @selector(socketDevices), (IMP)(void (*)(void))vzsim_interim_socket_devices, "@@:");
    class_addMethod(cls, @selector(setSocketDevices:), (IMP)(void (*)(void))vzsim_interim_set_socket_devices, "v@:@");
    class_addMethod(cls, @selector(memoryBalloonDevices), (IMP)(void (*)(void))vzsim_interim_balloon_devices, "@@:");
    class_addMethod(cls, @selector(setMemoryBalloonDevices:), (IMP)(void (*)(void))vzsim_interim_set_balloon_devices, "v@:@");
    /* Chain -dealloc: the class's own (replaced in place) or the inherited one (overridden). */
    dealloc = class_getInstanceMethod(cls, @selector(dealloc));
    if (dealloc == class_getInstanceMethod(class_getSuperclass(cls), @selector(dealloc))) {
        vzsim_interim_dealloc_next = method_getImplementation(dealloc);
        class_addMethod(cls, @selector(dealloc), (IMP)(void (*)(void))vzsim_interim_dealloc, method_getTypeEncoding(dealloc));
    } else {
        vzsim_interim_dealloc_next = method_setImplementation(dealloc, (IMP)(void (*)(void))vzsim_interim_dealloc);
    }
}

@end
