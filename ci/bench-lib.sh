# Sourced by ci/bench.d/* (not run): builds the benchmarks module with Maven, compiles C references into a
# cache folder, runs Java harnesses, and prints skip lines.
# Expects PARTITA_ROOT, JAVA and BENCH_NAME (source ci/env.sh first); bench_build sets BENCH_CP, bench_cache_dir
# sets BENCH_CACHE.

BENCH_JVM_OPTS=()

bench_skip() { # reason
    local reason=$1
    echo "$BENCH_NAME: SKIPPED: $reason"
    python3 -c 'import json,sys; print(json.dumps({"bench": sys.argv[1], "skipped": sys.argv[2]}))' "$BENCH_NAME" "$reason" \
        2>/dev/null || echo "{\"bench\":\"$BENCH_NAME\",\"skipped\":\"$(printf '%s' "$reason" | tr -d '"\\')\"}"
    exit 0
}

bench_fail() { # message: a failure line on stderr and a JSON last line with "error"
    echo "$BENCH_NAME: $1" >&2
    python3 -c 'import json,sys; print(json.dumps({"bench": sys.argv[1], "error": sys.argv[2]}))' "$BENCH_NAME" "$1" \
        2>/dev/null || echo "{\"bench\":\"$BENCH_NAME\",\"error\":\"build failed\"}"
    exit 1
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

# Builds the benchmarks module and the modules it needs into target-bench (a folder of its own, so a
# developer's target/ is untouched; tests are compiled, for the test-jars, but not run) and sets BENCH_CP
# to the module's jar and its runtime class path. Offline first, then with Maven Central.
bench_build() {
    partita_find_maven
    local log; log=$(mktemp)
    echo "$BENCH_NAME: building the benchmarks module and its upstream modules into target-bench..." >&2
    local args=(-B -q -pl benchmarks -am -Dpartita.out=target-bench -DskipTests package)
    if ! (cd "$PARTITA_ROOT" && "$MVN" -o "${args[@]}" >"$log" 2>&1); then
        if ! (cd "$PARTITA_ROOT" && "$MVN" "${args[@]}" >"$log" 2>&1); then
            grep -E '\[ERROR\]' "$log" | head -20 >&2; rm -f "$log"
            bench_fail "build failed"
        fi
    fi
    rm -f "$log"
    local dir="$PARTITA_ROOT/benchmarks/target-bench"
    local jar; jar=$(ls "$dir"/benchmarks-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1)
    [ -n "$jar" ] && [ -f "$dir/classpath.txt" ] || bench_fail "build left no benchmarks jar or classpath.txt in $dir"
    BENCH_CP="$jar:$(cat "$dir/classpath.txt")"
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

bench_java() { # main class and arguments; extra JVM options in BENCH_JVM_OPTS (array)
    "$JAVA" -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED "${BENCH_JVM_OPTS[@]}" -cp "$BENCH_CP" "$@"
}

# Builds vmms and its upstream modules' main code into target-bench (tests are not compiled, so other
# people's tests cannot break a whole-run bench) and sets BENCH_VMMS_CP to their classes and runtime
# dependencies. Offline first, then with Maven Central.
bench_build_vmms() {
    partita_find_maven
    local log; log=$(mktemp)
    echo "$BENCH_NAME: building vmms and its upstream modules into target-bench (tests skipped)..." >&2
    local args=(-B -q -pl vmms -am -Dpartita.out=target-bench -Dmaven.test.skip=true compile)
    if ! (cd "$PARTITA_ROOT" && "$MVN" -o "${args[@]}" >"$log" 2>&1); then
        if ! (cd "$PARTITA_ROOT" && "$MVN" "${args[@]}" >"$log" 2>&1); then
            grep -E '\[ERROR\]' "$log" | head -20 >&2; rm -f "$log"
            bench_fail "build failed"
        fi
    fi
    local cpargs=(-B -q dependency:build-classpath -Dpartita.out=target-bench -Dmdep.includeScope=runtime -Dmdep.outputFile="$log")
    if ! (cd "$PARTITA_ROOT/vmms" && { "$MVN" -o "${cpargs[@]}" >/dev/null 2>&1 || "$MVN" "${cpargs[@]}" >/dev/null 2>&1; }); then
        rm -f "$log"
        bench_fail "could not resolve vmms's runtime class path"
    fi
    BENCH_VMMS_CP=""
    local m
    for m in native-bindings hv-runtime fallback-emulator vmbus-disruptor device-vsps vmms; do
        BENCH_VMMS_CP="$BENCH_VMMS_CP${BENCH_VMMS_CP:+:}$PARTITA_ROOT/$m/target-bench/classes"
    done
    BENCH_VMMS_CP="$BENCH_VMMS_CP:$(cat "$log")"
    rm -f "$log"
}
