/*!
 @abstract A long doc comment, so that the error's line number
 proves comments are counted.
 @discussion
    One more line.
*/
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)spin; // fine
#pragma mark - more
/* a block comment */ @property (readonly) NSInteger;
@end
