#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""codesign.py - ad-hoc code signatures with entitlements for thin Mach-O files, from Linux.

    codesign.py sign --entitlements FILE.entitlements BINARY
    codesign.py verify [--entitlement KEY] BINARY

Debian has neither Apple's codesign nor ldid, and zig 0.11's linker cannot
embed the DER form of the entitlements, so `make cross-macos` signs cvz and
the examples with this script; on a Mac, `make` uses codesign itself
(macos/darwin.mk).  The signature is what `codesign --entitlements F -s -`
writes: an embedded SuperBlob holding a CodeDirectory (SHA-256 hashes of every
4 KiB page up to the signature, the executable segment, the hashes of the
blobs below in its special slots), an empty requirement set, the entitlements
as an XML property list (0xfade7171) and as DER (0xfade7172), which macOS 12
and later require.

The binary must already carry an LC_CODE_SIGNATURE (link with
-Wl,-adhoc_codesign): the signature replaces that one at the end of
__LINKEDIT, so no load command has to be inserted.  `verify` parses a
signature back and checks every hash; it exits 1 with one line saying what
is wrong.
"""
import hashlib
import pathlib
import plistlib
import struct
import sys

MH_MAGIC_64 = 0xFEEDFACF
MH_EXECUTE = 2
LC_SEGMENT_64 = 0x19
LC_CODE_SIGNATURE = 0x1D
CPU_TYPES = {0x01000007: "x86_64", 0x0100000C: "arm64"}
SEGMENT_ALIGN = {"x86_64": 0x1000, "arm64": 0x4000}

CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
CSMAGIC_REQUIREMENTS = 0xFADE0C01
CSMAGIC_EMBEDDED_ENTITLEMENTS = 0xFADE7171
CSMAGIC_EMBEDDED_DER_ENTITLEMENTS = 0xFADE7172
CSSLOT_CODEDIRECTORY = 0
CSSLOT_REQUIREMENTS = 2
CSSLOT_ENTITLEMENTS = 5
CSSLOT_DER_ENTITLEMENTS = 7
SPECIAL_SLOTS = 7
CS_ADHOC = 0x2
CS_EXECSEG_MAIN_BINARY = 0x1
CD_VERSION = 0x20400  # the first with the executable-segment fields
CD_HEADER = struct.Struct(">IIIIIIIIIBBBBIIIIQQQQ")  # 88 bytes
HASH_SHA256 = 2
PAGE_SHIFT = 12
PAGE = 1 << PAGE_SHIFT
HASH_SIZE = 32


class SignError(Exception):
    pass


# ---- DER entitlements (Apple's CoreEntitlements encoding) ----------------------
# [APPLICATION 16] { INTEGER 1, [CONTEXT 16] { SEQUENCE { UTF8String key, value }... } },
# keys sorted; values are BOOLEAN, INTEGER, UTF8String, SEQUENCE (array) or [CONTEXT 16] (dictionary).

def _der(tag, body):
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + body


def _der_value(value):
    if isinstance(value, bool):
        return _der(0x01, b"\xff" if value else b"\x00")
    if isinstance(value, int):
        return _der(0x02, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))
    if isinstance(value, str):
        return _der(0x0C, value.encode())
    if isinstance(value, list):
        return _der(0x30, b"".join(_der_value(v) for v in value))
    if isinstance(value, dict):
        return _der(0xB0, b"".join(_der(0x30, _der(0x0C, k.encode()) + _der_value(value[k]))
                                   for k in sorted(value)))
    raise SignError(f"entitlement value {value!r}: only booleans, integers, strings, arrays and "
                    "dictionaries can be encoded")


def der_entitlements(entitlements):
    return _der(0x70, _der(0x02, b"\x01") + _der_value(entitlements))


def _der_read(data, pos):
    if pos + 2 > len(data):
        raise SignError("DER entitlements are truncated")
    tag, n = data[pos], data[pos + 1]
    pos += 2
    if n & 0x80:
        size = n & 0x7F
        n = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    if pos + n > len(data):
        raise SignError("DER entitlements are truncated")
    return tag, data[pos:pos + n], pos + n


def _der_items(body):
    pos, items = 0, []
    while pos < len(body):
        tag, value, pos = _der_read(body, pos)
        items.append((tag, value))
    return items


def _der_decode(tag, body):
    if tag == 0x01:
        return body != b"\x00"
    if tag == 0x02:
        return int.from_bytes(body, "big", signed=True)
    if tag == 0x0C:
        return body.decode()
    if tag == 0x30:
        return [_der_decode(t, v) for t, v in _der_items(body)]
    if tag == 0xB0:
        result = {}
        for t, pair in _der_items(body):
            (kt, key), (vt, value) = _der_items(pair)
            result[key.decode()] = _der_decode(vt, value)
        return result
    raise SignError(f"DER entitlements: unexpected tag 0x{tag:02x}")


def parse_der_entitlements(data):
    tag, body, end = _der_read(data, 0)
    items = _der_items(body) if tag == 0x70 and end == len(data) else []
    if len(items) != 2 or items[0] != (0x02, b"\x01") or items[1][0] != 0xB0:
        raise SignError("DER entitlements are not a version 1 CoreEntitlements dictionary")
    return _der_decode(*items[1])


# ---- Mach-O --------------------------------------------------------------------

class MachO:
    """The parts of a thin 64-bit Mach-O file a code signature touches."""

    def __init__(self, data, name):
        if len(data) < 32 or struct.unpack_from("<I", data)[0] != MH_MAGIC_64:
            raise SignError(f"{name}: not a thin 64-bit little-endian Mach-O file")
        cputype, _, self.filetype, ncmds, _ = struct.unpack_from("<iIIII", data, 4)
        self.arch = CPU_TYPES.get(cputype)
        if not self.arch:
            raise SignError(f"{name}: CPU type 0x{cputype:x} is neither arm64 nor x86_64")
        self.segments = {}
        self.signature_cmd = None
        pos = 32
        for _ in range(ncmds):
            cmd, size = struct.unpack_from("<II", data, pos)
            if cmd == LC_SEGMENT_64:
                segname = data[pos + 8:pos + 24].rstrip(b"\0").decode()
                self.segments[segname] = pos
            elif cmd == LC_CODE_SIGNATURE:
                self.signature_cmd = pos
            pos += size
        for seg in ("__TEXT", "__LINKEDIT"):
            if seg not in self.segments:
                raise SignError(f"{name}: no {seg} segment")

    def segment(self, data, name):
        """(vmsize, fileoff, filesize) of a segment."""
        return struct.unpack_from("<QQQ", data, self.segments[name] + 32)


# ---- signing -------------------------------------------------------------------

def _blob(magic, payload):
    return struct.pack(">II", magic, 8 + len(payload)) + payload


def _code_directory(data, limit, identifier, special, macho):
    ident = identifier.encode() + b"\0"
    hash_offset = CD_HEADER.size + len(ident) + SPECIAL_SLOTS * HASH_SIZE
    n_pages = (limit + PAGE - 1) // PAGE
    length = hash_offset + n_pages * HASH_SIZE
    _, text_off, text_size = macho.segment(data, "__TEXT")
    flags = CS_EXECSEG_MAIN_BINARY if macho.filetype == MH_EXECUTE else 0
    header = CD_HEADER.pack(CSMAGIC_CODEDIRECTORY, length, CD_VERSION, CS_ADHOC, hash_offset,
                            CD_HEADER.size, SPECIAL_SLOTS, n_pages, limit, HASH_SIZE, HASH_SHA256, 0,
                            PAGE_SHIFT, 0, 0, 0, 0, 0, text_off, text_size, flags)
    slots = b"".join(special.get(i, bytes(HASH_SIZE)) for i in range(SPECIAL_SLOTS, 0, -1))
    pages = b"".join(hashlib.sha256(data[i:min(i + PAGE, limit)]).digest() for i in range(0, limit, PAGE))
    return header + ident + slots + pages


def sign(path, entitlements_path, identifier=None):
    data = bytearray(pathlib.Path(path).read_bytes())
    macho = MachO(data, path)
    if macho.signature_cmd is None:
        raise SignError(f"{path}: no LC_CODE_SIGNATURE to replace (link with -Wl,-adhoc_codesign)")
    with open(entitlements_path, "rb") as f:
        xml = f.read()
    try:
        entitlements = plistlib.loads(xml, fmt=plistlib.FMT_XML)
    except Exception as e:
        raise SignError(f"{entitlements_path}: not an XML property list: {e}") from None
    if not isinstance(entitlements, dict):
        raise SignError(f"{entitlements_path}: the entitlements must be a dictionary")
    blobs = [(CSSLOT_REQUIREMENTS, _blob(CSMAGIC_REQUIREMENTS, struct.pack(">I", 0))),
             (CSSLOT_ENTITLEMENTS, _blob(CSMAGIC_EMBEDDED_ENTITLEMENTS, xml)),
             (CSSLOT_DER_ENTITLEMENTS, _blob(CSMAGIC_EMBEDDED_DER_ENTITLEMENTS,
                                             der_entitlements(entitlements)))]
    special = {slot: hashlib.sha256(blob).digest() for slot, blob in blobs}

    limit, _ = struct.unpack_from("<II", data, macho.signature_cmd + 8)
    ident = identifier or path.rsplit("/", 1)[-1]
    n_pages = (limit + PAGE - 1) // PAGE
    cd_size = CD_HEADER.size + len(ident) + 1 + (SPECIAL_SLOTS + n_pages) * HASH_SIZE
    index_size = 12 + 8 * (1 + len(blobs))
    total = index_size + cd_size + sum(len(b) for _, b in blobs)
    padded = (total + 15) & ~15

    # The load commands change before the pages are hashed: they are in page 0.
    del data[limit:]
    struct.pack_into("<I", data, macho.signature_cmd + 12, padded)
    _, link_off, _ = macho.segment(data, "__LINKEDIT")
    align = SEGMENT_ALIGN[macho.arch]
    link_size = limit + padded - link_off
    struct.pack_into("<QQQ", data, macho.segments["__LINKEDIT"] + 32,
                     (link_size + align - 1) // align * align, link_off, link_size)

    cd = _code_directory(data, limit, ident, special, macho)
    assert len(cd) == cd_size
    entries, payload, offset = [(CSSLOT_CODEDIRECTORY, cd)] + blobs, b"", index_size
    index = struct.pack(">III", CSMAGIC_EMBEDDED_SIGNATURE, total, len(entries))
    for slot, blob in entries:
        index += struct.pack(">II", slot, offset)
        payload += blob
        offset += len(blob)
    data += index + payload + bytes(padded - total)
    with open(path, "wb") as f:
        f.write(data)


# ---- verification --------------------------------------------------------------

def verify(path, required=None):
    """Checks every hash of path's signature; returns (arch, pages, entitlements)."""
    data = pathlib.Path(path).read_bytes()
    macho = MachO(data, path)
    if macho.signature_cmd is None:
        raise SignError(f"{path}: not signed (no LC_CODE_SIGNATURE)")
    off, size = struct.unpack_from("<II", data, macho.signature_cmd + 8)
    _, link_off, link_size = macho.segment(data, "__LINKEDIT")
    if off + size > len(data) or off + size > link_off + link_size:
        raise SignError(f"{path}: the signature runs past the end of the file or of __LINKEDIT")
    sig = data[off:off + size]
    magic, length, count = struct.unpack_from(">III", sig)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE or length > size:
        raise SignError(f"{path}: the signature is not an embedded SuperBlob")
    blobs = {}
    for i in range(count):
        slot, blob_off = struct.unpack_from(">II", sig, 12 + 8 * i)
        _, blob_len = struct.unpack_from(">II", sig, blob_off)
        blobs[slot] = sig[blob_off:blob_off + blob_len]
    cd = blobs.get(CSSLOT_CODEDIRECTORY)
    if cd is None or struct.unpack_from(">I", cd)[0] != CSMAGIC_CODEDIRECTORY:
        raise SignError(f"{path}: the signature has no CodeDirectory")
    (_, _, _, flags, hash_off, _, n_special, n_pages, limit, hash_size, hash_type, _, page_shift,
     *_rest) = CD_HEADER.unpack_from(cd)
    if hash_type != HASH_SHA256 or hash_size != HASH_SIZE or page_shift != PAGE_SHIFT:
        raise SignError(f"{path}: the CodeDirectory does not hash SHA-256 over 4 KiB pages")
    if limit != off or n_pages != (limit + PAGE - 1) // PAGE:
        raise SignError(f"{path}: the CodeDirectory covers {limit} bytes, the signature starts at {off}")
    for i in range(n_pages):
        page = data[i * PAGE:min((i + 1) * PAGE, limit)]
        if hashlib.sha256(page).digest() != cd[hash_off + i * HASH_SIZE:hash_off + (i + 1) * HASH_SIZE]:
            raise SignError(f"{path}: page {i} (offset 0x{i * PAGE:x}) does not match its hash")
    for slot in range(1, n_special + 1):
        stored = cd[hash_off - slot * HASH_SIZE:hash_off - (slot - 1) * HASH_SIZE]
        expected = hashlib.sha256(blobs[slot]).digest() if slot in blobs else bytes(HASH_SIZE)
        if stored != expected:
            raise SignError(f"{path}: special slot {slot} does not match its blob")
    entitlements = {}
    if CSSLOT_ENTITLEMENTS in blobs or CSSLOT_DER_ENTITLEMENTS in blobs:
        xml, der = blobs.get(CSSLOT_ENTITLEMENTS), blobs.get(CSSLOT_DER_ENTITLEMENTS)
        if not xml or not der or n_special < CSSLOT_DER_ENTITLEMENTS:
            raise SignError(f"{path}: entitlements must be signed both as XML and as DER")
        entitlements = plistlib.loads(xml[8:])
        if parse_der_entitlements(der[8:]) != entitlements:
            raise SignError(f"{path}: the DER entitlements differ from the XML ones")
    if required and entitlements.get(required) is not True:
        raise SignError(f"{path}: the signature does not grant {required}")
    if not flags & CS_ADHOC:
        raise SignError(f"{path}: the signature is not ad hoc")
    return macho.arch, n_pages, entitlements


def main(argv):
    usage = "usage: codesign.py sign --entitlements FILE BINARY | verify [--entitlement KEY] BINARY"
    try:
        if len(argv) == 4 and argv[0] == "sign" and argv[1] == "--entitlements":
            sign(argv[3], argv[2])
        elif len(argv) in (2, 4) and argv[0] == "verify" and (len(argv) == 2 or argv[1] == "--entitlement"):
            arch, pages, ents = verify(argv[-1], argv[2] if len(argv) == 4 else None)
            print(f"{argv[-1]}: {arch}, ad-hoc signature over {pages} pages, entitlements: "
                  f"{', '.join(sorted(ents)) or 'none'}")
        else:
            print(usage, file=sys.stderr)
            return 2
    except (SignError, OSError, struct.error, ValueError, IndexError, KeyError) as e:
        print(f"codesign.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
