// A closing brace at the top level.
typedef int VZWidgetID;
}
