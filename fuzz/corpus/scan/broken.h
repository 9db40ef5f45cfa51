@interface A : NSObject
- (void)x:(int)a y:(int (*)(int))b;
@property (nonatomic) struct { int a; } s;
#if 0
@end
