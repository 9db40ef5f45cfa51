/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dryrun.c - `cvz run --dry-run`: every flag, every device type and
 * option, every documented error (exact stderr line, exit 2), and vfkit
 * command lines copied from vfkit's and podman machine's documentation.
 *
 * Each case runs `cvz run --dry-run ARGS...` in a fresh process with the
 * simulated framework; "@D@" is the scratch directory of placeholder files
 * (harness.c), "@ANY@" in an expected output matches any text on one line.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

struct dcase {
    const char *name;
    const char *const *args;
    const char *const *env;
    int status;
    const char *out;
    const char *err;
};

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define OK(name, out, ...) {name, ARGS(__VA_ARGS__), NULL, 0, out, ""}
#define OK_ENV(name, env, out, ...) {name, ARGS(__VA_ARGS__), env, 0, out, ""}
#define BAD(name, msg, ...) {name, ARGS(__VA_ARGS__), NULL, 2, "", "cvz: " msg "\n"}
#define BAD_ENV(name, env, msg, ...) {name, ARGS(__VA_ARGS__), env, 2, "", "cvz: " msg "\n"}

#define D "@D@"
#define LINUX "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=console=hvc0"
#define LINUX_OUT "--kernel " D "/vmlinuz\n--initrd " D "/initrd\n--kernel-cmdline console=hvc0\n"
#define HEAD "--cpus 1\n--memory 512\n"
#define BASE HEAD LINUX_OUT
#define DEV(spec) "--device " spec "\n"
#define X86 ENV("CVZ_SIM_ARCH=x86_64")
#define ISO "virtio-blk,path=" D "/tmp/cvz-cloudinit/cvz-cloudinit-@ANY@.iso"
#define LONG_DIR "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct dcase cases[] = {
    /* ---- resources and flag syntax (pflag) ---- */
    OK("defaults", BASE, LINUX),
    OK("cpus and memory", "--cpus 4\n--memory 4096\n" LINUX_OUT, "--cpus", "4", "--memory", "4096", LINUX),
    OK("short flags with separate values", "--cpus 2\n--memory 1024\n" LINUX_OUT, "-c", "2", "-m", "1024", LINUX),
    OK("short flags with attached values", "--cpus 2\n--memory 1024\n" LINUX_OUT, "-c2", "-m1024", LINUX),
    OK("short flags with =", "--cpus 2\n--memory 1024\n" LINUX_OUT, "-c=2", "-m=1024", LINUX),
    OK("long flags with =", "--cpus 3\n--memory 768\n" LINUX_OUT, "--cpus=3", "--memory=768", LINUX),
    OK("uint accepts Go prefixes (0x10)", "--cpus 16\n--memory 512\n" LINUX_OUT, "--cpus", "0x10", LINUX),
    OK("uint accepts Go underscores (1_024)", "--cpus 1\n--memory 1024\n" LINUX_OUT, "--memory", "1_024", LINUX),
    OK("cpus 0 passes the parser", "--cpus 0\n--memory 512\n" LINUX_OUT, "--cpus", "0", LINUX),
    OK("the last scalar wins", "--cpus 3\n--memory 512\n" LINUX_OUT, "--cpus", "2", "--cpus", "3", LINUX),
    OK("positional arguments are ignored", BASE, LINUX, "extra", "arguments"),
    OK("-- ends the flags", BASE, LINUX, "--", "--cpus", "5"),
    OK("bundled boolean shorthand then a value", "--cpus 2\n--memory 512\n" LINUX_OUT "--nested\n", "-nc2", LINUX),
    OK("--gui=false", BASE, LINUX, "--gui=false"),
    BAD("cpus: not a number",
        "invalid argument \"abc\" for \"-c, --cpus\" flag: strconv.ParseUint: parsing \"abc\": invalid syntax",
        "--cpus", "abc", LINUX),
    BAD("cpus: negative", "invalid argument \"-1\" for \"-c, --cpus\" flag: strconv.ParseUint: parsing \"-1\": invalid syntax",
        "--cpus", "-1", LINUX),
    BAD("cpus: fraction",
        "invalid argument \"1.5\" for \"-c, --cpus\" flag: strconv.ParseUint: parsing \"1.5\": invalid syntax", "-c",
        "1.5", LINUX),
    BAD("memory: unit suffix",
        "invalid argument \"2G\" for \"-m, --memory\" flag: strconv.ParseUint: parsing \"2G\": invalid syntax",
        "--memory", "2G", LINUX),
    BAD("memory: out of range",
        "invalid argument \"18446744073709551616\" for \"-m, --memory\" flag: strconv.ParseUint: parsing "
        "\"18446744073709551616\": value out of range",
        "--memory", "18446744073709551616", LINUX),
    BAD("memory: empty", "invalid argument \"\" for \"-m, --memory\" flag: strconv.ParseUint: parsing \"\": invalid syntax",
        "--memory=", LINUX),
    BAD("unknown flag", "unknown flag: --foo", LINUX, "--foo"),
    BAD("unknown flag with value", "unknown flag: --foo", "--foo=bar", LINUX),
    BAD("unknown shorthand", "unknown shorthand flag: 'x' in -x", "-x", LINUX),
    BAD("unknown shorthand in a bundle", "unknown shorthand flag: 'z' in -nz", "-nz", LINUX),
    BAD("flag needs an argument", "flag needs an argument: --cpus", LINUX, "--cpus"),
    BAD("shorthand needs an argument", "flag needs an argument: 'c' in -c", LINUX, "-c"),
    BAD("bad flag syntax", "bad flag syntax: ---cpus", "---cpus", LINUX),
    BAD("bool flag with a bad value",
        "invalid argument \"maybe\" for \"--gui\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
        "--gui=maybe", LINUX),
    BAD("a value is taken even when it looks like a flag",
        "invalid argument \"--memory\" for \"-c, --cpus\" flag: strconv.ParseUint: parsing \"--memory\": invalid syntax",
        "--cpus", "--memory", LINUX),
    BAD("--stop-timeout: not a duration",
        "invalid argument \"soon\" for \"--stop-timeout\" flag: time: invalid duration \"soon\"", "--stop-timeout",
        "soon", LINUX),
    /* Go's range: an int64 of nanoseconds; past it, Go's words (no wrap to a negative or tiny timeout) */
    BAD("--stop-timeout: overflows an int64 of nanoseconds",
        "invalid argument \"9999999999999h\" for \"--stop-timeout\" flag: time: invalid duration \"9999999999999h\"",
        "--stop-timeout", "9999999999999h", LINUX),
    BAD("--stop-timeout: hours past Go's range",
        "invalid argument \"2562047788015h\" for \"--stop-timeout\" flag: time: invalid duration \"2562047788015h\"",
        "--stop-timeout", "2562047788015h", LINUX),
    BAD("--stop-timeout: one nanosecond past Go's range",
        "invalid argument \"2562047h47m16.854775808s\" for \"--stop-timeout\" flag: time: invalid duration "
        "\"2562047h47m16.854775808s\"",
        "--stop-timeout", "2562047h47m16.854775808s", LINUX),
    BAD("--stop-timeout: a unit is the letters up to the next digit",
        "invalid argument \"5sx\" for \"--stop-timeout\" flag: time: unknown unit \"sx\" in duration \"5sx\"",
        "--stop-timeout", "5sx", LINUX),
    BAD("--stop-timeout: missing unit",
        "invalid argument \"1s5\" for \"--stop-timeout\" flag: time: missing unit in duration \"1s5\"",
        "--stop-timeout", "1s5", LINUX),
    OK("--stop-timeout: Go's largest duration", BASE, LINUX, "--stop-timeout", "2562047h47m16.854775807s"),
    OK("--stop-timeout: Go's most negative duration", BASE, LINUX, "--stop-timeout", "-2562047h47m16.854775808s"),
    OK("--stop-timeout: micro sign", BASE, LINUX, "--stop-timeout", "1500\xc2\xb5s"),

    /* ---- --bootloader (quote-aware list) ---- */
    OK("linux: cmdline quoted to hold a comma",
       HEAD "--kernel " D "/vmlinuz\n--initrd " D "/initrd\n--kernel-cmdline console=hvc0,115200 root=/dev/vda\n",
       "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=\"console=hvc0,115200 root=/dev/vda\""),
    OK("linux: a whole element in quotes", HEAD "--kernel " D "/vmlinuz\n--kernel-cmdline a,b\n", "--bootloader",
       "linux,kernel=" D "/vmlinuz,\"cmdline=a,b\""),
    OK("linux: without initrd", HEAD "--kernel " D "/vmlinuz\n--kernel-cmdline console=hvc0\n", "--bootloader",
       "linux,kernel=" D "/vmlinuz,cmdline=console=hvc0"),
    OK("linux: without cmdline", HEAD "--kernel " D "/vmlinuz\n--initrd " D "/initrd\n--kernel-cmdline \"\"\n",
       "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd"),
    OK("linux: empty elements are skipped", BASE, "--bootloader",
       "linux,,kernel=" D "/vmlinuz,,initrd=" D "/initrd,cmdline=console=hvc0,"),
    OK("linux: -b and repetition append", BASE, "-b", "linux", "-b", "kernel=" D "/vmlinuz", "--bootloader",
       "initrd=" D "/initrd,cmdline=console=hvc0"),
    OK_ENV("linux: compressed kernel accepted on x86_64", X86,
       HEAD "--kernel " D "/vmlinuz.gz\n--kernel-cmdline console=hvc0\n", "--bootloader",
       "linux,kernel=" D "/vmlinuz.gz,cmdline=console=hvc0"),
    OK("efi", HEAD "--bootloader efi,variable-store=" D "/efi-store\n", "--bootloader",
       "efi,variable-store=" D "/efi-store"),
    OK("efi: create, store need not exist", HEAD "--bootloader efi,variable-store=" D "/new-store,create\n",
       "--bootloader", "efi,variable-store=" D "/new-store,create"),
    OK("efi: repeated flags are one list", HEAD "--bootloader efi,variable-store=/a,create\n", "--bootloader", "efi",
       "--bootloader", "variable-store=/a,create"),
    OK("efi: empty elements are skipped", HEAD "--bootloader efi,variable-store=" D "/efi-store\n", "--bootloader",
       "efi,,variable-store=" D "/efi-store,"),
    OK("macos", HEAD "--bootloader macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D
                     "/hw-model,auxImagePath=" D "/aux.img\n",
       "--bootloader",
       "macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D "/hw-model,auxImagePath=" D "/aux.img"),
    OK("legacy --kernel/--initrd/--kernel-cmdline", BASE, "--kernel", D "/vmlinuz", "--initrd", D "/initrd",
       "--kernel-cmdline", "console=hvc0"),
    OK("legacy short flags", BASE, "-k", D "/vmlinuz", "-i", D "/initrd", "-C", "console=hvc0"),
    OK("legacy cmdline keeps its quotes",
       HEAD "--kernel " D "/vmlinuz\n--initrd " D "/initrd\n--kernel-cmdline \"quoted\"\n", "--kernel",
       D "/vmlinuz", "--initrd", D "/initrd", "--kernel-cmdline", "\"quoted\""),
    BAD("no bootloader", "empty option list in --bootloader command line argument", "--cpus", "2"),
    BAD("empty bootloader", "empty option list in --bootloader command line argument", "--bootloader", ""),
    BAD("legacy flags set but empty", "empty option list in --bootloader command line argument", "--kernel", "",
        "--initrd", "", "--kernel-cmdline", ""),
    BAD("unknown bootloader type", "unknown bootloader type: bios", "--bootloader", "bios"),
    BAD("bootloader type is case-sensitive", "unknown bootloader type: Linux", "--bootloader", "Linux"),
    BAD("mismatched quote",
        "invalid argument \"linux,cmdline=\\\"abc\" for \"-b, --bootloader\" flag: mismatched \"", "--bootloader",
        "linux,cmdline=\"abc"),
    BAD("linux: unknown option", "unknown option for Linux bootloaders: root", "--bootloader",
        "linux,kernel=" D "/vmlinuz,root=/dev/vda"),
    BAD("linux: no kernel", "missing kernel path", "--bootloader", "linux,initrd=" D "/initrd"),
    BAD("linux: kernel missing", "open " D "/nope: no such file or directory", "--bootloader",
        "linux,kernel=" D "/nope"),
    BAD("linux: compressed kernel on arm64 (vfkit's words, then what to do)",
        "kernel must be uncompressed, " D "/vmlinuz.gz is a compressed file\ncvz: an arm64 kernel must be a raw Image "
        "(magic \"ARM\\x64\" at offset 0x38): a vmlinuz is usually a gzip of it (gunzip -c vmlinuz > Image), else use "
        "the kernel's scripts/extract-vmlinux; a test placeholder needs those 4 bytes at 0x38",
        "--bootloader", "linux,kernel=" D "/vmlinuz.gz"),
    BAD("linux: empty kernel file", "read " D "/empty.img: EOF", "--bootloader", "linux,kernel=" D "/empty.img"),
    BAD("linux: initrd missing", "stat " D "/nope: no such file or directory", "--bootloader",
        "linux,kernel=" D "/vmlinuz,initrd=" D "/nope"),
    BAD("linux: '~' is not expanded", "open ~/vmlinuz: no such file or directory", "--bootloader",
        "linux,kernel=~/vmlinuz"),
    BAD("efi: unknown option", "unknown option for EFI bootloaders: store", "--bootloader", "efi,store=/a"),
    BAD("efi: create takes no value", "unexpected value for EFI bootloader 'create' option: yes", "--bootloader",
        "efi,variable-store=/a,create=yes"),
    BAD("efi: no variable store", "missing EFI store path", "--bootloader", "efi,create"),
    BAD("efi: store missing without create", "stat " D "/nope: no such file or directory", "--bootloader",
        "efi,variable-store=" D "/nope"),
    BAD("macos: unknown option", "unknown option for macOS bootloaders: foo", "--bootloader", "macos,foo=bar"),
    BAD("macos: missing option", "missing mandatory 'machineIdentifierPath' option for macOS bootloader",
        "--bootloader", "macos,hardwareModelPath=" D "/hw-model,auxImagePath=" D "/aux.img"),
    BAD("macos: hardware model missing", "open " D "/nope: no such file or directory", "--bootloader",
        "macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D "/nope,auxImagePath=" D "/aux.img"),
    BAD("macos: with --nested", "nested virtualization is not supported with the macOS bootloader", "--nested",
        "--bootloader",
        "macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D "/hw-model,auxImagePath=" D "/aux.img"),
    BAD("legacy: --kernel alone",
        "if any flags in the group [kernel initrd kernel-cmdline] are set they must all be set; missing [initrd "
        "kernel-cmdline]",
        "--kernel", D "/vmlinuz"),
    BAD("legacy: --initrd alone",
        "if any flags in the group [kernel initrd kernel-cmdline] are set they must all be set; missing [kernel "
        "kernel-cmdline]",
        "--initrd", D "/initrd"),
    BAD("legacy: without --kernel-cmdline",
        "if any flags in the group [kernel initrd kernel-cmdline] are set they must all be set; missing "
        "[kernel-cmdline]",
        "--kernel", D "/vmlinuz", "--initrd", D "/initrd"),
    BAD("legacy: --kernel with --bootloader (required-together first)",
        "if any flags in the group [kernel initrd kernel-cmdline] are set they must all be set; missing [initrd "
        "kernel-cmdline]",
        "--kernel", D "/vmlinuz", LINUX),
    BAD("legacy: all three with --bootloader (initrd reported first)",
        "if any flags in the group [initrd bootloader] are set none of the others can be; [bootloader initrd] were "
        "all set",
        "--kernel", "k", "--initrd", "i", "--kernel-cmdline", "c", "--bootloader", "efi"),

    /* ---- virtio-blk ---- */
    OK("virtio-blk", BASE DEV("virtio-blk,path=" D "/disk.img"), LINUX, "--device", "virtio-blk,path=" D "/disk.img"),
    OK("virtio-blk: all options, canonical order",
       BASE DEV("virtio-blk,path=" D "/disk.img,type=image,readonly,deviceId=vda-id"), LINUX, "-d",
       "virtio-blk,deviceId=vda-id,readonly,type=image,path=" D "/disk.img"),
    OK("virtio-blk: empty type is the default", BASE DEV("virtio-blk,path=" D "/disk.img"), LINUX, "--device",
       "virtio-blk,path=" D "/disk.img,type="),
    OK("virtio-blk: the last path wins", BASE DEV("virtio-blk,path=" D "/disk.img"), LINUX, "--device",
       "virtio-blk,path=" D "/nope.img,path=" D "/disk.img"),
    OK("virtio-blk: empty options are skipped", BASE DEV("virtio-blk,path=" D "/disk.img"), LINUX, "--device",
       "virtio-blk,,path=" D "/disk.img,"),
    OK("devices keep their order",
       BASE DEV("virtio-rng") DEV("virtio-blk,path=" D "/disk.img") DEV("virtio-blk,path=" D "/disk2.img"), LINUX,
       "--device", "virtio-rng", "--device", "virtio-blk,path=" D "/disk.img", "--device",
       "virtio-blk,path=" D "/disk2.img"),
    BAD("virtio-blk: bad type", "unexpected value for disk 'type' option: raw", LINUX, "--device",
        "virtio-blk,path=" D "/disk.img,type=raw"),
    BAD("virtio-blk: readonly takes no value", "unexpected value for virtio-blk 'readonly' option: true", LINUX,
        "--device", "virtio-blk,path=" D "/disk.img,readonly=true"),
    BAD("virtio-blk: no path", "failed to open file : open : no such file or directory", LINUX, "--device",
        "virtio-blk"),
    BAD("virtio-blk: missing image",
        "failed to open file " D "/nope.img: open " D "/nope.img: no such file or directory", LINUX, "--device",
        "virtio-blk,path=" D "/nope.img"),
    BAD("virtio-blk: empty image", "failed to read the header of file " D "/empty.img: EOF", LINUX, "--device",
        "virtio-blk,path=" D "/empty.img"),
    BAD("virtio-blk: qcow2", "cvz does not support qcow2 image format", LINUX, "--device",
        "virtio-blk,path=" D "/qcow2.img"),
    BAD("virtio-blk: unknown option", "unknown option for virtio-blk devices: cache", LINUX, "--device",
        "virtio-blk,path=" D "/disk.img,cache=cached"),
    BAD("virtio-blk: no quoting in --device", "unknown option for virtio-blk devices: b\"", LINUX, "--device",
        "virtio-blk,path=\"" D "/a,b\""),
    BAD("virtio-blk: nothing is trimmed", "unknown option for virtio-blk devices:  readonly", LINUX, "--device",
        "virtio-blk,path=" D "/disk.img, readonly"),
    BAD("virtio-blk: deviceId longer than 20 bytes", "invalid deviceId 'abcdefghijklmnopqrstu': it must be at most 20 bytes",
        LINUX, "--device", "virtio-blk,path=" D "/disk.img,deviceId=abcdefghijklmnopqrstu"),
    BAD("virtio-blk: type=dev needs a block device", D "/disk.img is not a block device", LINUX, "--device",
        "virtio-blk,path=" D "/disk.img,type=dev"),
    BAD("device type is case-sensitive", "unknown device type: Virtio-blk", LINUX, "--device",
        "Virtio-blk,path=" D "/disk.img"),
    BAD("unknown device type", "unknown device type: virtio-sound", LINUX, "--device", "virtio-sound"),
    BAD("empty device", "unknown device type: ", LINUX, "--device", ""),

    /* ---- nvme and usb-mass-storage ---- */
    OK("nvme", BASE DEV("nvme,path=" D "/disk.img"), LINUX, "--device", "nvme,path=" D "/disk.img"),
    OK("nvme: type and readonly", BASE DEV("nvme,path=" D "/disk.img,type=image,readonly"), LINUX, "--device",
       "nvme,readonly,type=image,path=" D "/disk.img"),
    OK("usb-mass-storage", BASE DEV("usb-mass-storage,path=" D "/disk.img,readonly"), LINUX, "--device",
       "usb-mass-storage,path=" D "/disk.img,readonly"),
    BAD("nvme: no path", "missing mandatory 'path' option for nvme device", LINUX, "--device", "nvme"),
    BAD("nvme: missing image (checked when the VM is built)", "open " D "/nope: no such file or directory", LINUX,
        "--device", "nvme,path=" D "/nope"),
    BAD("nvme: no deviceId option", "unknown option for nvme devices: deviceId", LINUX, "--device",
        "nvme,path=" D "/disk.img,deviceId=x"),
    BAD("nvme: readonly names the device", "unexpected value for nvme 'readonly' option: 1", LINUX, "--device",
        "nvme,path=" D "/disk.img,readonly=1"),
    BAD("usb-mass-storage: no path", "missing mandatory 'path' option for usb-mass-storage device", LINUX,
        "--device", "usb-mass-storage,readonly"),
    BAD("usb-mass-storage: unknown option", "unknown option for usb-mass-storage devices: uri", LINUX, "--device",
        "usb-mass-storage,uri=x"),

    /* ---- nbd ---- */
    OK("nbd", BASE DEV("nbd,uri=nbd://1.1.1.1:10000,deviceId=vdb,timeout=1000,sync=none"), LINUX, "--device",
       "nbd,uri=nbd://1.1.1.1:10000,deviceId=vdb,timeout=1000,sync=none"),
    OK("nbd: defaults (timeout 15000, sync full)", BASE DEV("nbd,uri=nbds://host/export,deviceId=d,timeout=15000,sync=full"),
       LINUX, "--device", "nbd,deviceId=d,uri=nbds://host/export"),
    OK("nbd: readonly, canonical order", BASE DEV("nbd,uri=nbd+unix:///e?socket=/s,readonly,deviceId=d,timeout=15000,sync=full"),
       LINUX, "--device", "nbd,readonly,deviceId=d,uri=nbd+unix:///e?socket=/s"),
    OK("nbd: timeout=0 is kept and omitted", BASE DEV("nbd,uri=nbd://h/e,deviceId=d,sync=full"), LINUX, "--device",
       "nbd,uri=nbd://h/e,deviceId=d,timeout=0"),
    OK("nbd: negative timeout is kept and omitted", BASE DEV("nbd,uri=nbd://h/e,deviceId=d,sync=full"), LINUX,
       "--device", "nbd,uri=nbd://h/e,deviceId=d,timeout=-5"),
    BAD("nbd: timeout not a number", "strconv.ParseInt: parsing \"abc\": invalid syntax", LINUX, "--device",
        "nbd,uri=nbd://h/e,timeout=abc"),
    BAD("nbd: timeout out of 32 bits", "strconv.ParseInt: parsing \"99999999999\": value out of range", LINUX,
        "--device", "nbd,uri=nbd://h/e,timeout=99999999999"),
    BAD("nbd: bad sync", "invalid sync mode: fsync, must be 'full' or 'none'", LINUX, "--device",
        "nbd,uri=nbd://h/e,sync=fsync"),
    BAD("nbd: unknown option", "unknown option for nbd devices: path", LINUX, "--device", "nbd,path=/x"),
    BAD("nbd: no uri", "nbd devices need the uri to a remote block device", LINUX, "--device", "nbd,deviceId=d"),
    BAD("nbd: bad scheme", "invalid nbd uri 'http://h/e': the scheme must be nbd, nbds, nbd+unix or nbds+unix",
        LINUX, "--device", "nbd,uri=http://h/e,deviceId=d"),
    BAD("nbd: no deviceId", "missing mandatory 'deviceId' option for nbd device", LINUX, "--device",
        "nbd,uri=nbd://h/e"),
    BAD("nbd: deviceId with a slash", "invalid nbd deviceId 'a/b': it must not contain '/'", LINUX, "--device",
        "nbd,uri=nbd://h/e,deviceId=a/b"),

    /* ---- virtio-fs and rosetta ---- */
    OK("virtio-fs", BASE DEV("virtio-fs,sharedDir=" D "/share,mountTag=tag"), LINUX, "--device",
       "virtio-fs,mountTag=tag,sharedDir=" D "/share"),
    OK("virtio-fs: no tag", BASE DEV("virtio-fs,sharedDir=" D "/share"), LINUX, "--device",
       "virtio-fs,sharedDir=" D "/share"),
    OK("virtio-fs: value split at the first =", BASE DEV("virtio-fs,sharedDir=/a=b"), LINUX, "--device",
       "virtio-fs,sharedDir=/a=b"),
    BAD("virtio-fs: comma in a quoted value", "unknown option for virtio-fs devices: b\"", LINUX, "--device",
        "virtio-fs,sharedDir=\"/a,b\""),
    BAD("virtio-fs: no sharedDir", "missing mandatory 'sharedDir' option for virtio-fs device", LINUX, "--device",
        "virtio-fs,mountTag=t"),
    BAD("virtio-fs: unknown option", "unknown option for virtio-fs devices: tag", LINUX, "--device",
        "virtio-fs,sharedDir=/a,tag=t"),
    OK("rosetta", BASE DEV("rosetta,mountTag=rosetta,install,ignore-if-missing"), LINUX, "--device",
       "rosetta,ignore-if-missing,install,mountTag=rosetta"),
    OK("rosetta: values of install are ignored", BASE DEV("rosetta,mountTag=r,install"), LINUX, "--device",
       "rosetta,mountTag=r,install=no"),
    BAD("rosetta: the documented ignoreIfMissing is rejected", "unknown option for rosetta share: ignoreIfMissing",
        LINUX, "--device", "rosetta,mountTag=r,ignoreIfMissing"),
    BAD("rosetta: no mountTag", "missing mandatory 'mountTag' option for rosetta share", LINUX, "--device",
        "rosetta,install"),
    BAD_ENV("rosetta: on x86_64", X86, "rosetta is unsupported on non-arm64 platforms", LINUX, "--device",
            "rosetta,mountTag=r"),

    /* ---- virtio-vsock ---- */
    OK("virtio-vsock: listen is the default", BASE DEV("virtio-vsock,port=5,socketURL=/tmp/v.sock,listen"), LINUX,
       "--device", "virtio-vsock,port=5,socketURL=/tmp/v.sock"),
    OK("virtio-vsock: connect", BASE DEV("virtio-vsock,port=1234,socketURL=/foo/bar.unix,connect"), LINUX,
       "--device", "virtio-vsock,socketURL=/foo/bar.unix,connect,port=1234"),
    OK("virtio-vsock: the last of listen/connect wins", BASE DEV("virtio-vsock,port=5,socketURL=/s,listen"), LINUX,
       "--device", "virtio-vsock,port=5,socketURL=/s,connect,listen"),
    OK("virtio-vsock: several devices", BASE DEV("virtio-vsock,port=5,socketURL=/a,listen")
                                            DEV("virtio-vsock,port=6,socketURL=/b,connect"),
       LINUX, "--device", "virtio-vsock,port=5,socketURL=/a", "--device", "virtio-vsock,port=6,socketURL=/b,connect"),
    BAD("virtio-vsock: port not a number", "strconv.ParseUint: parsing \"abc\": invalid syntax", LINUX, "--device",
        "virtio-vsock,port=abc"),
    BAD("virtio-vsock: negative port", "strconv.ParseUint: parsing \"-1\": invalid syntax", LINUX, "--device",
        "virtio-vsock,port=-1"),
    BAD("virtio-vsock: port above 32 bits", "strconv.ParseUint: parsing \"4294967296\": value out of range", LINUX,
        "--device", "virtio-vsock,port=4294967296"),
    BAD("virtio-vsock: empty port", "strconv.ParseUint: parsing \"\": invalid syntax", LINUX, "--device",
        "virtio-vsock,port=,socketURL=/s"),
    BAD("virtio-vsock: no socket", "virtio-vsock needs both a port and a socket URL", LINUX, "--device",
        "virtio-vsock,port=5"),
    BAD("virtio-vsock: unknown option", "unknown option for virtio-vsock devices: cid", LINUX, "--device",
        "virtio-vsock,cid=3"),

    /* ---- virtio-rng, virtio-balloon ---- */
    OK("virtio-rng", BASE DEV("virtio-rng"), LINUX, "--device", "virtio-rng"),
    OK("virtio-rng: a trailing comma is empty", BASE DEV("virtio-rng"), LINUX, "--device", "virtio-rng,"),
    OK("virtio-balloon", BASE DEV("virtio-balloon"), LINUX, "--device", "virtio-balloon"),
    BAD("virtio-rng: any option", "unknown options for virtio-rng devices: [{foo }]", LINUX, "--device",
        "virtio-rng,foo"),
    BAD("virtio-rng: options listed the Go way", "unknown options for virtio-rng devices: [{a b} {c }]", LINUX,
        "--device", "virtio-rng,a=b,c"),
    BAD("virtio-balloon: any option", "unknown options for virtio-balloon devices: [{size 1}]", LINUX, "--device",
        "virtio-balloon,size=1"),

    /* ---- virtio-serial ---- */
    OK("virtio-serial: stdio", BASE DEV("virtio-serial,stdio"), LINUX, "--device", "virtio-serial,stdio"),
    OK("virtio-serial: pty", BASE DEV("virtio-serial,pty"), LINUX, "--device", "virtio-serial,pty"),
    OK("virtio-serial: pty ignores a value", BASE DEV("virtio-serial,pty"), LINUX, "--device", "virtio-serial,pty=x"),
    OK("virtio-serial: logFilePath", BASE DEV("virtio-serial,logFilePath=/tmp/vm.log"), LINUX, "--device",
       "virtio-serial,logFilePath=/tmp/vm.log"),
    BAD("virtio-serial: nothing", "one of 'logFilePath', 'stdio' or 'pty' must be set", LINUX, "--device",
        "virtio-serial"),
    BAD("virtio-serial: empty logFilePath", "one of 'logFilePath', 'stdio' or 'pty' must be set", LINUX, "--device",
        "virtio-serial,logFilePath="),
    BAD("virtio-serial: logFilePath and stdio", "'logFilePath' and 'stdio' cannot be set at the same time", LINUX,
        "--device", "virtio-serial,stdio,logFilePath=/l"),
    BAD("virtio-serial: logFilePath and pty", "'logFilePath' and 'pty' cannot be set at the same time", LINUX,
        "--device", "virtio-serial,pty,logFilePath=/l"),
    BAD("virtio-serial: stdio and pty", "'stdio' and 'pty' cannot be set at the same time", LINUX, "--device",
        "virtio-serial,stdio,pty"),
    BAD("virtio-serial: stdio takes no value", "unexpected value for virtio-serial 'stdio' option: yes", LINUX,
        "--device", "virtio-serial,stdio=yes"),
    BAD("virtio-serial: unknown option", "unknown option for virtio-serial devices: file", LINUX, "--device",
        "virtio-serial,file=/l"),

    /* ---- virtio-net ---- */
    OK("virtio-net: nat", BASE DEV("virtio-net,nat"), LINUX, "--device", "virtio-net,nat"),
    OK("virtio-net: mac printed lower-case, last", BASE DEV("virtio-net,nat,mac=52:54:00:70:2b:71"), LINUX,
       "--device", "virtio-net,mac=52:54:00:70:2B:71,nat"),
    OK("virtio-net: mac with dashes", BASE DEV("virtio-net,nat,mac=52:54:00:70:2b:71"), LINUX, "--device",
       "virtio-net,nat,mac=52-54-00-70-2b-71"),
    OK("virtio-net: mac with dots", BASE DEV("virtio-net,nat,mac=52:54:00:70:2b:71"), LINUX, "--device",
       "virtio-net,nat,mac=5254.0070.2B71"),
    OK("virtio-net: fd", BASE DEV("virtio-net,fd=3,mac=00:11:22:33:44:55"), LINUX, "--device",
       "virtio-net,fd=3,mac=00:11:22:33:44:55"),
    OK("virtio-net: unixSocketPath", BASE DEV("virtio-net,unixSocketPath=/tmp/unix.sock"), LINUX, "--device",
       "virtio-net,unixSocketPath=/tmp/unix.sock"),
    OK("virtio-net: type=unixgram,path= (vfkitMagic on)", BASE DEV("virtio-net,unixSocketPath=/tmp/default.sock"),
       LINUX, "--device", "virtio-net,type=unixgram,path=/tmp/default.sock"),
    OK("virtio-net: vfkitMagic=off", BASE DEV("virtio-net,type=unixgram,path=/tmp/s.sock,vfkitMagic=off"), LINUX,
       "--device", "virtio-net,unixSocketPath=/tmp/s.sock,vfkitMagic=off"),
    OK("virtio-net: offloading=off is accepted and ignored", BASE DEV("virtio-net,unixSocketPath=/tmp/t.sock"), LINUX,
       "--device", "virtio-net,type=unixgram,path=/tmp/t.sock,offloading=off"),
    OK("virtio-net: vfkitMagic with nat has no effect", BASE DEV("virtio-net,nat"), LINUX, "--device",
       "virtio-net,nat,vfkitMagic=on"),
    BAD("virtio-net: nat is not implied", "one of 'nat' or 'fd' or 'unixSocketPath' must be set", LINUX, "--device",
        "virtio-net"),
    BAD("virtio-net: mac alone", "one of 'nat' or 'fd' or 'unixSocketPath' must be set", LINUX, "--device",
        "virtio-net,mac=52:54:00:70:2b:71"),
    BAD("virtio-net: nat takes no value", "unexpected value for virtio-net 'nat' option: yes", LINUX, "--device",
        "virtio-net,nat=yes"),
    BAD("virtio-net: short mac", "address 52:54:00:70:2b: invalid MAC address", LINUX, "--device",
        "virtio-net,nat,mac=52:54:00:70:2b"),
    BAD("virtio-net: mac with mixed separators", "address 52:54-00:70:2b:71: invalid MAC address", LINUX, "--device",
        "virtio-net,nat,mac=52:54-00:70:2b:71"),
    BAD("virtio-net: empty mac", "invalid MAC address", LINUX, "--device", "virtio-net,nat,mac="),
    BAD("virtio-net: 8-byte EUI-64 (vfkit accepts it)",
        "address 00:11:22:33:44:55:66:77: invalid MAC address: 8 bytes, a network device's MAC address has 6", LINUX,
        "--device", "virtio-net,nat,mac=00:11:22:33:44:55:66:77"),
    BAD("virtio-net: 20-byte address (vfkit accepts it)",
        "address 0011.2233.4455.6677.8899.aabb.ccdd.eeff.0011.2233: invalid MAC address: 20 bytes, a network "
        "device's MAC address has 6",
        LINUX, "--device", "virtio-net,nat,mac=0011.2233.4455.6677.8899.aabb.ccdd.eeff.0011.2233"),
    BAD("virtio-net: fd not a number", "strconv.Atoi: parsing \"abc\": invalid syntax", LINUX, "--device",
        "virtio-net,fd=abc"),
    BAD("virtio-net: negative fd", "invalid file descriptor: -1", LINUX, "--device", "virtio-net,fd=-1"),
    BAD("virtio-net: fd above 2147483647", "invalid file descriptor: 2147483648", LINUX, "--device",
        "virtio-net,fd=2147483648"),
    BAD("virtio-net: bad type", "unsupported virtio-net type: foo (only 'unixgram' is supported)", LINUX, "--device",
        "virtio-net,type=foo"),
    BAD("virtio-net: type without path", "'type' option requires 'path' to be specified", LINUX, "--device",
        "virtio-net,type=unixgram"),
    BAD("virtio-net: path without type", "'path' option requires 'type' to be specified", LINUX, "--device",
        "virtio-net,path=/tmp/s.sock"),
    BAD("virtio-net: offloading without type (named first)", "'offloading' option requires 'type' to be specified",
        LINUX, "--device", "virtio-net,offloading=off,path=/tmp/s.sock"),
    BAD("virtio-net: offloading=on", "invalid value for offloading: on (only 'off' is supported)", LINUX, "--device",
        "virtio-net,type=unixgram,path=/tmp/s.sock,offloading=on"),
    BAD("virtio-net: bad vfkitMagic", "invalid value for vfkitMagic: maybe (expected on/off)", LINUX, "--device",
        "virtio-net,unixSocketPath=/tmp/s.sock,vfkitMagic=maybe"),
    BAD("virtio-net: nat and fd", "'nat' and 'fd' cannot be set at the same time", LINUX, "--device",
        "virtio-net,nat,fd=3"),
    BAD("virtio-net: nat and unixSocketPath", "'nat' and 'unixSocketPath' cannot be set at the same time", LINUX,
        "--device", "virtio-net,nat,unixSocketPath=/tmp/s.sock"),
    BAD("virtio-net: fd and unixSocketPath", "'fd' and 'unixSocketPath' cannot be set at the same time", LINUX,
        "--device", "virtio-net,fd=3,unixSocketPath=/tmp/s.sock"),
    BAD("virtio-net: unknown option", "unknown option for virtio-net devices: bridge", LINUX, "--device",
        "virtio-net,nat,bridge=en0"),
    BAD("virtio-net: unixgram path too long",
        "unixgram path '" LONG_DIR "/cvz-@ANY@.sock' is too long: @ANY@ bytes, the limit is 103", LINUX, "--device",
        "virtio-net,unixSocketPath=" LONG_DIR "/peer.sock"),

    /* ---- virtio-input, virtio-gpu ---- */
    OK("virtio-input: pointing", BASE DEV("virtio-input,pointing"), LINUX, "--device", "virtio-input,pointing"),
    OK("virtio-input: keyboard", BASE DEV("virtio-input,keyboard"), LINUX, "--device", "virtio-input,keyboard"),
    OK("virtio-input: the last type wins", BASE DEV("virtio-input,keyboard"), LINUX, "--device",
       "virtio-input,pointing,keyboard"),
    BAD("virtio-input: no type", "unknown option for virtio-input devices: ", LINUX, "--device", "virtio-input"),
    BAD("virtio-input: unknown type", "unknown option for virtio-input devices: mouse", LINUX, "--device",
        "virtio-input,mouse"),
    BAD("virtio-input: type takes no value", "unexpected value for virtio-input keyboard option: 1", LINUX,
        "--device", "virtio-input,keyboard=1"),
    OK("virtio-gpu: 800x600 by default", BASE DEV("virtio-gpu,width=800,height=600"), LINUX, "--device",
       "virtio-gpu"),
    OK("virtio-gpu: both dimensions", BASE DEV("virtio-gpu,width=1920,height=1080"), LINUX, "--device",
       "virtio-gpu,height=1080,width=1920"),
    BAD("virtio-gpu: width alone", "invalid dimensions for virtio-gpu device resolution: 1920x0", LINUX, "--device",
        "virtio-gpu,width=1920"),
    BAD("virtio-gpu: height alone", "invalid dimensions for virtio-gpu device resolution: 0x1080", LINUX, "--device",
        "virtio-gpu,height=1080"),
    BAD("virtio-gpu: zero width", "invalid value for virtio-gpu width: 0", LINUX, "--device",
        "virtio-gpu,width=0,height=600"),
    BAD("virtio-gpu: height not a number", "invalid value for virtio-gpu height: tall", LINUX, "--device",
        "virtio-gpu,width=800,height=tall"),
    BAD("virtio-gpu: unknown option", "unknown option for virtio-gpu devices: depth", LINUX, "--device",
        "virtio-gpu,depth=32"),

    /* ---- --timesync ---- */
    OK("timesync", BASE "--timesync vsockPort=1234\n", LINUX, "--timesync", "vsockPort=1234"),
    OK("timesync: -t, empty elements skipped", BASE "--timesync vsockPort=5\n", LINUX, "-t", "vsockPort=5,"),
    OK("timesync: empty means off", BASE, LINUX, "--timesync", ""),
    BAD("timesync: no port", "missing 'vsockPort' option for timesync parameter", LINUX, "--timesync", "vsockPort=0"),
    BAD("timesync: unknown option", "unknown option for timesync parameter: port", LINUX, "--timesync", "port=5"),
    BAD("timesync: bad port", "strconv.ParseUint: parsing \"x\": invalid syntax", LINUX, "--timesync", "vsockPort=x"),

    /* ---- --ignition ---- */
    OK("ignition: a vsock device on port 1024, then --ignition",
       BASE DEV("virtio-vsock,port=1024,socketURL=" D "/tmp/cvz-ignition-@ANY@.sock,listen") "--ignition " D "/ign.json\n",
       LINUX, "--ignition", D "/ign.json"),
    BAD("ignition: one path only", "ignition only accepts one option in command line argument", LINUX, "--ignition",
        "a.ign,b.ign"),

    /* ---- --cloud-init ---- */
    OK("cloud-init: the ISO goes after the user's devices", BASE DEV("virtio-rng") DEV(ISO), LINUX, "--device",
       "virtio-rng", "--cloud-init", D "/cloud/user-data," D "/cloud/meta-data"),
    OK("cloud-init: user-data alone is enough", BASE DEV(ISO), LINUX, "--cloud-init", D "/cloud/user-data"),
    OK("cloud-init: repeated flags, quoted elements, other names ignored", BASE DEV(ISO), LINUX, "--cloud-init",
       "\"" D "/cloud/meta-data\"", "--cloud-init", D "/cloud/network-config," D "/cloud/other"),
    OK("cloud-init: an empty value does nothing", BASE, LINUX, "--cloud-init="),
    BAD("cloud-init: neither user-data nor meta-data", "cloud-init needs user-data and meta-data files to work",
        LINUX, "--cloud-init", D "/cloud/network-config," D "/cloud/other"),
    BAD("cloud-init: only empty elements", "cloud-init needs user-data and meta-data files to work", LINUX,
        "--cloud-init", ","),
    BAD("cloud-init: a missing file", "open " D "/cloud/nope: no such file or directory", LINUX, "--cloud-init",
        D "/cloud/nope," D "/cloud/user-data"),
    BAD("cloud-init: mismatched quote", "invalid argument \"\\\"x\" for \"--cloud-init\" flag: mismatched \"",
        LINUX, "--cloud-init", "\"x"),

    /* ---- --gui ---- */
    OK("gui: adds a display and a keyboard", BASE DEV("virtio-gpu,width=800,height=600") DEV("virtio-input,keyboard") "--gui\n",
       LINUX, "--gui"),
    OK("gui: keeps the user's display", BASE DEV("virtio-gpu,width=1920,height=1080") DEV("virtio-input,keyboard") "--gui\n",
       LINUX, "--gui", "--device", "virtio-gpu,width=1920,height=1080"),
    OK("gui: keeps the user's input", BASE DEV("virtio-input,pointing") DEV("virtio-gpu,width=800,height=600") "--gui\n",
       LINUX, "--device", "virtio-input,pointing", "--gui"),
    OK("gui: after the cloud-init disk", BASE DEV(ISO) DEV("virtio-gpu,width=800,height=600") DEV("virtio-input,keyboard") "--gui\n",
       LINUX, "--gui", "--cloud-init", D "/cloud/user-data"),

    /* ---- files the user names: a FIFO blocks, a device has no end; a log never overwrites a VM's file ---- */
    BAD("kernel: a FIFO", D "/fifo is a FIFO, not a regular file", "--bootloader", "linux,kernel=" D "/fifo"),
    BAD("kernel: a device", "/dev/zero is a character device, not a regular file", "--bootloader",
        "linux,kernel=/dev/zero"),
    BAD("kernel: a directory", D "/share is a directory, not a regular file", "--bootloader",
        "linux,kernel=" D "/share"),
    BAD("initrd: a FIFO", D "/fifo is a FIFO, not a regular file", "--bootloader",
        "linux,kernel=" D "/vmlinuz,initrd=" D "/fifo"),
    BAD("efi store: a device", "/dev/null is a character device, not a regular file", "--bootloader",
        "efi,variable-store=/dev/null"),
    BAD("macos: machine identifier a FIFO", D "/fifo is a FIFO, not a regular file", "--bootloader",
        "macos,machineIdentifierPath=" D "/fifo,hardwareModelPath=" D "/hw-model,auxImagePath=" D "/aux.img"),
    BAD("virtio-blk: a FIFO", "failed to open file " D "/fifo: " D "/fifo is a FIFO, not a regular file", LINUX,
        "--device", "virtio-blk,path=" D "/fifo"),
    BAD("nvme: a device", "/dev/zero is a character device, not a regular file", LINUX, "--device",
        "nvme,path=/dev/zero"),
    BAD("cloud-init: a FIFO", D "/fifo is a FIFO, not a regular file", LINUX, "--cloud-init",
        D "/cloud/user-data," D "/fifo"),
    BAD("serial log: the VM's own disk",
        "refusing to use " D "/disk.img as a serial log file: it is " D "/disk.img, which the VM uses (the log would "
        "overwrite it)",
        LINUX, "--device", "virtio-blk,path=" D "/disk.img", "--device", "virtio-serial,logFilePath=" D "/disk.img"),
    BAD("serial log: the same disk by another name",
        "refusing to use " D "/./disk2.img as a serial log file: it is " D "/disk2.img, which the VM uses (the log "
        "would overwrite it)",
        LINUX, "--device", "virtio-serial,logFilePath=" D "/./disk2.img", "--device", "nvme,path=" D "/disk2.img"),
    BAD("serial log: the kernel",
        "refusing to use " D "/vmlinuz as a serial log file: it is " D "/vmlinuz, which the VM uses (the log would "
        "overwrite it)",
        LINUX, "--device", "virtio-serial,logFilePath=" D "/vmlinuz"),
    BAD("serial log: a FIFO", D "/fifo is a FIFO, not a regular file", LINUX, "--device",
        "virtio-serial,logFilePath=" D "/fifo"),
    OK("serial log: a new file", BASE DEV("virtio-serial,logFilePath=" D "/new.log"), LINUX, "--device",
       "virtio-serial,logFilePath=" D "/new.log"),

    /* ---- --restful-uri, --log-level, --nested, --pidfile ---- */
    OK("restful-uri: tcp", BASE "--restful-uri tcp://localhost:8081\n", LINUX, "--restful-uri",
       "tcp://localhost:8081"),
    OK("restful-uri: http is a synonym", BASE "--restful-uri http://127.0.0.1:8081\n", LINUX, "--restful-uri",
       "http://127.0.0.1:8081"),
    OK("restful-uri: tcp on every address", BASE "--restful-uri tcp://:8081\n", LINUX, "--restful-uri",
       "tcp://:8081"),
    OK("restful-uri: unix", BASE "--restful-uri unix:///tmp/rest.sock\n", LINUX, "--restful-uri",
       "unix:///tmp/rest.sock"),
    OK("restful-uri: none:// is the default", BASE, LINUX, "--restful-uri", "none://"),
    BAD("restful-uri: unknown scheme", "invalid scheme ftp", LINUX, "--restful-uri", "ftp://host:21"),
    BAD("restful-uri: host:port is read as a scheme", "invalid scheme localhost", LINUX, "--restful-uri",
        "localhost:8081"),
    BAD("restful-uri: no port", "invalid TCP uri: missing port", LINUX, "--restful-uri", "tcp://localhost"),
    BAD("restful-uri: no host (checked first)", "invalid TCP uri: missing host", LINUX, "--restful-uri", "tcp:///p"),
    BAD("restful-uri: tcp with a path", "invalid TCP uri: path is forbidden", LINUX, "--restful-uri",
        "tcp://localhost:8081/vm"),
    BAD("restful-uri: bad port", "parse \"tcp://localhost:http\": invalid port \":http\" after host", LINUX,
        "--restful-uri", "tcp://localhost:http"),
    BAD("restful-uri: unix without path", "invalid unix uri: missing path", LINUX, "--restful-uri", "unix://"),
    BAD("restful-uri: unix with a host", "invalid unix uri: host is forbidden", LINUX, "--restful-uri",
        "unix://tmp/rest.sock"),
    BAD("restful-uri: unix path too long", "invalid unix uri: socket path length exceeds macOS limits", LINUX,
        "--restful-uri", "unix://" LONG_DIR "/rest.sock"),
    BAD("restful-uri: not a URI", "parse \"rest\": invalid URI for request", LINUX, "--restful-uri", "rest"),
    BAD("restful-uri: empty", "parse \"\": empty url", LINUX, "--restful-uri", ""),
    /* getaddrinfo would listen on 99999 - 65536 = 34463, and on a random port for 65536 */
    BAD("restful-uri: port past 65535", "invalid TCP uri: port \"99999\" is not a number from 0 to 65535", LINUX,
        "--restful-uri", "tcp://127.0.0.1:99999"),
    BAD("restful-uri: port 65536", "invalid TCP uri: port \"65536\" is not a number from 0 to 65535", LINUX,
        "--restful-uri", "tcp://127.0.0.1:65536"),
    BAD("restful-uri: IPv6 with a port name", "invalid TCP uri: port \"http\" is not a number from 0 to 65535",
        LINUX, "--restful-uri", "tcp://[::1]:http"),
    OK("restful-uri: port 65535", BASE "--restful-uri tcp://[::1]:65535\n", LINUX, "--restful-uri",
       "tcp://[::1]:65535"),
    BAD("restful-uri: credentials are refused, nothing would check them",
        "invalid uri: user credentials are not supported (nothing would check them)", LINUX, "--restful-uri",
        "http://user:secret@127.0.0.1:8081"),
    OK("log-level", BASE "--log-level debug\n", LINUX, "--log-level", "debug"),
    BAD("log-level: warn is not accepted", "unknown log level: warn", LINUX, "--log-level", "warn"),
    OK("nested", BASE "--nested\n", LINUX, "--nested"),
    OK("pidfile", BASE "--pidfile /tmp/cvz.pid\n", LINUX, "--pidfile", "/tmp/cvz.pid"),

    /* ---- which error wins: vfkit's order of processing ---- */
    BAD("order: flag groups before the log level",
        "if any flags in the group [kernel initrd kernel-cmdline] are set they must all be set; missing [initrd "
        "kernel-cmdline]",
        "--log-level", "warn", "--kernel", "k"),
    BAD("order: log level before the bootloader", "unknown log level: warn", "--log-level", "warn"),
    BAD("order: bootloader before time sync", "unknown bootloader type: bios", "--bootloader", "bios", "--timesync",
        "x=1"),
    BAD("order: time sync before cloud-init", "unknown option for timesync parameter: x", LINUX, "--timesync", "x=1",
        "--cloud-init", D "/nope"),
    BAD("order: cloud-init before devices", "open " D "/nope: no such file or directory", LINUX, "--device",
        "virtio-foo", "--cloud-init", D "/nope"),
    BAD("order: devices in order", "unknown device type: virtio-foo", LINUX, "--device", "virtio-foo", "--device",
        "virtio-bar"),
    BAD("order: devices before ignition", "unknown device type: virtio-foo", LINUX, "--ignition", "a,b", "--device",
        "virtio-foo"),
    BAD("order: parse errors before VM-time checks", "unknown device type: virtio-foo", LINUX, "--device", "nvme",
        "--device", "virtio-foo"),
    BAD("order: the REST URI last", "missing mandatory 'path' option for nvme device", LINUX, "--device", "nvme",
        "--restful-uri", "ftp://x:1"),

    /* ---- command lines from vfkit's and podman's documentation ----
     * (host paths replaced by files of the scratch directory; everything else verbatim) */
    /* vfkit doc/usage.md, "Linux bootloader" example: ~ is not expanded */
    BAD("vfkit usage.md: linux example as written",
        "open ~/kernels/vmlinuz-5.18.18-200.fc36.aarch64: no such file or directory", "--bootloader",
        "linux,kernel=~/kernels/vmlinuz-5.18.18-200.fc36.aarch64,initrd=~/kernels/initramfs-5.18.18-200.fc36.aarch64."
        "img,cmdline=\"console=hvc0 root=UUID=164b4fc3-dc5a-40ea-a40b-c689a7bf41cf rw\""),
    OK("vfkit usage.md: linux example with real paths",
       HEAD "--kernel " D "/vmlinuz\n--initrd " D "/initrd\n"
            "--kernel-cmdline console=hvc0 root=UUID=164b4fc3-dc5a-40ea-a40b-c689a7bf41cf rw\n",
       "--bootloader",
       "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=\"console=hvc0 root=UUID=164b4fc3-dc5a-40ea-a40b-"
       "c689a7bf41cf rw\""),
    /* vfkit doc/usage.md, one example per device section */
    OK("vfkit usage.md: every device example",
       BASE DEV("virtio-blk,path=" D "/vfkit.img") DEV("usb-mass-storage,path=" D "/distro.iso")
           DEV("virtio-net,nat,mac=52:54:00:70:2b:71") DEV("virtio-serial,logFilePath=/Users/virtuser/vfkit.log")
               DEV("virtio-rng") DEV("virtio-vsock,port=5,socketURL=/Users/virtuser/vfkit.sock,listen")
                   DEV("virtio-fs,sharedDir=/Users/virtuser/vfkit/,mountTag=vfkit-share")
                       DEV("virtio-gpu,width=1920,height=1080") DEV("virtio-input,pointing"),
       LINUX, "--device", "virtio-blk,path=" D "/vfkit.img", "--device", "usb-mass-storage,path=" D "/distro.iso",
       "--device", "virtio-net,nat,mac=52:54:00:70:2b:71", "--device",
       "virtio-serial,logFilePath=/Users/virtuser/vfkit.log", "--device", "virtio-rng", "--device",
       "virtio-vsock,port=5,socketURL=/Users/virtuser/vfkit.sock", "--device",
       "virtio-fs,sharedDir=/Users/virtuser/vfkit/,mountTag=vfkit-share", "--device",
       "virtio-gpu,height=1080,width=1920", "--device", "virtio-input,pointing"),
    /* vfkit doc/usage.md, "Enabling a Graphical User Interface" */
    OK("vfkit usage.md: GUI usage",
       BASE DEV("virtio-input,keyboard") DEV("virtio-input,pointing") DEV("virtio-gpu,width=1920,height=1080") "--gui\n",
       LINUX, "--device", "virtio-input,keyboard", "--device", "virtio-input,pointing", "--device",
       "virtio-gpu,height=1080,width=1920", "--gui"),
    /* vfkit contrib/scripts/start-crc-bundle.sh */
    OK("vfkit start-crc-bundle.sh",
       "--cpus 2\n--memory 2048\n--bootloader efi,variable-store=efistore.nvram,create\n" DEV(
           "virtio-blk,path=" D "/overlay.img") DEV("virtio-serial,logFilePath=start-bundle.log")
           DEV("virtio-net,nat,mac=72:20:43:d4:38:62") DEV("virtio-rng"),
       "--cpus", "2", "--memory", "2048", "--bootloader", "efi,variable-store=efistore.nvram,create", "--device",
       "virtio-blk,path=" D "/overlay.img", "--device", "virtio-serial,logFilePath=start-bundle.log", "--device",
       "virtio-net,nat,mac=72:20:43:d4:38:62", "--device", "virtio-rng"),
    /* vfkit's EFI + GUI start script (pty console, REST on a unix socket) */
    OK("vfkit efi script with GUI and pty",
       "--cpus 2\n--memory 2048\n--bootloader efi,variable-store=efi-variable-store,create\n" DEV(
           "virtio-blk,path=" D "/overlay.img") DEV("virtio-net,nat,mac=72:20:43:d4:38:62") DEV("virtio-rng")
           DEV("virtio-serial,pty") DEV("virtio-input,keyboard") DEV("virtio-input,pointing")
               DEV("virtio-gpu,width=1920,height=1080") "--gui\n--restful-uri unix:///Users/teuf/dev/vfkit/rest.sock\n",
       "--cpus", "2", "--memory", "2048", "--bootloader", "efi,variable-store=efi-variable-store,create", "--device",
       "virtio-blk,path=" D "/overlay.img", "--device", "virtio-net,nat,mac=72:20:43:d4:38:62", "--device",
       "virtio-rng", "--restful-uri", "unix:///Users/teuf/dev/vfkit/rest.sock", "--device", "virtio-serial,pty",
       "--gui", "--device", "virtio-input,keyboard", "--device", "virtio-input,pointing", "--device",
       "virtio-gpu,width=1920,height=1080"),
    /* vfkit doc/boot-messages.md (the shell has removed the quotes around cmdline) */
    OK("vfkit boot-messages.md",
       "--cpus 2\n--memory 2048\n--kernel " D "/Image\n--initrd " D "/initrd.img\n"
       "--kernel-cmdline root=/dev/vda1 console=hvc0\n" DEV("virtio-blk,path=" D "/Fedora-Cloud-Image.raw")
           DEV("virtio-serial,logFilePath=/tmp/vm-console.log"),
       "--cpus", "2", "--memory", "2048", "--bootloader",
       "linux,kernel=" D "/Image,initrd=" D "/initrd.img,cmdline=root=/dev/vda1 console=hvc0", "--device",
       "virtio-blk,path=" D "/Fedora-Cloud-Image.raw", "--device", "virtio-serial,logFilePath=/tmp/vm-console.log"),
    /* podman machine (applehv), as podman runs vfkit */
    OK("podman machine applehv command line",
       "--cpus 2\n--memory 4096\n--bootloader efi,variable-store=" D "/efi-bl-podman-machine-default,create\n" DEV(
           "virtio-blk,path=" D "/podman-machine-default-arm64.raw") DEV("virtio-rng")
           DEV("virtio-vsock,port=1025,socketURL=" D "/podman-machine-default.sock,listen")
               DEV("virtio-serial,logFilePath=" D "/podman-machine-default.log")
                   DEV("virtio-net,unixSocketPath=" D "/podman-machine-default-gvproxy.sock,mac=5a:94:ef:e4:0c:ee")
                       "--restful-uri tcp://localhost:62126\n",
       "--cpus", "2", "--memory", "4096", "--bootloader",
       "efi,variable-store=" D "/efi-bl-podman-machine-default,create", "--device",
       "virtio-blk,path=" D "/podman-machine-default-arm64.raw", "--device", "virtio-rng", "--device",
       "virtio-vsock,port=1025,socketURL=" D "/podman-machine-default.sock,listen", "--device",
       "virtio-serial,logFilePath=" D "/podman-machine-default.log", "--device",
       "virtio-net,unixSocketPath=" D "/podman-machine-default-gvproxy.sock,mac=5a:94:ef:e4:0c:ee", "--restful-uri",
       "tcp://localhost:62126"),
};

#define NCASES (sizeof cases / sizeof cases[0])

/* The cases run in parallel (group setup), each test then checks its own result. */
struct outcome {
    pid_t pid;
    char *out_path, *err_path;
    struct result r;
};
static struct outcome outcomes[NCASES];

static void launch(size_t i)
{
    const struct dcase *c = &cases[i];
    const char *argv[64] = {"run", "--dry-run"};
    size_t n = 2;
    for (size_t k = 0; c->args[k]; k++)
        argv[n++] = c->args[k];
    argv[n] = NULL;
    outcomes[i].pid = spawn_cvz(argv, c->env, &outcomes[i].out_path, &outcomes[i].err_path);
}

static void collect(size_t i)
{
    struct outcome *o = &outcomes[i];
    o->r.status = wait_cvz(o->pid, WAIT_MS);
    o->r.out = slurp(o->out_path);
    o->r.err = slurp(o->err_path);
    unlink(o->out_path);
    unlink(o->err_path);
    free(o->out_path);
    free(o->err_path);
}

static void run_case(void **state)
{
    const struct dcase *c = *state;
    struct result *r = &outcomes[c - cases].r;
    char *want_out = expand(c->out);
    char *want_err = expand(c->err);
    bool ok = r->status == c->status && matches(want_out, r->out) && matches(want_err, r->err);
    if (!ok) {
        print_error("exit %d (want %d)\n--- stdout\n%s--- want\n%s--- stderr\n%s--- want\n%s", r->status, c->status,
                    r->out, want_out, r->err, want_err);
    }
    free(want_out);
    free(want_err);
    assert_true(ok);
}

static int setup(void **state)
{
    (void)state;
    const char *dir = scratch();
    static const char *const extra[] = {"vfkit.img", "distro.iso", "overlay.img", "Image", "initrd.img",
                                        "Fedora-Cloud-Image.raw", "podman-machine-default-arm64.raw"};
    static unsigned char image[4096];
    memcpy(image + 0x38, "ARMd", 4); /* so "Image" is an arm64 kernel too */
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, extra[i]);
        write_file(path, image, sizeof image);
    }
    /* a few processes at a time: most of each one's time is loading libcvz */
    const size_t width = 6;
    for (size_t i = 0; i < NCASES; i++) {
        if (i >= width)
            collect(i - width);
        launch(i);
    }
    for (size_t i = NCASES > width ? NCASES - width : 0; i < NCASES; i++)
        collect(i);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCASES; i++)
        result_free(&outcomes[i].r);
    return 0;
}

int main(void)
{
    struct CMUnitTest tests[NCASES];
    for (size_t i = 0; i < NCASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, (void *)&cases[i]};
    return _cmocka_run_group_tests("cvz run --dry-run", tests, NCASES, setup, teardown);
}
