/* SPDX-License-Identifier: Apache-2.0 */
/*
 * help.c - the help texts.  `cvz run --help` is laid out like vfkit's
 * (cobra's) so that a vfkit user finds the same flags in the same words.
 */
#include "help.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool as_vfkit;

void help_set_vfkit(void)
{
    as_vfkit = true;
}

void help_print_version(void)
{
    if (as_vfkit)
        printf("vfkit version: %s\n", CVZ_VFKIT_VERSION); /* cobra's template in vfkit's cmd/vfkit/root.go */
    else
        printf("cvz version: %s (libcvz %s)\n", CVZ_TOOL_VERSION, cvz_version());
}

const char help_main[] =
    "cvz runs virtual machines with Apple's Virtualization framework through libcvz,\n"
    "with vfkit's command line, and explains what the host can and cannot do.\n"
    "\n"
    "Usage:\n"
    "  cvz run [flags]          start a virtual machine (vfkit's flags; see `cvz help run`)\n"
    "  cvz run --dry-run [flags]  check a command line and print its canonical form\n"
    "  cvz install-macos [flags] IMAGE  install macOS from a restore image (see `cvz help install-macos`)\n"
    "  cvz info [--json] [NAME] the host, and which framework classes it has\n"
    "  cvz help [COMMAND]       this text, or a command's\n"
    "  cvz --version            the versions of cvz and libcvz (as `vfkit`: vfkit's line)\n"
    "\n"
    "`cvz [flags]` (flags first, no command) is `cvz run [flags]`, and so is the\n"
    "program started under the name `vfkit`: scripts written for vfkit work unchanged.\n";

const char help_run[] =
    "cvz run starts a virtual machine with Apple's Virtualization framework and stays\n"
    "alive until it stops.  It accepts vfkit's command line.\n"
    "\n"
    "Usage:\n"
    "  cvz run [flags]\n"
    "\n"
    "Flags:\n"
    "  -b, --bootloader stringSlice   bootloader configuration:\n"
    "                                   linux,kernel=PATH[,initrd=PATH][,cmdline=\"ARGS\"]\n"
    "                                   efi,variable-store=PATH[,create]\n"
    "                                   macos,machineIdentifierPath=P,hardwareModelPath=P,auxImagePath=P\n"
    "                                 commas inside \"...\" do not split; repeated flags are joined\n"
    "      --cloud-init stringSlice   path to user-data and meta-data cloud-init configuration files\n"
    "  -c, --cpus uint                number of virtual CPUs (default 1)\n"
    "  -d, --device stringArray       devices, one per flag (see DEVICES)\n"
    "      --gui                      display the contents of the virtual machine onto a graphical user interface\n"
    "  -h, --help                     help for run\n"
    "      --ignition string          path to the ignition file\n"
    "  -i, --initrd string            path to the virtual machine initrd (deprecated, with --kernel)\n"
    "  -k, --kernel string            path to the virtual machine Linux kernel (deprecated: --bootloader linux)\n"
    "  -C, --kernel-cmdline string    Linux kernel command line (deprecated, with --kernel)\n"
    "      --log-level string         set log level: debug, info or error\n"
    "  -m, --memory uint              virtual machine RAM size in mibibytes (default 512)\n"
    "  -n, --nested                   enable nested virtualization (macOS 15, on hosts that support it)\n"
    "      --pidfile string           write the process id to this file\n"
    "      --restful-uri string       URI address for RESTful services (default \"none://\")\n"
    "                                 tcp://HOST:PORT or unix:///PATH; no authentication: bind\n"
    "                                 127.0.0.1 (tcp://:PORT listens on every interface, with\n"
    "                                 a warning) or use a unix socket in a private folder\n"
    "  -t, --timesync string          sync guest time when host wakes up from sleep: vsockPort=N\n"
    "                                 (cvz: once the VM runs, and at each SIGUSR1)\n"
    "  -v, --version                  version for cvz (as `vfkit`: \"vfkit version: " CVZ_VFKIT_VERSION "\")\n"
    "\n"
    "Flags of cvz only:\n"
    "      --dry-run                  check everything that needs no VM, print the canonical\n"
    "                                 command line (one option per line) and exit\n"
    "      --stop-timeout duration    how long SIGINT/SIGTERM wait for the guest to power off\n"
    "                                 before forcing the stop (default 5s; Go durations up to\n"
    "                                 2562047h; zero or negative: at once)\n"
    "\n"
    "DEVICES (--device TYPE,OPTION,...: split on every comma, no quoting)\n"
    "  virtio-blk,path=IMG[,type=image|dev][,readonly][,deviceId=ID]   disk (raw or ISO image)\n"
    "  nvme,path=IMG[,type=image|dev][,readonly]                       NVMe disk\n"
    "  usb-mass-storage,path=IMG[,type=image|dev][,readonly]           USB disk\n"
    "  nbd,uri=nbd://HOST:PORT/NAME,deviceId=ID[,timeout=MS][,sync=full|none][,readonly]\n"
    "  virtio-fs,sharedDir=DIR[,mountTag=TAG]                          shared directory\n"
    "  rosetta,mountTag=TAG[,install][,ignore-if-missing]              Rosetta for Linux\n"
    "  virtio-vsock,port=N,socketURL=PATH[,listen|connect]             vsock port on a unix socket\n"
    "  virtio-rng                                                      entropy\n"
    "  virtio-balloon                                                  memory balloon\n"
    "  virtio-serial,stdio | virtio-serial,pty | virtio-serial,logFilePath=PATH   console\n"
    "  virtio-net,nat|fd=N|unixSocketPath=PATH[,mac=MAC]                network (one of nat, fd\n"
    "      or unixSocketPath is required); also type=unixgram,path=PATH[,vfkitMagic=on|off]\n"
    "  virtio-input,pointing | virtio-input,keyboard                   USB input\n"
    "  virtio-gpu[,width=W,height=H]                                   display (800x600)\n"
    "\n";

