/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_conversions.c - the conversions of the constructs that came last to the
 * generator, through libcvz against the simulated framework: NSDictionary
 * arguments and results (VZMultipleDirectoryShare), BOOL * out-parameters
 * (VZEFIVariableStore), arrays of protocol objects and properties of
 * framework-implemented protocols (USB), NSArray<NSData *> results and NSData
 * in delegate methods (custom virtio devices).  Each test checks the host's
 * version first: below it, the call must fail with the availability reason.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
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
    assert_int_equal(cvz_efi_variable_store_enable_secure_boot_using_default_platform_key(store, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_efi_variable_store_get_secure_boot_enabled(store, &enabled, &e), 0);
    assert_ok(e);
    assert_true(enabled);
    /* The answer is the store's, read again from the file. */
    cvz_efi_variable_store *again = cvz_efi_variable_store_new_with_url(path, &e);
    assert_ok(e);
    enabled = false;
    assert_int_equal(cvz_efi_variable_store_get_secure_boot_enabled(again, &enabled, &e), 0);
    assert_true(enabled);
    assert_int_equal(cvz_efi_variable_store_disable_secure_boot(again, &e), 0);
    assert_int_equal(cvz_efi_variable_store_get_secure_boot_enabled(again, &enabled, &e), 0);
    assert_ok(e);
    assert_false(enabled);
    cvz_release(again);

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

/* At run time: the controller's devices (NSArray<id<VZUSBDevice>>) and their protocol properties. */
static void test_usb_devices_at_run_time(void **state)
{
    (void)state;
    if (host() < 1500)
        return; /* the configuration classes are refused first: covered above */
    cvz_error *e = NULL;
    struct config c;
    make_config(&c);
    cvz_xhci_controller_configuration *xhci = cvz_xhci_controller_configuration_new(&e);
    cvz_usb_mass_storage_device_configuration *one = usb_disk(readonly_disk);
    const char *chosen = "0A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9";
    cvz_usb_device_configuration_set_uuid((struct cvz_usb_device_configuration *)one, chosen, &e);
    struct cvz_usb_device_configuration *devices[] = {(struct cvz_usb_device_configuration *)one};
    cvz_usb_controller_configuration *controller = cvz_xhci_controller_configuration_as_usb_controller_configuration(xhci);
    cvz_usb_controller_configuration_set_usb_devices(controller, devices, 1, &e);
    cvz_virtual_machine_configuration_set_usb_controllers(c.config, &controller, 1, &e);
    assert_ok(e);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_ok(e);

    size_t controller_count = 0, device_count = 0;
    cvz_usb_controller **controllers = cvz_virtual_machine_usb_controllers(vm, &controller_count, &e);
    assert_ok(e);
    assert_int_equal(controller_count, 1);
    struct cvz_usb_device **attached = cvz_usb_controller_usb_devices(controllers[0], &device_count, &e);
    assert_ok(e);
    assert_int_equal(device_count, 1);
    char *uuid = cvz_usb_device_uuid(attached[0], &e);
    assert_ok(e);
    assert_string_equal(uuid, chosen);
    cvz_free(uuid);
    /* The weak back-reference: the same controller, seen through the device. */
    cvz_usb_controller *owner = cvz_usb_device_usb_controller(attached[0], &e);
    assert_ok(e);
    assert_non_null(owner);
    size_t again = 0;
    struct cvz_usb_device **through_owner = cvz_usb_controller_usb_devices(owner, &again, &e);
    assert_int_equal(again, 1);
    cvz_handle_array_free(through_owner, again);
    cvz_release(owner);
    /* A configuration handle is not a running device: it does not conform to VZUSBDevice. */
    assert_null(cvz_usb_device_uuid((struct cvz_usb_device *)one, &e));
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a VZUSBMassStorageDeviceConfiguration, which does not conform to VZUSBDevice");

    cvz_handle_array_free(attached, device_count);
    cvz_handle_array_free(controllers, controller_count);
    cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, NULL);
    cvz_release(vm);
    cvz_release(one);
    cvz_release(xhci);
    free_config(&c);
}

/* ---- custom virtio devices: NSArray<NSData *> results and NSData in delegate methods ---------- */

