#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/install/check-install.sh - make install and make uninstall, away from the build tree.
#
# usage: check-install.sh MAKE        (run from the repository's top folder)
#
# The repository, without build/, is copied to a temporary folder, built there and
# installed twice with VFKIT_LINK=1: to a PREFIX of its own, as a user installs, and
# to DESTDIR=stage with PREFIX=/opt/cvz, as a package is staged.  Then the copy and
# its build tree are deleted, and what was installed must work alone:
#   - every file is in place, and no installed file names the build tree (debug
#     information aside): no RUNPATH, no simulator path;
#   - cvz and its vfkit link run and load the installed simulator;
#   - consumers built with pkg-config alone, linked dynamically and statically, run
#     with no CVZ_FRAMEWORK_PATH;
#   - the man pages render without a warning (groff).
# make install refuses to replace a vfkit that is not cvz's link; make uninstall
# (from this repository: it needs no build) leaves only the empty standard folders,
# and never removes a vfkit that is not cvz's.
set -eu
make=${1:-make}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

src=$tmp/src
mkdir "$src"
tar -C . --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -

user=$tmp/usr              # PREFIX=$tmp/usr
stage=$tmp/stage           # DESTDIR=$tmp/stage PREFIX=/opt/cvz
staged=$stage/opt/cvz
$make -C "$src" -s install PREFIX="$user" VFKIT_LINK=1 >"$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log"; fail "make install PREFIX=$user failed"; }

# A vfkit that is not cvz's link is never replaced.
mkdir -p "$staged/bin"
echo 'the real vfkit' >"$staged/bin/vfkit"
if $make -C "$src" -s install DESTDIR="$stage" PREFIX=/opt/cvz VFKIT_LINK=1 >"$tmp/refused.log" 2>&1; then
    fail "make install VFKIT_LINK=1 replaced an existing vfkit"
fi
grep -q 'vfkit exists and is not a link to cvz' "$tmp/refused.log" || { cat "$tmp/refused.log"; fail "no reason given"; }
[ "$(cat "$staged/bin/vfkit")" = 'the real vfkit' ] || fail "the existing vfkit was changed"
rm "$staged/bin/vfkit"
$make -C "$src" -s install DESTDIR="$stage" PREFIX=/opt/cvz VFKIT_LINK=1 >"$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log"; fail "make install DESTDIR=$stage PREFIX=/opt/cvz failed"; }

rm -rf "$src"    # the build tree is gone from here on

sim_libs="libVirtualization.so libVirtualization-11.0.so libVirtualization-12.0.so libVirtualization-skeleton.so"
for root in "$user" "$staged"; do
    for f in bin/cvz include/cvz/cvz.h include/cvz/cvz-api.h include/cvz/cvz-types.h include/cvz/cvz-names.h include/cvz/vm.h lib/libcvz.so.1 lib/libcvz.so lib/libcvz.a \
             lib/pkgconfig/cvz.pc share/man/man1/cvz.1 share/man/man3/libcvz.3; do
        [ -e "$root/$f" ] || fail "missing $root/$f"
    done
    for f in $sim_libs; do [ -e "$root/lib/cvz/sim/$f" ] || fail "missing $root/lib/cvz/sim/$f"; done
    [ "$(readlink "$root/bin/vfkit")" = cvz ] || fail "$root/bin/vfkit is not a link to cvz"

    # Nothing installed refers to the build tree; debug information may name the sources.
    find "$root" -type f | while read -r f; do
        case $(head -c 4 "$f" | od -An -c | tr -d ' ') in
        177ELF|!\<ar) objcopy --strip-debug "$f" "$tmp/stripped"; scan=$tmp/stripped ;;
        *) scan=$f ;;
        esac
        if grep -q "$src" "$scan"; then fail "${f#"$root"/} names the build tree $src"; fi
        if [ "${f%.so*}" != "$f" ] || [ "${f#"$root"/bin/}" != "$f" ]; then
            readelf -d "$f" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]/\2/p' | tr : '\n' | while read -r p; do
                case $p in '$ORIGIN'*) ;; *) fail "${f#"$root"/} has a RUNPATH outside its own tree: $p" ;; esac
            done
        fi
    done
