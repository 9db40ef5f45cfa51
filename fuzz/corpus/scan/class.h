//
//  VZWidget.h - a made-up header in the style of a framework header (fuzz seed).
//
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

@class VZGadget;

/*!
 @abstract A widget.
*/
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject <NSCopying>

- (instancetype)init NS_DESIGNATED_INITIALIZER;
+ (instancetype)new NS_UNAVAILABLE;
- (nullable instancetype)initWithURL:(NSURL *)url readOnly:(BOOL)readOnly error:(NSError **)error API_AVAILABLE(macos(12.0));
@property NSUInteger count;
@property (nonatomic, readonly, copy, nullable) NSString *label;
@property (class, readonly) uint64_t maximumSize;
@property (nonatomic, getter=isEnabled) BOOL enabled API_AVAILABLE(macos(13.0)) API_DEPRECATED_WITH_REPLACEMENT("active", macos(13.0, 14.0));
@property (copy) NSArray<VZGadget *> *gadgets;
- (void)startWithCompletionHandler:(void (^)(NSError * _Nullable errorOrNil))completionHandler;
- (BOOL)validateWithError:(NSError **)error;

@end

API_AVAILABLE(macos(11.0))
@interface VZGadget : NSObject
@end

NS_ASSUME_NONNULL_END
