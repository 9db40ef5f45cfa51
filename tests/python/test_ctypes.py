# SPDX-License-Identifier: Apache-2.0
"""libcvz from another language: Python's ctypes, nothing but the C ABI.

Run with the simulated host at macOS 11.0 (the Makefile's check-python does):
    CVZ_LIB=build/libcvz.so.1 CVZ_SIM_MACOS_VERSION=11.0 python3 tests/python/test_ctypes.py
"""
import ctypes
import os
import unittest

lib = ctypes.CDLL(os.environ.get("CVZ_LIB", "build/libcvz.so.1"))

ErrorPtr = ctypes.c_void_p
lib.cvz_version.restype = ctypes.c_char_p
lib.cvz_error_message.restype = ctypes.c_char_p
lib.cvz_error_message.argtypes = [ErrorPtr]
lib.cvz_error_status.argtypes = [ErrorPtr]
lib.cvz_error_failure_reason.restype = ctypes.c_char_p
lib.cvz_error_failure_reason.argtypes = [ErrorPtr]
lib.cvz_error_ns_code.restype = ctypes.c_long
lib.cvz_error_ns_code.argtypes = [ErrorPtr]
lib.cvz_error_free.argtypes = [ErrorPtr]
lib.cvz_api_available.restype = ctypes.c_bool
lib.cvz_api_available.argtypes = [ctypes.c_char_p, ctypes.POINTER(ErrorPtr)]
lib.cvz_api_count.restype = ctypes.c_size_t
lib.cvz_api_name.restype = ctypes.c_char_p
lib.cvz_api_name.argtypes = [ctypes.c_size_t]
lib.cvz_host_macos_version.restype = ctypes.c_int
lib.cvz_release.argtypes = [ctypes.c_void_p]

lib.cvz_virtual_machine_configuration_new.restype = ctypes.c_void_p
lib.cvz_virtual_machine_configuration_new.argtypes = [ctypes.POINTER(ErrorPtr)]
lib.cvz_virtual_machine_configuration_set_cpu_count.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.POINTER(ErrorPtr)]
lib.cvz_virtual_machine_configuration_cpu_count.restype = ctypes.c_uint64
lib.cvz_virtual_machine_configuration_cpu_count.argtypes = [ctypes.c_void_p, ctypes.POINTER(ErrorPtr)]
lib.cvz_virtual_machine_configuration_set_memory_size.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.POINTER(ErrorPtr)]
lib.cvz_virtual_machine_configuration_validate.argtypes = [ctypes.c_void_p, ctypes.POINTER(ErrorPtr)]

CVZ_E_OS_TOO_OLD = -3
CVZ_E_FRAMEWORK = -7
CVZ_ERROR_INVALID_VIRTUAL_MACHINE_CONFIGURATION = 2


class CtypesConsumer(unittest.TestCase):
    def take_error(self, error):
        self.assertTrue(error.value, "an error was expected")
        result = (lib.cvz_error_status(error), lib.cvz_error_message(error).decode(),
                  lib.cvz_error_failure_reason(error).decode(), lib.cvz_error_ns_code(error))
        lib.cvz_error_free(error)
        return result

    def test_version_and_host(self):
        self.assertRegex(lib.cvz_version().decode(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(lib.cvz_host_macos_version(), 1100)

    def test_availability_questions(self):
        names = [lib.cvz_api_name(i).decode() for i in range(lib.cvz_api_count())]
        self.assertIn("VZVirtualMachine", names)
        self.assertIn("-[VZVirtualMachine stopWithCompletionHandler:]", names)
        self.assertIsNone(lib.cvz_api_name(len(names)))
        why = ErrorPtr()
        self.assertTrue(lib.cvz_api_available(b"VZVirtualMachine", ctypes.byref(why)))
        self.assertFalse(why.value)
        self.assertFalse(lib.cvz_api_available(b"-[VZVirtualMachine stopWithCompletionHandler:]", ctypes.byref(why)))
        status, message, _, _ = self.take_error(why)
        self.assertEqual(status, CVZ_E_OS_TOO_OLD)
        self.assertEqual(message, "-[VZVirtualMachine stopWithCompletionHandler:] requires macOS 12.0; "
                                  "this host runs 11.0")
        why = ErrorPtr()
        self.assertFalse(lib.cvz_api_available(b"VZNoSuchThing", ctypes.byref(why)))
        self.assertIn("'VZNoSuchThing' is not an API", self.take_error(why)[1])

    def test_configuration(self):
        error = ErrorPtr()
        config = lib.cvz_virtual_machine_configuration_new(ctypes.byref(error))
        self.assertTrue(config)
        self.assertEqual(lib.cvz_virtual_machine_configuration_set_cpu_count(config, 2, ctypes.byref(error)), 0)
        self.assertEqual(lib.cvz_virtual_machine_configuration_cpu_count(config, ctypes.byref(error)), 2)
        lib.cvz_virtual_machine_configuration_set_memory_size(config, 512 << 20, ctypes.byref(error))
        self.assertFalse(error.value)
        self.assertEqual(lib.cvz_virtual_machine_configuration_validate(config, ctypes.byref(error)), CVZ_E_FRAMEWORK)
        status, message, reason, code = self.take_error(error)
        self.assertEqual(code, CVZ_ERROR_INVALID_VIRTUAL_MACHINE_CONFIGURATION)
        self.assertIn("boot loader", reason)
        self.assertIn("validateWithError:", message)
        lib.cvz_release(config)


if __name__ == "__main__":
    unittest.main()
