// Not a preprocessor directive.
#frobnicate VZWidget