/* What the device's C delegate saw, filled on the device queue, read by the test. */
struct virtio_guest {
    pthread_mutex_t lock;
    char requests[4][64]; /* each element's read buffers, joined */
    size_t buffer_counts[4];
    int request_count;
    struct cvz_custom_virtio_device_delegate *device_delegate;
    char restored[64]; /* the state handed to should-restore */
    bool allow_restore;
};

static void on_notification(cvz_custom_virtio_device *device, cvz_virtio_queue *queue, void *context)
{
    struct virtio_guest *g = context;
    cvz_error *e = NULL;
    (void)device;
    cvz_virtio_queue_element *element;
    while ((element = cvz_virtio_queue_next_element(queue, &e)) != NULL) {
        size_t count = 0;
        cvz_bytes *buffers = cvz_virtio_queue_element_read_buffers(element, &count, &e);
        pthread_mutex_lock(&g->lock);
        if (buffers && g->request_count < 4) {
            char *joined = g->requests[g->request_count];
            for (size_t i = 0; i < count; i++)
                strncat(joined, buffers[i].data, buffers[i].length < 63 - strlen(joined) ? buffers[i].length
                                                                                           : 63 - strlen(joined));
            g->buffer_counts[g->request_count++] = count;
        }
        pthread_mutex_unlock(&g->lock);
        cvz_bytes_array_free(buffers, count);
        cvz_virtio_queue_element_write_data(element, "ok", 2, NULL);
        cvz_virtio_queue_element_return_to_queue(element, NULL);
        cvz_release(element);
    }
    cvz_error_free(e);
}

static void *on_save(cvz_custom_virtio_device *device, size_t *length, void *context)
{
    (void)device;
    (void)context;
    *length = 8;
    return strdup("state-42"); /* malloc'ed: libcvz copies and frees it */
}

static bool on_should_restore(cvz_custom_virtio_device *device, const void *state, size_t length, void *context)
{
    struct virtio_guest *g = context;
    (void)device;
    pthread_mutex_lock(&g->lock);
    memcpy(g->restored, state, length < 63 ? length : 63);
    bool allow = g->allow_restore;
    pthread_mutex_unlock(&g->lock);
    return allow;
}

static void on_device_created(cvz_custom_virtio_device_configuration *configuration, cvz_custom_virtio_device *device,
                              void *context)
{
    struct virtio_guest *g = context;
    (void)configuration;
    cvz_error *e = NULL;
    /* The framework holds its delegate weakly: the test keeps this handle alive. */
    if (cvz_custom_virtio_device_set_delegate(device, g->device_delegate, &e) != 0) {
        print_error("set_delegate: %s\n", cvz_error_message(e));
        cvz_error_free(e);
    }
}

struct virtio_vm {
    struct config base;
    struct cvz_custom_virtio_device_configuration_delegate *config_delegate;
    cvz_custom_virtio_device_delegate_provider *provider;
    cvz_custom_virtio_device_configuration *device;
    cvz_virtual_machine *vm;
};

static void make_virtio_vm(struct virtio_vm *v, struct virtio_guest *g)
{
    cvz_error *e = NULL;
    make_config(&v->base);
    struct cvz_custom_virtio_device_delegate_callbacks device_cb = {
        .size = sizeof device_cb,
        .custom_virtio_device_did_receive_notification_for_queue = on_notification,
        .custom_virtio_device_save_state_for_restore = on_save,
        .custom_virtio_device_should_restore_save_state = on_should_restore,
    };
    g->device_delegate = cvz_custom_virtio_device_delegate_new(&device_cb, g, NULL, &e);
    assert_ok(e);
    struct cvz_custom_virtio_device_configuration_delegate_callbacks config_cb = {
        .size = sizeof config_cb,
        .custom_virtio_configuration_did_create_device = on_device_created,
    };
    v->config_delegate = cvz_custom_virtio_device_configuration_delegate_new(&config_cb, g, NULL, &e);
    assert_ok(e);
    v->provider = cvz_custom_virtio_device_delegate_provider_new_with_delegate(v->config_delegate, &e);
    assert_ok(e);
    v->device = cvz_custom_virtio_device_configuration_new(&e);
    assert_ok(e);
    cvz_custom_virtio_device_configuration_set_device_id(v->device, 42, &e);
    cvz_custom_virtio_device_configuration_set_virtio_queue_count(v->device, 1, &e);
    cvz_custom_virtio_device_configuration_set_supports_save_restore(v->device, true, &e);
    cvz_custom_virtio_device_configuration_set_provider(
        v->device, cvz_custom_virtio_device_delegate_provider_as_custom_virtio_device_provider(v->provider), &e);
    cvz_custom_virtio_device_configuration *devices[] = {v->device};
    cvz_virtual_machine_configuration_set_custom_virtio_devices(v->base.config, devices, 1, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_configuration_validate(v->base.config, &e), 0);
    assert_ok(e);
    v->vm = cvz_virtual_machine_new_with_configuration(v->base.config, &e);
    assert_ok(e);
}

