/*
 * test_conversions.c - the conversions of the constructs that came last to the
 * generator, through libcvz against the simulated framework: NSDictionary
 * arguments and results (VZMultipleDirectoryShare), BOOL * out-parameters
 * (VZEFIVariableStore), arrays of protocol objects and properties of
 * framework-implemented protocols (USB), NSArray<NSData *> results and NSData
 * in delegate methods (custom virtio devices).  Each test checks the host's
 * version first: below it, the call must fail with the availability reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

/* Two directories to share, made under the scratch directory. */
static char share_a[160], share_b[160];

static int setup(void **state)
{
    setup_files(state);
    snprintf(share_a, sizeof share_a, "%s/share-a", dir);
    snprintf(share_b, sizeof share_b, "%s/share-b", dir);
    mkdir(share_a, 0700);
    mkdir(share_b, 0700);
    return 0;
}

static int teardown(void **state)
{
    rmdir(share_a);
    rmdir(share_b);
    return teardown_files(state);
}

/* ---- NSDictionary<NSString *, VZSharedDirectory *> ------------------------------------------- */

static void test_dictionary_round_trip(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_shared_directory *a = cvz_shared_directory_new_with_url_read_only(share_a, false, &e);
    if (host() < 1200) {
        assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 12.0");
        return;
    }
    assert_ok(e);
    cvz_shared_directory *b = cvz_shared_directory_new_with_url_read_only(share_b, true, &e);
    assert_ok(e);
    /* Given out of order: the result comes back sorted by name. */
    const char *names[] = {"zeta", "alpha"};
    cvz_shared_directory *dirs[] = {a, b};
    cvz_multiple_directory_share *share = cvz_multiple_directory_share_new_with_directories(names, dirs, 2, &e);
    assert_ok(e);
    assert_non_null(share);

    char **keys = NULL;
    size_t count = 0;
    cvz_shared_directory **got = cvz_multiple_directory_share_directories(share, &keys, &count, &e);
    assert_ok(e);
    assert_int_equal(count, 2);
    assert_string_equal(keys[0], "alpha");
    assert_string_equal(keys[1], "zeta");
    char *path = cvz_shared_directory_url(got[0], &e);
    assert_string_equal(path, share_b);
    cvz_free(path);
    assert_true(cvz_shared_directory_read_only(got[0], NULL));
    path = cvz_shared_directory_url(got[1], &e);
    assert_string_equal(path, share_a);
    cvz_free(path);
    assert_false(cvz_shared_directory_read_only(got[1], NULL));
    cvz_string_array_free(keys, count);
    cvz_handle_array_free(got, count);

    /* An empty dictionary is a dictionary too. */
    cvz_multiple_directory_share *empty = cvz_multiple_directory_share_new_with_directories(NULL, NULL, 0, &e);
    assert_ok(e);
    got = cvz_multiple_directory_share_directories(empty, &keys, &count, &e);
    assert_ok(e);
    assert_int_equal(count, 0);
    cvz_string_array_free(keys, count);
    cvz_handle_array_free(got, count);

    cvz_release(empty);
    cvz_release(share);
    cvz_release(a);
    cvz_release(b);
}

