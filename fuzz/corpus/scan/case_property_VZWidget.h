// Every @property attribute, block-typed and multi-line properties.
#import <Foundation/Foundation.h>

@protocol VZWidgetDelegate;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject

@property NSInteger plain;
@property (readonly) BOOL ready;
@property (readwrite, nonatomic) uint64_t size;
@property (atomic, copy) NSString *name;
@property (strong) NSURL *location;
@property (weak, nullable) id <VZWidgetDelegate> delegate;
@property (assign) double ratio;
@property (retain) NSData *payload;
@property (unsafe_unretained) id owner;
@property (class, readonly) NSUInteger count;
@property (readonly, getter=isEnabled) BOOL enabled;
@property (getter=isVisible, setter=setVisibleState:) BOOL visible;
@property (nonnull, copy) NSString *label;
@property (null_resettable, copy) NSString *title;
@property (copy) void (^handler)(NSError * _Nullable error);
@property (readonly,
           copy) NSArray<NSString *>
    *tags;

@end
