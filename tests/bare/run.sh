#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/bare/run.sh - the README's two commands on a bare Debian 12, the first time.
#
# usage: sudo tests/bare/run.sh [REV]        (REV: the commit to test; default HEAD)
#
# Makes a Debian 12 chroot (`debootstrap --variant=minbase bookworm`), installs only
# make and git in it, clones this repository at REV into /root/cvz, and runs there,
# as a new user would:
#
#     make deps demo
#     make deps check
#
# Both must pass the first time.  Only committed work is tested (REV is cloned).
# Needs root, debootstrap and access to a Debian mirror.  Everything runs in a private
# mount namespace; the chroot's mounts and the chroot itself are removed at the end.
#
# Environment:
#   CVZ_BARE_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   CVZ_BARE_CACHE    where the downloaded minbase packages are kept between runs
#                     (default /var/cache/cvz-bare; rm it to download afresh)
#   CVZ_BARE_DIR      parent folder of the chroot (default /var/tmp)
#   CVZ_BARE_KEEP=1   keep the chroot afterwards (its path is printed)
set -eu

rev=${1:-HEAD}
mirror=${CVZ_BARE_MIRROR:-http://deb.debian.org/debian}
cache=${CVZ_BARE_CACHE:-/var/cache/cvz-bare}
repo=$(cd "$(dirname "$0")/../.." && pwd)

say() { printf '== %s: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'tests/bare/run.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts): sudo $0 $*"
command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install debootstrap"
commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}") || die "no commit $rev in $repo"

# Mounts made below stay in a private namespace: none can leak to the host or outlive the run.
if [ -z "${CVZ_BARE_UNSHARED:-}" ]; then
    CVZ_BARE_UNSHARED=1 exec unshare --mount --propagation private /bin/sh "$0" "$commit"
fi

root=$(mktemp -d "${CVZ_BARE_DIR:-/var/tmp}/cvz-bare.XXXXXX")
chmod 755 "$root"  # apt downloads as _apt, which must reach the chroot
cleanup() {
    status=$?
    for m in dev/pts dev sys proc; do
        if mountpoint -q "$root/$m"; then umount -l "$root/$m"; fi
    done
    if [ "${CVZ_BARE_KEEP:-0}" = 1 ]; then say "chroot kept in $root"
    else rm -rf --one-file-system "$root"; fi
    rm -f "$root.debootstrap.log"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The minbase packages, downloaded once.
tarball=$cache/bookworm-minbase.tgz
if [ ! -s "$tarball" ]; then
    say "downloading the minbase packages into $tarball"
    mkdir -p "$cache"
    work=$(mktemp -d "${CVZ_BARE_DIR:-/var/tmp}/cvz-bare-dl.XXXXXX")
    debootstrap --variant=minbase --make-tarball="$tarball.part" bookworm "$work" "$mirror" >"$cache/download.log" 2>&1 \
        || { rm -rf "$work" "$tarball.part"; tail -n 20 "$cache/download.log"; die "debootstrap --make-tarball failed"; }
    rm -rf "$work"
    mv "$tarball.part" "$tarball"
fi

start=$(date +%s)
say "debootstrap --variant=minbase bookworm $root"
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
    || { tail -n 20 "$root.debootstrap.log"; die "debootstrap failed"; }

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# What the Debian installer writes and debootstrap does not: without it "localhost" goes to DNS.
[ -e "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# The network as the host reaches it: behind a TLS-inspecting proxy the host trusts a local
# CA, and so must the chroot.  Files in /usr/local/share/ca-certificates join the bundle when
# make deps installs ca-certificates; Node (npm, for zig) is told to use that bundle.
extra_ca=
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    extra_ca=NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" >"$root/etc/apt/sources.list"

# A clean environment: what a root login on the new machine has, nothing of ours.
in_chroot() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM=dumb $extra_ca /bin/sh -c "$1"
}

say "apt-get install make git (nothing else)"
in_chroot 'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q make git >/dev/null'

say "git clone of $commit into /root/cvz"
git init -q --bare --initial-branch=main "$root/root/cvz.git"
git -C "$repo" push -q "$root/root/cvz.git" "$commit:refs/heads/main"
in_chroot 'git clone -q /root/cvz.git /root/cvz && rm -rf /root/cvz.git'
ready=$(date +%s)

run_step() {
    say "make deps $1"
    t0=$(date +%s)
    if in_chroot "cd /root/cvz && make deps $1"; then
        say "make deps $1: passed in $(( $(date +%s) - t0 )) s"
    else
        say "make deps $1: FAILED after $(( $(date +%s) - t0 )) s"
        exit 1
    fi
}
run_step demo
run_step check

end=$(date +%s)
say "bare Debian 12: make deps demo and make deps check passed the first time" \
    "(chroot ready in $(( ready - start )) s, total $(( end - start )) s)"