static void test_dictionary_bad_input(void **state)
{
    (void)state;
    if (host() < 1200)
        return; /* availability comes first: covered above */
    cvz_error *e = NULL;
    cvz_shared_directory *a = cvz_shared_directory_new_with_url_read_only(share_a, false, &e);
    assert_ok(e);
    cvz_shared_directory *dirs[] = {a, a};

    const char *twice[] = {"same", "same"};
    assert_null(cvz_multiple_directory_share_new_with_directories(twice, dirs, 2, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "directories_keys[1] (\"same\") repeats directories_keys[0]");

    assert_null(cvz_multiple_directory_share_new_with_directories(NULL, dirs, 2, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "directories_keys is NULL but directories_count is 2");

    const char *names[] = {"one", "two"};
    assert_null(cvz_multiple_directory_share_new_with_directories(names, NULL, 2, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "directories is NULL but directories_count is 2");

    const char *unnamed[] = {"one", NULL};
    assert_null(cvz_multiple_directory_share_new_with_directories(unnamed, dirs, 2, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "directories_keys[1] is NULL");

    const char *not_utf8[] = {"one", "\xff\xfe"};
    assert_null(cvz_multiple_directory_share_new_with_directories(not_utf8, dirs, 2, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "directories_keys[1] is not valid UTF-8");

    /* A value of the wrong class is caught before the framework sees it. */
    cvz_mac_address *mac = cvz_mac_address_random_locally_administered_address(&e);
    assert_ok(e);
    cvz_shared_directory *wrong[] = {a, (cvz_shared_directory *)mac};
    assert_null(cvz_multiple_directory_share_new_with_directories(names, wrong, 2, &e));
    assert_failed(e, CVZ_E_WRONG_HANDLE, "directories[1] is a VZMACAddress, not a VZSharedDirectory");

    /* The result's out-parameters are required. */
    size_t count = 0;
    char **keys = NULL;
    cvz_multiple_directory_share *share = cvz_multiple_directory_share_new_with_directories(names, dirs, 1, &e);
    assert_ok(e);
    assert_null(cvz_multiple_directory_share_directories(share, NULL, &count, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "keys is NULL");
    assert_null(cvz_multiple_directory_share_directories(share, &keys, NULL, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "count is NULL");

    cvz_release(share);
    cvz_release(mac);
    cvz_release(a);
}

/* ---- BOOL * out-parameters ---------------------------------------------------------------------- */

static void test_bool_out_parameter(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    char path[160];
    snprintf(path, sizeof path, "%s/efi-vars", dir);
    remove(path);
    cvz_efi_variable_store *store = cvz_efi_variable_store_new_creating_variable_store_at_url_options(path, 0, &e);
    if (host() < 1300) {
        assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 13.0");
        return;
    }
    assert_ok(e);
    bool enabled = true;
    int rc = cvz_efi_variable_store_get_secure_boot_enabled(store, &enabled, &e);
    if (host() < 2700) {
        assert_int_equal(rc, CVZ_E_OS_TOO_OLD);
        assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 27.0");
        assert_true(enabled); /* untouched on failure */
        cvz_release(store);
        return;
    }
    assert_int_equal(rc, 0);
    assert_ok(e);
    assert_false(enabled); /* a new store has no secure-boot keys */

    assert_int_equal(cvz_efi_variable_store_enroll_default_secure_boot_signatures(store, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_efi_variable_store_get_secure_boot_enabled(store, &enabled, &e), 0);
    assert_ok(e);
    assert_true(enabled);

    /* The answer has nowhere to go: refused before the framework is asked. */
    assert_int_equal(cvz_efi_variable_store_get_secure_boot_enabled(store, NULL, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "cvz_efi_variable_store_get_secure_boot_enabled: enabled is NULL");
    cvz_release(store);
    remove(path);
}

/* ---- arrays of id<VZUSBDeviceConfiguration>, and the protocol's uuid property ------------------- */

static cvz_usb_mass_storage_device_configuration *usb_disk(const char *path)
{
    cvz_error *e = NULL;
    cvz_disk_image_storage_device_attachment *image =
        cvz_disk_image_storage_device_attachment_new_with_url_read_only(path, false, &e);
    assert_ok(e);
    cvz_usb_mass_storage_device_configuration *usb = cvz_usb_mass_storage_device_configuration_new_with_attachment(
        cvz_disk_image_storage_device_attachment_as_storage_device_attachment(image), &e);
    assert_ok(e);
    cvz_release(image);
    return usb;
}

static void test_protocol_array_and_properties(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_xhci_controller_configuration *xhci = cvz_xhci_controller_configuration_new(&e);
    if (host() < 1500) {
        assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 15.0");
        return;
    }
    assert_ok(e);
    cvz_usb_mass_storage_device_configuration *one = usb_disk(disk), *two = usb_disk(readonly_disk);
    struct cvz_usb_device_configuration *as_device_one = (struct cvz_usb_device_configuration *)one;

    /* uuid: a protocol's property, called on a conforming class's handle. */
    char *uuid = cvz_usb_device_configuration_uuid(as_device_one, &e);
    assert_ok(e);
    assert_int_equal(strlen(uuid), 36);
    cvz_free(uuid);
    const char *chosen = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F";
    assert_int_equal(cvz_usb_device_configuration_set_uuid(as_device_one, chosen, &e), 0);
    assert_ok(e);
    uuid = cvz_usb_device_configuration_uuid(as_device_one, &e);
    assert_string_equal(uuid, chosen);
    cvz_free(uuid);
    assert_int_equal(cvz_usb_device_configuration_set_uuid(as_device_one, "not-a-uuid", &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "(\"not-a-uuid\") is not a UUID");

    /* The receiver must conform. */
    cvz_mac_address *mac = cvz_mac_address_random_locally_administered_address(&e);
    assert_null(cvz_usb_device_configuration_uuid((struct cvz_usb_device_configuration *)mac, &e));
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a VZMACAddress, which does not conform to VZUSBDeviceConfiguration");
    assert_null(cvz_usb_device_configuration_uuid(NULL, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "self");

    /* An array of id<VZUSBDeviceConfiguration>, both ways. */
    struct cvz_usb_device_configuration *devices[] = {as_device_one, (struct cvz_usb_device_configuration *)two};
    cvz_usb_controller_configuration *controller = cvz_xhci_controller_configuration_as_usb_controller_configuration(xhci);
    assert_int_equal(cvz_usb_controller_configuration_set_usb_devices(controller, devices, 2, &e), 0);
    assert_ok(e);
    size_t count = 0;
    struct cvz_usb_device_configuration **got = cvz_usb_controller_configuration_usb_devices(controller, &count, &e);
    assert_ok(e);
    assert_int_equal(count, 2);
    uuid = cvz_usb_device_configuration_uuid(got[0], &e);
    assert_string_equal(uuid, chosen);
    cvz_free(uuid);
    cvz_handle_array_free(got, count);

    struct cvz_usb_device_configuration *wrong[] = {as_device_one, (struct cvz_usb_device_configuration *)mac};
    assert_int_equal(cvz_usb_controller_configuration_set_usb_devices(controller, wrong, 2, &e), CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "usb_devices[1] is a VZMACAddress, which does not conform to VZUSBDeviceConfiguration");
    assert_int_equal(cvz_usb_controller_configuration_set_usb_devices(controller, NULL, 1, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "usb_devices is NULL but usb_devices_count is 1");
    /* Nothing was half-set: the two devices are still there. */
    got = cvz_usb_controller_configuration_usb_devices(controller, &count, &e);
    assert_ok(e);
    assert_int_equal(count, 2);
    cvz_handle_array_free(got, count);

    cvz_release(mac);
    cvz_release(one);
    cvz_release(two);
    cvz_release(xhci);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dictionary_round_trip),
        cmocka_unit_test(test_dictionary_bad_input),
        cmocka_unit_test(test_bool_out_parameter),
        cmocka_unit_test(test_protocol_array_and_properties),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