done

# Each install was built for its own place (install relinks when PREFIX changes).
grep -q "^prefix=$user\$" "$user/lib/pkgconfig/cvz.pc" || fail "$user's cvz.pc names another prefix"
grep -q '^prefix=/opt/cvz$' "$staged/lib/pkgconfig/cvz.pc" || fail "the staged cvz.pc names another prefix"
grep -aq "$user/lib/cvz/sim/libVirtualization.so" "$user/lib/libcvz.a" || fail "$user's libcvz.a has another simulator path"
grep -aq /opt/cvz/lib/cvz/sim/libVirtualization.so "$staged/lib/libcvz.a" || fail "the staged libcvz.a has another simulator path"

# cvz and vfkit find libcvz by their RUNPATH, libcvz the simulator next to itself.
for root in "$user" "$staged"; do
    for name in cvz vfkit; do
        env -u CVZ_FRAMEWORK_PATH "$root/bin/$name" --version >/dev/null || fail "$root/bin/$name --version failed"
    done
    out=$(env -u CVZ_FRAMEWORK_PATH CVZ_SIM_MACOS_VERSION=12.0 "$root/bin/cvz" info VZVirtualMachine) \
        || fail "$root/bin/cvz info failed"
    echo "$out" | grep -q '^VZVirtualMachine: available (macOS 11.0)$' \
        || { echo "$out"; fail "$root/bin/cvz did not load the installed simulator"; }
done

# Consumers built with pkg-config alone.  The static one finds the simulator at the
# path compiled into the installed libcvz.a: the user's PREFIX, not the build tree.
export PKG_CONFIG_PATH="$user/lib/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror tests/install/consumer.c $(pkg-config --cflags --libs cvz) \
    -Wl,-rpath,"$(pkg-config --variable=libdir cvz)" -o "$tmp/consumer"
env -u CVZ_FRAMEWORK_PATH "$tmp/consumer"
cc -std=c11 -Wall -Wextra -Werror tests/install/consumer.c $(pkg-config --cflags cvz) \
    -Wl,-Bstatic $(pkg-config --libs-only-L cvz) -lcvz -Wl,-Bdynamic $(pkg-config --static --libs-only-l cvz | sed 's/-lcvz//') \
    -o "$tmp/consumer-static"
env -u CVZ_FRAMEWORK_PATH "$tmp/consumer-static"
export PKG_CONFIG_PATH="$staged/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
cc -std=c11 -Wall -Wextra -Werror tests/install/consumer.c $(pkg-config --cflags --libs cvz) -o "$tmp/consumer-staged"
env -u CVZ_FRAMEWORK_PATH LD_LIBRARY_PATH="$staged/lib" "$tmp/consumer-staged"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

for page in man1/cvz.1 man3/libcvz.3; do
    warnings=$(groff -man -Tutf8 -ww -z "$user/share/man/$page" 2>&1) || fail "$page: groff failed: $warnings"
    [ -z "$warnings" ] || { echo "$warnings"; fail "$page: groff warnings"; }
done

# make uninstall removes exactly what install put; a vfkit that is not cvz's stays.
$make -s uninstall PREFIX="$user" >/dev/null
$make -s uninstall DESTDIR="$stage" PREFIX=/opt/cvz >/dev/null
echo 'the real vfkit' >"$staged/bin/vfkit"
$make -s uninstall DESTDIR="$stage" PREFIX=/opt/cvz >/dev/null
[ -f "$staged/bin/vfkit" ] || fail "make uninstall removed a vfkit that was not cvz's"
rm "$staged/bin/vfkit"
expected='bin include lib lib/pkgconfig share share/man share/man/man1 share/man/man3'
for root in "$user" "$staged"; do
    left=$(find "$root" ! -type d | sed "s|^$root/||")
    [ -z "$left" ] || fail "make uninstall left files in $root: $left"
    dirs=$(find "$root" -mindepth 1 -type d | sed "s|^$root/||" | sort | tr '\n' ' ')
    [ "$dirs" = "$expected " ] || fail "make uninstall left folders in $root: $dirs"
done

echo "install: PREFIX and DESTDIR installs work without the build tree; uninstall leaves nothing"
