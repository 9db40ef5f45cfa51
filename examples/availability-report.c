/*
 * availability-report.c - prints, for every class and member libcvz knows,
 * whether it can be used on this host and, if not, why.
 *
 * usage: availability-report [NAME...]   (no NAME: everything)
 * Exit status: 0 when every named API is available, 1 otherwise.
 */
#include <cvz/cvz.h>

#include <stdio.h>

static int report(const char *name)
{
    cvz_error *why = NULL;
    int introduced = cvz_api_introduced(name);
    if (cvz_api_available(name, &why)) {
        printf("  yes  %-70s macOS %d.%d\n", name, introduced / 100, introduced % 100);
        return 0;
    }
    printf("  no   %-70s %s: %s\n", name, cvz_status_name(cvz_error_status(why)), cvz_error_message(why));
    cvz_error_free(why);
    return 1;
}

int main(int argc, char **argv)
{
    int host = cvz_host_macos_version();
    printf("libcvz %s on macOS %d.%d (%s)\n", cvz_version(), host / 100, host % 100, cvz_host_arch());
    int unavailable = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            unavailable += report(argv[i]);
    } else {
        for (size_t i = 0; i < cvz_api_count(); i++)
            unavailable += report(cvz_api_name(i));
        printf("%zu APIs, %d unavailable here\n", cvz_api_count(), unavailable);
    }
    return unavailable ? 1 : 0;
}