/* The rest of `cvz run --help` (ISO C guarantees string literals of 4095 bytes only). */
static const char help_run_details[] =
    "vsock (virtio-vsock, --ignition, --timesync)\n"
    "  listen (default)  the guest connects to vsock port N; cvz connects each connection\n"
    "                    to the unix socket PATH (listening already) and relays the bytes\n"
    "  connect           cvz listens on the unix socket PATH (removed at exit); each client\n"
    "                    is connected to the guest's port N\n"
    "  --ignition FILE   served over HTTP to the guest's connections to vsock port 1024\n"
    "                    (through $TMPDIR/cvz-ignition-PID.sock)\n"
    "  --timesync        guest-set-time to the qemu-guest-agent on the guest's port, once\n"
    "                    the VM runs and at each SIGUSR1 (cvz sees no host wake-up)\n"
    "  End of file on one side is passed on as a half-close; the other direction goes on\n"
    "  until it ends too.\n"
    "\n"
    "Progress: while the VM starts or stops, a spinner on stderr when it is a terminal\n"
    "the guest console does not use; at --log-level debug, lines instead.\n"
    "\n"
    "Not run by cvz (checked, printed by --dry-run, refused by cvz run with the reason):\n"
    "  --gui                           cvz has no window (exit 2, after the devices are built)\n"
    "\n"
    "REST API (--restful-uri)\n"
    "  GET  /vm/state     {\"canHardStop\":...,\"canPause\":...,\"canResume\":...,\"canStart\":...,\"canStop\":...,\n"
    "                      \"state\":\"VirtualMachineStateRunning\"}\n"
    "  POST /vm/state     {\"state\":\"Stop\"|\"HardStop\"|\"Pause\"|\"Resume\"}  202, or 4xx/5xx {\"error\":...}\n"
    "  GET  /vm/inspect   the configuration as vfkit's JSON\n"
    "  POST /vm/save      {\"path\":\"/file\"}  save the paused VM's state (a new file only)\n"
    "  POST /vm/restore   {\"path\":\"/file\"}  restore a saved state (the VM must be stopped)\n"
    "  POSTs need Content-Type: application/json; on tcp, Host and Origin must name the\n"
    "  server (a page elsewhere or DNS rebinding cannot reach it).\n"
    "\n"
    "Exit status\n"
    "  0  the VM stopped (guest power-off, a stop by signal, REST Stop or HardStop);\n"
    "     --dry-run, --help and --version succeeded\n"
    "  1  the VM could not be created or started (including its vsock sockets, the ignition\n"
    "     file, the REST server), or failed while running\n"
    "  2  rejected before anything started: the command line, the configuration, or\n"
    "     something this host or libcvz does not have (one line on stderr says what)\n"
    "  3  after SIGINT/SIGTERM the guest did not power off in time: the stop was forced\n"
    "\n"
    "Differences from vfkit are listed in tool/README.md.\n";

