#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-macho.py - checks a Mac build of libcvz, cvz and the examples.

    check-macho.py --arch ARCH --exports FILE --version X.Y.Z [--sdk DIR] [--codesign] BUILD_DIR

In BUILD_DIR (build/macos/ARCH from `make cross-macos`, or build/ on a Mac):
  - every product is Mach-O for ARCH, built for macOS --min or later;
  - libcvz.1.dylib: install name @rpath/libcvz.1.dylib with versions from
    --version; exports exactly the symbols listed in --exports (so no internal
    cvz__ symbol and no compiler-runtime symbol); links only libSystem, libobjc
    and Foundation, by two-level namespace (no -undefined dynamic_lookup);
  - libcvz.a: a Darwin archive (BSD symbol table) of ARCH objects;
  - cvz and the examples: import from libcvz only symbols it exports, carry a
    code signature granting com.apple.security.virtualization (checked by
    macos/codesign.py, or by Apple's codesign with --codesign);
  - with --sdk (the stub SDK of the cross build): every undefined symbol of
    every product is exported by the stub of the library it binds to, and the
    libobjc and Foundation stubs list nothing libcvz does not import.
Each failure is one line naming the file and what is wrong; exit status 1.
"""
import argparse
import os
import pathlib
import plistlib
import re
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codesign  # noqa: E402

MH_EXECUTE, MH_DYLIB = 2, 6
MH_TWOLEVEL = 0x80
LC_SYMTAB, LC_LOAD_DYLIB, LC_ID_DYLIB = 0x2, 0xC, 0xD
LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB = 0x80000018, 0x8000001F
LC_DYLD_INFO_ONLY, LC_DYLD_EXPORTS_TRIE, LC_BUILD_VERSION = 0x80000022, 0x80000033, 0x32
N_EXT, N_TYPE, N_UNDF = 0x01, 0x0E, 0x0
ENTITLEMENT = "com.apple.security.virtualization"
LIBSYSTEM = "/usr/lib/libSystem.B.dylib"
LIBOBJC = "/usr/lib/libobjc.A.dylib"
FOUNDATION = "/System/Library/Frameworks/Foundation.framework/Versions/C/Foundation"
LIBCVZ = "@rpath/libcvz.1.dylib"
# Where the stub of each library the products may link sits in an SDK.
STUBS = {LIBSYSTEM: "usr/lib/libSystem.tbd", LIBOBJC: "usr/lib/libobjc.tbd",
         FOUNDATION: "System/Library/Frameworks/Foundation.framework/Foundation.tbd"}

failures = []


def fail(message):
    failures.append(message)
    print(f"check-macho: {message}", file=sys.stderr)


def version_text(v):
    return f"{v >> 16}.{(v >> 8) & 0xFF}.{v & 0xFF}"


def uleb(data, pos):
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def trie_symbols(data, start, size):
    """The names in a dyld export trie: depth first, each terminal node is an exported name."""
    names, stack, seen = set(), [(0, b"")], set()
    while stack:
        node, prefix = stack.pop()
        if node in seen:
            raise ValueError("export trie has a cycle")
        seen.add(node)
        info, pos = uleb(data, start + node)
        if info:
            names.add(prefix.decode())
        pos += info
        count = data[pos]
        pos += 1
        for _ in range(count):
            end = data.index(b"\0", pos)
            edge = data[pos:end]
            child, pos = uleb(data, end + 1)
            if child >= size:
                raise ValueError("export trie edge points outside the trie")
            stack.append((child, prefix + edge))
    return names


class Image:
    """A thin Mach-O image: what its load commands and symbol table say."""

    def __init__(self, path, data):
        self.path = path
        self.macho = codesign.MachO(data, path)
        self.arch, self.filetype = self.macho.arch, self.macho.filetype
        self.flags = struct.unpack_from("<I", data, 24)[0]
        ncmds = struct.unpack_from("<I", data, 16)[0]
        self.id = None
        self.dylibs = []
        self.exports = set()
        self.undefined = []  # (name, library ordinal)
        self.minos = None
        pos = 32
        for _ in range(ncmds):
            cmd, size = struct.unpack_from("<II", data, pos)
            if cmd in (LC_ID_DYLIB, LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB):
                name_off, _, current, compat = struct.unpack_from("<IIII", data, pos + 8)
                name = data[pos + name_off:pos + size].split(b"\0")[0].decode()
                if cmd == LC_ID_DYLIB:
                    self.id = (name, current, compat)
                else:
                    self.dylibs.append(name)
            elif cmd == LC_DYLD_INFO_ONLY:
                off, size_ = struct.unpack_from("<II", data, pos + 40)
                if size_:
                    self.exports = trie_symbols(data, off, size_)
            elif cmd == LC_DYLD_EXPORTS_TRIE:
                off, size_ = struct.unpack_from("<II", data, pos + 8)
                if size_:
                    self.exports = trie_symbols(data, off, size_)
            elif cmd == LC_BUILD_VERSION:
                self.minos = struct.unpack_from("<I", data, pos + 12)[0]
            elif cmd == LC_SYMTAB:
                symoff, nsyms, stroff, _ = struct.unpack_from("<IIII", data, pos + 8)
                for i in range(nsyms):
                    strx, ntype, _, desc, _ = struct.unpack_from("<IBBHQ", data, symoff + 16 * i)
                    if ntype & N_EXT and ntype & N_TYPE == N_UNDF:
                        name = data[stroff + strx:data.index(b"\0", stroff + strx)].decode()
                        self.undefined.append((name, desc >> 8))
            pos += size


def tbd_symbols(path, arch):
    """Every symbol a .tbd text stub exports for arch (all its documents: re-exported libraries too)."""
    text = pathlib.Path(path).read_text()
    symbols, targets = set(), []
    for m in re.finditer(r"(targets|symbols|weak-symbols|thread-local-symbols|objc-classes):\s*\[([^\]]*)\]", text):
        items = [s.strip().strip("'") for s in m.group(2).split(",") if s.strip()]
        if m.group(1) == "targets":
            targets = items
        elif f"{arch}-macos" in targets:
            if m.group(1) == "objc-classes":
                symbols.update(f"_OBJC_{kind}_$_{c}" for c in items for kind in ("CLASS", "METACLASS"))
            else:
                symbols.update(items)
    return symbols


def archive_members(data):
    """(name, bytes) of each member of a BSD (Darwin) ar archive."""
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    pos, members = 8, []
    while pos + 60 <= len(data):
        name, size = data[pos:pos + 16].decode().strip(), int(data[pos + 48:pos + 58])
        body = data[pos + 60:pos + 60 + size]
        if name.startswith("#1/"):
            n = int(name[3:])
            name, body = body[:n].rstrip(b"\0").decode(), body[n:]
        members.append((name, body))
        pos += 60 + size + (size & 1)
    return members


def check_minos(image, minimum):
    want = tuple(int(x) for x in minimum.split("."))
    if image.minos is None:
        fail(f"{image.path}: no LC_BUILD_VERSION")
    elif (image.minos >> 16, (image.minos >> 8) & 0xFF) != want:
        fail(f"{image.path}: built for macOS {version_text(image.minos)}, not {minimum}")


def check_imports(image, stubs, allowed, lib_exports):
    if not image.flags & MH_TWOLEVEL:
        fail(f"{image.path}: not linked with the two-level namespace")
    for lib in image.dylibs:
        if lib not in allowed:
            fail(f"{image.path}: links {lib}; only {', '.join(sorted(allowed))} are allowed")
    for name, ordinal in image.undefined:
        if not 1 <= ordinal <= len(image.dylibs):
            fail(f"{image.path}: {name} is looked up at run time in no named library "
                 f"(ordinal {ordinal}: -undefined dynamic_lookup?)")
            continue
        lib = image.dylibs[ordinal - 1]
        known = lib_exports if lib == LIBCVZ else stubs.get(lib)
        if known is not None and name not in known:
            fail(f"{image.path}: imports {name} from {lib}, which does not export it")


def check_signature(path, use_codesign):
    if use_codesign:
        if subprocess.run(["codesign", "--verify", "--strict", path]).returncode != 0:
            return fail(f"{path}: codesign --verify rejects its signature")
        out = subprocess.run(["codesign", "-d", "--entitlements", "-", "--xml", path],
                             capture_output=True).stdout
        try:
            granted = plistlib.loads(out).get(ENTITLEMENT) is True if out else False
        except Exception:
            granted = False
        if not granted:
            fail(f"{path}: the signature does not grant {ENTITLEMENT}")
        return
    try:
        codesign.verify(path, ENTITLEMENT)
    except codesign.SignError as e:
        fail(str(e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, choices=["arm64", "x86_64"])
    ap.add_argument("--exports", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--min", default="11.0")
    ap.add_argument("--sdk")
    ap.add_argument("--codesign", action="store_true")
    ap.add_argument("dir")
    args = ap.parse_args()

    wanted = set(pathlib.Path(args.exports).read_text().split())
    stubs = {lib: tbd_symbols(os.path.join(args.sdk, rel), args.arch) for lib, rel in STUBS.items()} if args.sdk else {}
    major, minor, micro = (int(x) for x in args.version.split("."))

    images = {}
    for rel in ("libcvz.1.dylib", "cvz", "examples/linux-vm", "examples/availability-report"):
        path = os.path.join(args.dir, rel)
        try:
            images[rel] = Image(path, pathlib.Path(path).read_bytes())
        except (OSError, codesign.SignError, ValueError, struct.error, IndexError) as e:
            fail(f"{path}: {e}")
            continue
        if images[rel].arch != args.arch:
            fail(f"{path}: built for {images[rel].arch}, not {args.arch}")
        check_minos(images[rel], args.min)

    lib = images.get("libcvz.1.dylib")
    if lib:
        if lib.filetype != MH_DYLIB:
            fail(f"{lib.path}: not a dynamic library")
        want_id = (LIBCVZ, (major << 16) | (minor << 8) | micro, (major << 16) | (minor << 8))
        if lib.id != want_id:
            got = f"{lib.id[0]} {version_text(lib.id[1])}/{version_text(lib.id[2])}" if lib.id else "none"
            fail(f"{lib.path}: identity is {got}, not {LIBCVZ} "
                 f"{version_text(want_id[1])}/{version_text(want_id[2])} (current/compatibility)")
        for name in sorted(lib.exports - wanted)[:10]:
            fail(f"{lib.path}: exports {name}, which is not in {args.exports}")
        for name in sorted(wanted - lib.exports)[:10]:
            fail(f"{lib.path}: does not export {name}")
        check_imports(lib, stubs, {LIBSYSTEM, LIBOBJC, FOUNDATION}, None)
        # The project's own stubs list what libcvz imports and nothing else.
        for stub_lib in (LIBOBJC, FOUNDATION) if stubs else ():
            imported = {name for name, ordinal in lib.undefined
                        if 1 <= ordinal <= len(lib.dylibs) and lib.dylibs[ordinal - 1] == stub_lib}
            for name in sorted(stubs[stub_lib] - imported):
                fail(f"{os.path.join(args.sdk, STUBS[stub_lib])}: lists {name}, which {lib.path} does not import")
        for rel in ("cvz", "examples/linux-vm", "examples/availability-report"):
            image = images.get(rel)
            if image:
                if image.filetype != MH_EXECUTE:
                    fail(f"{image.path}: not an executable")
                check_imports(image, stubs, {LIBSYSTEM, LIBCVZ}, lib.exports)
                check_signature(image.path, args.codesign)

    path = os.path.join(args.dir, "libcvz.a")
    try:
        members = archive_members(pathlib.Path(path).read_bytes())
        if not members or not members[0][0].startswith("__.SYMDEF"):
            fail(f"{path}: no Darwin symbol table (__.SYMDEF) first")
        for name, body in members[1:]:
            cputype = struct.unpack_from("<I", body, 4)[0] if len(body) >= 8 else 0
            if body[:4] != b"\xcf\xfa\xed\xfe" or codesign.CPU_TYPES.get(cputype) != args.arch:
                fail(f"{path}: member {name} is not a {args.arch} Mach-O object")
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")

    if failures:
        return 1
    print(f"{args.dir}: {args.arch}, macOS {args.min}+: libcvz.1.dylib exports {len(lib.exports)} symbols "
          f"(exactly {os.path.basename(args.exports)}), links {', '.join(sorted(lib.dylibs))}; "
          f"cvz and the examples signed with {ENTITLEMENT}; libcvz.a has {len(members) - 1} objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