static void free_virtio_vm(struct virtio_vm *v)
{
    cvz_release(v->vm);
    cvz_release(v->device);
    cvz_release(v->provider);
    cvz_release(v->config_delegate);
    free_config(&v->base);
}

static int requests_seen(struct virtio_guest *g)
{
    pthread_mutex_lock(&g->lock);
    int n = g->request_count;
    pthread_mutex_unlock(&g->lock);
    return n;
}

static void test_custom_virtio_device(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    if (host() < 2700) {
        assert_null(cvz_custom_virtio_device_configuration_new(&e));
        assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 27.0");
        return;
    }
    struct virtio_guest g = {.lock = PTHREAD_MUTEX_INITIALIZER, .allow_restore = true};
    struct virtio_vm v;
    setenv("CVZ_SIM_VIRTIO_REQUESTS", "hello|world", 1);
    make_virtio_vm(&v, &g);
    assert_int_equal(cvz_virtual_machine_start_and_wait(v.vm, WAIT_MS, &e), 0);
    assert_ok(e);
    WAIT_UNTIL(requests_seen(&g) >= 2);
    assert_int_equal(requests_seen(&g), 2);
    assert_string_equal(g.requests[0], "hello");
    assert_string_equal(g.requests[1], "world");
    assert_true(g.buffer_counts[0] >= 1);

    if (strcmp(cvz_host_arch(), "arm64") == 0) {
        /* Save: the device's state comes from the C callback's malloc'ed bytes. */
        char path[160];
        snprintf(path, sizeof path, "%s/virtio.vzsave", dir);
        assert_int_equal(cvz_virtual_machine_pause_and_wait(v.vm, WAIT_MS, &e), 0);
        assert_int_equal(cvz_virtual_machine_save_machine_state_to_url_and_wait(v.vm, path, WAIT_MS, &e), 0);
        assert_ok(e);
        /* Restore: the bytes come back to the C callback, which may refuse them. */
        struct virtio_guest g2 = {.lock = PTHREAD_MUTEX_INITIALIZER, .allow_restore = true};
        struct virtio_vm v2;
        make_virtio_vm(&v2, &g2);
        assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(v2.vm, path, WAIT_MS, &e), 0);
        assert_ok(e);
        assert_string_equal(g2.restored, "state-42");
        cvz_virtual_machine_stop_and_wait(v2.vm, WAIT_MS, NULL);
        free_virtio_vm(&v2);
        cvz_release(g2.device_delegate);

        struct virtio_guest g3 = {.lock = PTHREAD_MUTEX_INITIALIZER, .allow_restore = false};
        struct virtio_vm v3;
        make_virtio_vm(&v3, &g3);
        assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(v3.vm, path, WAIT_MS, &e),
                         CVZ_E_FRAMEWORK);
        assert_failed(e, CVZ_E_FRAMEWORK, "");
        assert_string_equal(g3.restored, "state-42");
        free_virtio_vm(&v3);
        cvz_release(g3.device_delegate);
        remove(path);
    }
    cvz_virtual_machine_stop_and_wait(v.vm, WAIT_MS, NULL);
    unsetenv("CVZ_SIM_VIRTIO_REQUESTS");
    free_virtio_vm(&v);
    cvz_release(g.device_delegate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dictionary_round_trip),
        cmocka_unit_test(test_dictionary_bad_input),
        cmocka_unit_test(test_bool_out_parameter),
        cmocka_unit_test(test_protocol_array_and_properties),
        cmocka_unit_test(test_usb_devices_at_run_time),
        cmocka_unit_test(test_custom_virtio_device),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
