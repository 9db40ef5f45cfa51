#if 0
