#!/usr/bin/env bash
# Refresh the KaTeX files the site serves itself (no CDN): docs/assets/katex/.
# Needs npm. Usage: tools/vendor-katex.sh 0.19.1
set -euo pipefail
version=${1:?usage: tools/vendor-katex.sh VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "katex@$version" >/dev/null && tar xzf "katex-$version.tgz")
dest="$top/docs/assets/katex"
rm -rf "$dest"
mkdir -p "$dest/contrib" "$dest/fonts"
cp "$tmp/package/dist/katex.min.js" "$tmp/package/dist/katex.min.css" "$dest/"
cp "$tmp/package/dist/contrib/auto-render.min.js" "$dest/contrib/"
cp "$tmp/package/dist/fonts/"*.woff2 "$dest/fonts/"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "$version" > "$dest/VERSION"
echo "KaTeX $version copied to $dest"
