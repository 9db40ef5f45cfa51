/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12.0/shares.m - VZMultipleDirectoryShare (macOS 12.0, part of
 * libVirtualization-12.0.so): several host directories under one virtio
 * file system tag, each under a name.
 *
 * Apple's rule for a name (+validateName:error:): not empty, no character a
 * file system cannot hold in a name ('/' and NUL), at most NAME_MAX bytes in
 * UTF-8, and not "." or "..".  -initWithDirectories: raises
 * NSInvalidArgumentException for a name that breaks it, as Apple documents.
 */
#import "12.0/devices.h"

#include <limits.h>

/* Why `name` is not a valid directory name, or nil. */
static NSString *vzsim_name_failure(NSString *name)
{
    NSUInteger length = [name lengthOfBytesUsingEncoding:NSUTF8StringEncoding];
    if (length == 0)
        return @"The directory name is empty.";
    if ([name isEqual:@"."] || [name isEqual:@".."])
        return [NSString stringWithFormat:@"The directory name \"%@\" is reserved.", name];
    if ([name rangeOfCharacterFromSet:[NSCharacterSet characterSetWithCharactersInString:@"/"]].location != NSNotFound ||
        [name rangeOfString:[NSString stringWithFormat:@"%C", (unichar)0]].location != NSNotFound)
        return [NSString stringWithFormat:@"The directory name \"%@\" contains '/' or NUL.", name];
    if (length > NAME_MAX)
        return [NSString stringWithFormat:@"The directory name is %lu bytes long; the maximum is %d.",
                                          (unsigned long)length, NAME_MAX];
    return nil;
}

@interface VZMultipleDirectoryShare : VZDirectoryShare
{
    NSDictionary *_directories; /* NSString name -> VZSharedDirectory */
}
- (id)initWithDirectories:(NSDictionary *)directories;
@end

@implementation VZMultipleDirectoryShare

+ (BOOL)validateName:(NSString *)name error:(NSError **)error
{
    NSString *reason = name == nil ? @"The directory name is nil." : vzsim_name_failure(name);
    if (reason == nil)
        return YES;
    vzsim_set_error(error, vzsim_error(VZErrorInvalidVirtualMachineConfiguration, @"Invalid directory name.", reason));
    return NO;
}

/* '/' and NUL become '_', the name is cut to NAME_MAX bytes (on a character
 * boundary); nil when no valid name comes out (empty, "." or ".."). */
+ (NSString *)canonicalizedNameFromName:(NSString *)name
{
    NSMutableString *result;
    NSUInteger i;

    if (name == nil)
        return nil;
    result = [[name mutableCopy] autorelease];
    for (i = 0; i < [result length]; i++) {
        unichar c = [result characterAtIndex:i];
        if (c == '/' || c == 0)
            [result replaceCharactersInRange:NSMakeRange(i, 1) withString:@"_"];
    }
    while ([result lengthOfBytesUsingEncoding:NSUTF8StringEncoding] > NAME_MAX)
        [result deleteCharactersInRange:[result rangeOfComposedCharacterSequenceAtIndex:[result length] - 1]];
    return vzsim_name_failure(result) == nil ? [[result copy] autorelease] : nil;
}

- (id)init
{
    return [self initWithDirectories:[NSDictionary dictionary]];
}

- (id)initWithDirectories:(NSDictionary *)directories
{
    NSString *reason = directories == nil ? @"directories must not be nil" : nil;
    Class shared = objc_getClass("VZSharedDirectory");

    for (id name in directories) {
        if (reason != nil)
            break;
        if (![name isKindOfClass:[NSString class]])
            reason = [NSString stringWithFormat:@"the key %@ is not a string", name];
        else if (![[directories objectForKey:name] isKindOfClass:shared])
            reason = [NSString stringWithFormat:@"the directory named \"%@\" is not a VZSharedDirectory", name];
        else
            reason = vzsim_name_failure(name);
    }
    if (reason != nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZMultipleDirectoryShare initWithDirectories:]: %@", reason);
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _directories = [directories copy];
    return self;
}

- (void)dealloc
{
    [_directories release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain]; /* immutable */
}

- (NSDictionary *)directories
{
    return [[_directories copy] autorelease];
}

/* Every directory must be fine (an existing directory on the host). */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    for (NSString *name in _directories) {
        NSString *reason = [[_directories objectForKey:name] vzsimCheckInConfiguration:config];
        if (reason != nil)
            return reason;
    }
    return nil;
}

@end
