#!/usr/bin/env bash
# Re-vendor KaTeX from the npm registry into site_src/assets/vendor/katex/.
#
# Usage:  scripts/vendor_katex.sh            # uses the pinned version below
#         KATEX_VERSION=0.19.2 KATEX_INTEGRITY=sha512-... scripts/vendor_katex.sh
#
# The tarball's sha512 is checked against KATEX_INTEGRITY (the npm "dist.integrity"
# value; see `npm view katex@VERSION dist.integrity`). Only the files the site needs
# are copied: katex.min.js, katex.min.css, contrib/auto-render.min.js, fonts/*.woff2
# and LICENSE. Needs: bash, npm, tar, openssl (or python3), coreutils.
set -euo pipefail

KATEX_VERSION="${KATEX_VERSION:-0.19.1}"
KATEX_INTEGRITY="${KATEX_INTEGRITY:-sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA==}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/site_src/assets/vendor/katex"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "npm pack katex@$KATEX_VERSION -> $work"
(cd "$work" && npm pack --silent "katex@$KATEX_VERSION" >/dev/null)
tgz="$work/katex-$KATEX_VERSION.tgz"
[[ -f "$tgz" ]] || { echo "error: $tgz was not produced by npm pack" >&2; exit 1; }

actual="sha512-$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1],"rb").read()).digest()).decode())' "$tgz")"
if [[ "$actual" != "$KATEX_INTEGRITY" ]]; then
    echo "error: integrity mismatch for katex-$KATEX_VERSION.tgz" >&2
    echo "  expected $KATEX_INTEGRITY" >&2
    echo "  actual   $actual" >&2
    exit 1
fi
echo "integrity ok: $actual"

tar -xzf "$tgz" -C "$work"
pkg="$work/package"

# Start from a clean directory but keep our own README.md.
readme_backup=""
if [[ -f "$dest/README.md" ]]; then
    readme_backup="$work/README.md.keep"
    cp "$dest/README.md" "$readme_backup"
fi
rm -rf "$dest"
mkdir -p "$dest/contrib" "$dest/fonts"
[[ -n "$readme_backup" ]] && cp "$readme_backup" "$dest/README.md"

cp "$pkg/dist/katex.min.js" "$pkg/dist/katex.min.css" "$dest/"
cp "$pkg/LICENSE" "$dest/LICENSE"
cp "$pkg/dist/contrib/auto-render.min.js" "$dest/contrib/"
cp "$pkg/dist/fonts/"*.woff2 "$dest/fonts/"

# Sanity check: the copied files are the requested version.
if ! grep -qF "version:\"$KATEX_VERSION\"" "$dest/katex.min.js"; then
    echo "error: katex.min.js does not declare version $KATEX_VERSION" >&2
    exit 1
fi

echo "vendored katex $KATEX_VERSION into ${dest#"$repo_root"/}:"
(cd "$dest" && find . -type f ! -name README.md | sort | sed 's/^\.\//  /')
du -sh "$dest" | cut -f1 | sed 's/^/total size: /'
