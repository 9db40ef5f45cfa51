//
//  VZWidget.h  -- @interface VZFake : NSObject in a line comment is not a class
//

/*!
 @abstract A doc comment.
 @discussion Mentions @interface VZNotAClass and @end, even a typedef NS_ENUM(NSInteger, VZNope) { }.
*/
#import <Foundation/Foundation.h> // trailing comment

/**
 Another doc comment style.
 */
VZ_EXPORT API_AVAILABLE(macos(11.0)) /* between macro and keyword */
@interface VZWidget : NSObject
/// A triple-slash doc comment.
- (void)spin; // after the declaration
- (NSString /* inside a type */ *)name;
- (void)old API_DEPRECATED_WITH_REPLACEMENT("-spin /* not a comment */", macos(11.0, 12.0));
/* a block comment
   over several lines
   @end */
- (void)afterComments;
@end
#if defined(__arm64__) /* a comment
                          over two lines of a directive */
VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZArmWidget : VZWidget
@end
#endif // VZWidget.h