const char help_info[] =
    "cvz info shows the host's macOS version and architecture and, for every class of\n"
    "Virtualization.framework libcvz knows, whether it can be used here and why not.\n"
    "\n"
    "Usage:\n"
    "  cvz info [--json]          every class\n"
    "  cvz info [--json] NAME     one class and its members (or one member)\n"
    "\n"
    "Flags:\n"
    "  -h, --help   help for info\n"
    "      --json   print JSON instead of text\n";

const char help_install_macos[] =
    "cvz install-macos installs macOS from a restore image onto a disk and creates the\n"
    "files `cvz run --bootloader macos,...` boots from (Apple silicon, macOS 12 or later).\n"
    "\n"
    "Usage:\n"
    "  cvz install-macos [flags] RESTORE_IMAGE\n"
    "\n"
    "Example:\n"
    "  truncate -s 64G disk.img\n"
    "  cvz install-macos --bootloader macos,machineIdentifierPath=id,hardwareModelPath=hw,auxImagePath=aux \\\n"
    "      --device virtio-blk,path=disk.img UniversalMac_14.0_23A344_Restore.ipsw\n"
    "  cvz run --bootloader macos,machineIdentifierPath=id,hardwareModelPath=hw,auxImagePath=aux \\\n"
    "      --device virtio-blk,path=disk.img --cpus 4 --memory 8192 ...\n"
    "\n"
    "Flags (those of `cvz run`):\n"
    "  -b, --bootloader macos,machineIdentifierPath=P,hardwareModelPath=P,auxImagePath=P\n"
    "                        the three files the installer creates (none may exist yet)\n"
    "  -d, --device          devices as for `cvz run`; the first disk (virtio-blk, nvme or\n"
    "                        usb-mass-storage) is the one macOS is installed onto\n"
    "  -c, --cpus uint       virtual CPUs (default: the restore image's minimum)\n"
    "  -m, --memory uint     RAM in MiB (default: the restore image's minimum)\n"
    "      --log-level string  debug, info or error\n"
    "  -h, --help            help for install-macos\n"
    "--timesync, --ignition, --cloud-init, --restful-uri, --gui, --nested, --pidfile,\n"
    "--dry-run and the legacy kernel flags are refused.\n"
    "\n"
    "Progress goes to stderr: a bar redrawn in place on a terminal, else one line per\n"
    "10 %.  Ctrl-C (SIGINT) or SIGTERM cancels the installation.\n"
    "\n"
    "Exit status\n"
    "  0  macOS was installed\n"
    "  1  the installation failed (the VM or the installer reported an error)\n"
    "  2  nothing was done: the command line, a file that exists already, the restore\n"
    "     image (unreadable, or not supported on this host), or an API this host or\n"
    "     libcvz does not have (x86_64 and hosts before macOS 12.0: libcvz's reason)\n"
    "  3  cancelled by SIGINT/SIGTERM\n"
    "Unless macOS was installed, the files cvz created are removed again.\n";

void help_print_run(void)
{
    fputs(help_run, stdout);
    fputs(help_run_details, stdout);
}

int cmd_help(int argc, char **argv)
{
    if (argc < 1) {
        fputs(help_main, stdout);
        return 0;
    }
    if (strcmp(argv[0], "run") == 0) {
        help_print_run();
        return 0;
    }
    if (strcmp(argv[0], "info") == 0) {
        fputs(help_info, stdout);
        return 0;
    }
    if (strcmp(argv[0], "install-macos") == 0) {
        fputs(help_install_macos, stdout);
        return 0;
    }
    if (strcmp(argv[0], "help") == 0) {
        fputs(help_main, stdout);
        return 0;
    }
    fprintf(stderr, "cvz: unknown help topic \"%s\"\n", argv[0]);
    return 2;
}
