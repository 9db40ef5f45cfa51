#!/bin/sh
# Installs into a temporary DESTDIR/PREFIX, then builds and runs a consumer
# with `pkg-config --cflags --libs cvz` alone (dynamic, then static).
# usage: check-install.sh MAKE
set -eu
make=${1:-make}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$make -s install DESTDIR="$tmp" PREFIX=/opt/cvz >/dev/null
for f in include/cvz/cvz.h include/cvz/cvz-api.h lib/libcvz.so.1 lib/libcvz.so lib/libcvz.a \
         lib/pkgconfig/cvz.pc lib/cvz/sim/libVirtualization.so; do
    [ -e "$tmp/opt/cvz/$f" ] || { echo "install: missing /opt/cvz/$f"; exit 1; }
done
export PKG_CONFIG_PATH="$tmp/opt/cvz/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$tmp"
cc -std=c11 -Wall -Wextra -Werror tests/install/consumer.c $(pkg-config --cflags --libs cvz) -o "$tmp/consumer"
# No CVZ_FRAMEWORK_PATH: the library finds the simulator installed next to it.
env -u CVZ_FRAMEWORK_PATH LD_LIBRARY_PATH="$tmp/opt/cvz/lib" "$tmp/consumer"
cc -std=c11 tests/install/consumer.c $(pkg-config --cflags cvz) \
    -Wl,-Bstatic $(pkg-config --libs-only-L cvz) -lcvz -Wl,-Bdynamic $(pkg-config --static --libs-only-l cvz | sed 's/-lcvz//') \
    -o "$tmp/consumer-static"
env CVZ_FRAMEWORK_PATH="$tmp/opt/cvz/lib/cvz/sim/libVirtualization.so" "$tmp/consumer-static"
echo "install: DESTDIR/PREFIX layout, pkg-config, dynamic and static consumers all fine"
