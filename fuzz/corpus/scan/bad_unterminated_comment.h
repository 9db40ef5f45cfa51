// A block comment that never closes.
typedef int VZWidgetID;
/* starts here
   and runs off the end
