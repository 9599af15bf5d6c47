#!/usr/bin/env bash
# Regenerates the native bindings with jextract, into a separate folder for diffing against the
# hand-maintained, jextract-shaped classes in src/main/java (it never overwrites them).
#
#   native-bindings/jextract/regenerate.sh [OUTPUT_DIR]     (default: native-bindings/target-jextract)
#
# Needs jextract (https://jdk.java.net/jextract/, built for JDK 22+) on PATH or in $JEXTRACT, the
# kernel uapi headers (<linux/kvm.h>) and glibc headers. The symbol lists are the @argfiles next to
# this script (libc.args, kvm.args): exactly what the bindings use, nothing more.
#
# What to expect in the diff: jextract names offsets x$offset() where we keep OFFSET_x constants, and
# it emits nested classes for anonymous struct/union members where we flatten them (io_port for
# kvm_run.io.port). ioctl numbers (KVM_RUN, ...) are function-like _IO* macros that jextract does not
# evaluate, so this script writes them (and every other constant and layout fact) from the gcc
# layout probe to kvm-and-libc-facts.txt in the output folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
out="${1:-$module/target-jextract}"
jextract="${JEXTRACT:-$(command -v jextract || true)}"

if [[ -z "$jextract" || ! -x "$jextract" ]]; then
    echo "regenerate.sh: jextract not found (looked at \$JEXTRACT and PATH)." >&2
    echo "  Install it from https://jdk.java.net/jextract/ (unpack, then put its bin/ on PATH" >&2
    echo "  or set JEXTRACT=/path/to/jextract/bin/jextract) and run this script again." >&2
    echo "  Nothing was generated; the checked-in bindings are unchanged." >&2
    exit 2
fi
for h in /usr/include/linux/kvm.h /usr/include/poll.h; do
    if [[ ! -f "$h" ]]; then
        echo "regenerate.sh: header $h missing (install linux-libc-dev / libc6-dev)." >&2
        exit 2
    fi
done

# Every struct class in the kvm package must be listed in kvm.args, so the lists cannot drift.
missing=0
for f in "$module"/src/main/java/dev/partita/nativebindings/kvm/kvm_*.java; do
    s="$(basename "$f" .java)"
    if ! grep -qx -- "--include-struct $s" "$here/kvm.args"; then
        echo "regenerate.sh: $s has a Java class but no '--include-struct $s' line in kvm.args" >&2
        missing=1
    fi
done
[[ $missing -eq 0 ]] || exit 1

rm -rf "$out"
mkdir -p "$out/libc" "$out/kvm"
echo "jextract: $("$jextract" --version 2>&1 | head -1)"

"$jextract" @"$here/libc.args" \
    --output "$out/libc" \
    --target-package dev.partita.nativebindings.libc \
    --header-class-name Libc \
    "$here/libc.h"

"$jextract" @"$here/kvm.args" \
    --output "$out/kvm" \
    --target-package dev.partita.nativebindings.kvm \
    --header-class-name Kvm_h \
    "$here/kvm.h"

# Constants jextract cannot produce (ioctl numbers) and all layout facts, from the host headers.
if command -v gcc >/dev/null; then
    gcc -std=gnu11 -Wall -Werror -o "$out/layout_probe" "$module/src/test/c/layout_probe.c"
    "$out/layout_probe" > "$out/kvm-and-libc-facts.txt"
    rm -f "$out/layout_probe"
else
    echo "regenerate.sh: gcc not found; ioctl numbers not written (the layout test needs gcc too)." >&2
fi

echo "Generated into $out. Compare with:"
echo "  diff -ru $out/libc/dev/partita/nativebindings/libc $module/src/main/java/dev/partita/nativebindings/libc"
echo "  diff -ru $out/kvm/dev/partita/nativebindings/kvm $module/src/main/java/dev/partita/nativebindings/kvm"
