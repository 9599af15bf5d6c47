# Shared by ci/bench.d/exits and ci/bench.d/cpl3 (sourced, not run): builds hv-runtime into
# target-bench and compiles the whole-run harnesses (hv-runtime/src/test/java/dev/partita/hv/bench)
# against it, compiles C references into a cache folder, and prints skip lines.
# Expects PARTITA_ROOT, JAVA and BENCH_NAME; sets BENCH_CP and BENCH_CACHE.

bench_skip() { # reason
    local reason=$1
    echo "$BENCH_NAME: SKIPPED: $reason"
    python3 -c 'import json,sys; print(json.dumps({"bench": sys.argv[1], "skipped": sys.argv[2]}))' "$BENCH_NAME" "$reason" \
        2>/dev/null || echo "{\"bench\":\"$BENCH_NAME\",\"skipped\":\"$(printf '%s' "$reason" | tr -d '"\\')\"}"
    exit 0
}

bench_require_kvm() {
    [ -e /dev/kvm ] || bench_skip "/dev/kvm does not exist (no KVM on this host)"
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || bench_skip "/dev/kvm is not readable and writable by $(id -un)"
    python3 - <<'PY' 2>/dev/null || bench_skip "/dev/kvm cannot be opened or KVM_GET_API_VERSION is not 12"
import fcntl, os, sys
fd = os.open("/dev/kvm", os.O_RDWR)
sys.exit(0 if fcntl.ioctl(fd, 0xAE00) == 12 else 1)   # KVM_GET_API_VERSION
PY
}

bench_build_java() {
    partita_find_maven
    local log; log=$(mktemp)
    echo "$BENCH_NAME: building native-bindings and hv-runtime into target-bench..." >&2
    # Main code only (other test sources cannot break a benchmark); the harness is compiled below.
    if ! (cd "$PARTITA_ROOT" && "$MVN" -B -q -o -pl hv-runtime -am -Dpartita.out=target-bench compile >"$log" 2>&1); then
        if ! (cd "$PARTITA_ROOT" && "$MVN" -B -q -pl hv-runtime -am -Dpartita.out=target-bench compile >"$log" 2>&1); then
            grep -E '\[ERROR\]' "$log" | head -20 >&2; rm -f "$log"
            echo "$BENCH_NAME: build failed" >&2; exit 1
        fi
    fi
    rm -f "$log"
    local main_cp="$PARTITA_ROOT/native-bindings/target-bench/classes:$PARTITA_ROOT/hv-runtime/target-bench/classes"
    local out="$PARTITA_ROOT/hv-runtime/target-bench/bench-classes"
    rm -rf "$out" && mkdir -p "$out"
    local sources=()
    for f in "$PARTITA_ROOT"/hv-runtime/src/test/java/dev/partita/hv/bench/*.java; do
        case "$f" in *Test.java) ;; *) sources+=("$f") ;; esac   # unit tests need JUnit; the harness does not
    done
    "$JAVA_HOME/bin/javac" -nowarn --release 25 -d "$out" -cp "$main_cp" "${sources[@]}" \
        || { echo "$BENCH_NAME: compiling the harness failed" >&2; exit 1; }
    BENCH_CP="$main_cp:$out"
}

bench_cache_dir() {
    BENCH_CACHE=${PARTITA_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/partita-bench}
    mkdir -p "$BENCH_CACHE" 2>/dev/null || { BENCH_CACHE=$(mktemp -d); }
}

bench_build_c() { # source output -> compiles when the output is missing or older than the source
    local src=$1 out=$2
    command -v gcc >/dev/null 2>&1 || bench_skip "gcc not found (needed for the C reference; apt-get install gcc)"
    if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
        gcc -O2 -Wall -Werror -o "$out.tmp" "$src" || { echo "$BENCH_NAME: C reference failed to compile" >&2; exit 1; }
        mv "$out.tmp" "$out"
    fi
}

bench_java() { # main class and arguments
    "$JAVA" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" "$@"
}
