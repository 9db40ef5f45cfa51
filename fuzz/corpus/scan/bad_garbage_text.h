// Prose where declarations belong.

This is not an Objective-C header at all
