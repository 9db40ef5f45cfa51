#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_tools.py CROSS_DIR EXPORTS VERSION MIN - the Mac build's signer and checker fail where they must.

Run by `make check-macos-tools` (macos/cross.mk) on the products of the cross build:
macos/codesign.py must reject a changed page, a changed entitlements blob and a
signature without the entitlement, and encode DER as Apple does; macos/check-macho.py
must reject a wrong architecture, a missing or extra export, an import its stub lacks,
a stub symbol nothing imports and a library linked with -undefined dynamic_lookup; and
make install's Darwin rule lays out a prefix with a cvz.pc for macOS and the signed cvz.
"""
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MACOS = os.path.join(HERE, "..", "..", "macos")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, MACOS)
import codesign  # noqa: E402

CROSS_DIR, EXPORTS, VERSION, MIN = sys.argv[1:5]
ENTITLEMENT = "com.apple.security.virtualization"


def run_checker(build_dir, arch="arm64", exports=EXPORTS, sdk=None):
    sdk = sdk or os.path.join(CROSS_DIR, "sdk")
    return subprocess.run([sys.executable, os.path.join(MACOS, "check-macho.py"), "--arch", arch,
                           "--exports", exports, "--version", VERSION, "--min", MIN, "--sdk", sdk,
                           build_dir], capture_output=True, text=True)


class Signer(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.cvz = os.path.join(self.tmp, "cvz")
        shutil.copy(os.path.join(CROSS_DIR, "arm64", "cvz"), self.cvz)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def patch(self, offset, byte):
        with open(self.cvz, "r+b") as f:
            f.seek(offset)
            f.write(bytes([byte]))

    def signature(self):
        data = pathlib.Path(self.cvz).read_bytes()
        macho = codesign.MachO(data, self.cvz)
        off, size = struct.unpack_from("<II", data, macho.signature_cmd + 8)
        return data, off, size

    def test_the_built_tool_verifies(self):
        arch, pages, ents = codesign.verify(self.cvz, ENTITLEMENT)
        self.assertEqual(arch, "arm64")
        self.assertEqual(ents, {ENTITLEMENT: True})
        self.assertEqual(pages, (self.signature()[1] + 4095) // 4096)

    def test_a_changed_page_is_caught(self):
        data, off, _ = self.signature()
        self.patch(off - 100, data[off - 100] ^ 0xFF)
        with self.assertRaisesRegex(codesign.SignError, r"page %d .* does not match" % ((off - 100) // 4096)):
            codesign.verify(self.cvz)

    def test_changed_entitlements_are_caught(self):
        data, off, size = self.signature()
        at = data.index(b"<true/>", off, off + size)
        self.patch(at + 1, ord("T"))
        with self.assertRaisesRegex(codesign.SignError, "special slot 5 does not match"):
            codesign.verify(self.cvz)

    def test_signing_again_gives_the_same_bytes(self):
        before = pathlib.Path(self.cvz).read_bytes()
        codesign.sign(self.cvz, os.path.join(MACOS, "cvz.entitlements"))
        self.assertEqual(pathlib.Path(self.cvz).read_bytes(), before)

    def test_a_signature_without_the_entitlement_is_refused(self):
        other = os.path.join(self.tmp, "other.entitlements")
        with open(other, "wb") as f:
            f.write(codesign.plistlib.dumps({"com.apple.security.network.client": True}))
        codesign.sign(self.cvz, other)
        self.assertEqual(codesign.verify(self.cvz)[2], {"com.apple.security.network.client": True})
        with self.assertRaisesRegex(codesign.SignError, "does not grant " + ENTITLEMENT):
            codesign.verify(self.cvz, ENTITLEMENT)

    def test_bad_input_is_one_line(self):
        text = os.path.join(self.tmp, "text")
        with open(text, "w") as f:
            f.write("not a binary\n")
        for args, message in ((["verify", text], "not a thin 64-bit little-endian Mach-O file"),
                              (["sign", "--entitlements", text, self.cvz], "not an XML property list"),
                              (["sign", self.cvz], "usage")):
            r = subprocess.run([sys.executable, os.path.join(MACOS, "codesign.py")] + args,
                               capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(message, r.stderr)
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)

    def test_der_matches_apples_encoding(self):
        # Encodings Apple's codesign produces, as recorded by apple-codesign's test suite.
        self.assertEqual(codesign.der_entitlements({}), bytes([112, 5, 2, 1, 1, 176, 0]))
        self.assertEqual(codesign.der_entitlements({"key": False}),
                         bytes([112, 15, 2, 1, 1, 176, 10, 48, 8, 12, 3]) + b"key" + bytes([1, 1, 0]))
        value = {"b": [1, "x", {"c": True}], "a": -300}
        self.assertEqual(codesign.parse_der_entitlements(codesign.der_entitlements(value)), value)


class Checker(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.build = os.path.join(self.tmp, "arm64")
        shutil.copytree(os.path.join(CROSS_DIR, "arm64"), self.build, symlinks=True,
                        ignore=shutil.ignore_patterns("lib", "tool", "tests"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_the_cross_build_passes(self):
        r = run_checker(self.build)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_the_wrong_architecture_fails(self):
        r = run_checker(self.build, arch="x86_64")
        self.assertIn("libcvz.1.dylib: built for arm64, not x86_64", r.stderr)

    def test_a_missing_and_an_extra_export_fail(self):
        names = pathlib.Path(EXPORTS).read_text().split()
        edited = os.path.join(self.tmp, "exports")
        with open(edited, "w") as f:
            f.write("\n".join(names[1:] + ["_cvz_not_there"]) + "\n")
        r = run_checker(self.build, exports=edited)
        self.assertIn(f"exports {names[0]}, which is not in", r.stderr)
        self.assertIn("does not export _cvz_not_there", r.stderr)

    def test_an_import_the_stub_lacks_fails(self):
        sdk = os.path.join(self.tmp, "sdk")
        shutil.copytree(os.path.join(CROSS_DIR, "sdk"), sdk)
        stub = os.path.join(sdk, "usr/lib/libobjc.tbd")
        text = pathlib.Path(stub).read_text()
        pathlib.Path(stub).write_text(text.replace(" _objc_msgSend,", ""))
        r = run_checker(self.build, sdk=sdk)
        self.assertIn("imports _objc_msgSend from /usr/lib/libobjc.A.dylib, which does not export it", r.stderr)

    def test_a_stub_symbol_nobody_imports_fails(self):
        sdk = os.path.join(self.tmp, "sdk")
        shutil.copytree(os.path.join(CROSS_DIR, "sdk"), sdk)
        stub = os.path.join(sdk, "usr/lib/libobjc.tbd")
        text = pathlib.Path(stub).read_text()
        pathlib.Path(stub).write_text(text.replace(" _objc_msgSend,", " _objc_msgSend, _objc_unused,"))
        r = run_checker(self.build, sdk=sdk)
        self.assertIn("libobjc.tbd: lists _objc_unused, which", r.stderr)

    def test_dynamic_lookup_fails(self):
        objects = [os.path.join(d, f) for d, _, files in os.walk(os.path.join(CROSS_DIR, "arm64", "lib"))
                   for f in files if f.endswith(".o")]
        lib = os.path.join(self.build, "libcvz.1.dylib")
        subprocess.run([os.path.join(MACOS, "cross-cc"), "arm64", "-dynamiclib", "-install_name",
                        "@rpath/libcvz.1.dylib", "-compatibility_version", VERSION.rsplit(".", 1)[0] + ".0",
                        "-current_version", VERSION, "-Wl,-undefined,dynamic_lookup", "-o", lib] + objects,
                       check=True)
        r = run_checker(self.build)
        self.assertRegex(r.stderr, r"_objc_msgSend is looked up at run time in no named library")


class Install(unittest.TestCase):
    """make install's Darwin rule (macos/darwin.mk) run on the arm64 cross build."""

    def test_install_lays_out_a_mac_prefix(self):
        root = os.path.join(HERE, "..", "..")
        with tempfile.TemporaryDirectory() as dest:
            subprocess.run(["make", "-s", "--no-print-directory", "-C", root, "UNAME_S=Darwin",
                            "BUILD=" + os.path.abspath(os.path.join(CROSS_DIR, "arm64")),
                            "CC=" + os.path.join(MACOS, "cross-cc") + " arm64", "SIGN=false",
                            "DESTDIR=" + dest, "PREFIX=/opt/cvz", "install"], check=True)
            prefix = os.path.join(dest, "opt/cvz")
            for rel in ("include/cvz/cvz.h", "include/cvz/cvz-api.h", "include/cvz/vm.h", "lib/libcvz.1.dylib", "lib/libcvz.a",
                        "lib/pkgconfig/cvz.pc", "bin/cvz"):
                self.assertTrue(os.path.isfile(os.path.join(prefix, rel)), rel)
            self.assertEqual(os.readlink(os.path.join(prefix, "lib/libcvz.dylib")), "libcvz.1.dylib")
            pc = pathlib.Path(prefix, "lib/pkgconfig/cvz.pc").read_text()
            self.assertIn("Libs: -L${libdir} -Wl,-rpath,${libdir} -lcvz\n", pc)
            self.assertIn("Libs.private: -lobjc -framework Foundation\n", pc)
            self.assertIn("Version: " + VERSION + "\n", pc)
            # Installed as built: still signed with the entitlement.
            self.assertEqual(codesign.verify(os.path.join(prefix, "bin/cvz"), ENTITLEMENT)[0], "arm64")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
