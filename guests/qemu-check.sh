#!/usr/bin/env bash
# Validates the guests without Partita: runs each one under QEMU (TCG) with a reset ROM (qemu/boot.S) that
# starts it in exactly the boot state of guests/README.md, the console on port 0xE9 and isa-debug-exit on
# port 0xF4 (QEMU's exit status is (value << 1) | 1). QEMU has no Partita MMIO test device at 0xD0000000,
# so long64 ends with 0x7E ("only the MMIO device was absent") there.
#
#   guests/qemu-check.sh              every guest except cpl3-bench
#   guests/qemu-check.sh NAME...      only these (file names in build/, e.g. real-mode.bin cpl3-bench.elf)
#   QEMU_CHECK_VERBOSE=1              also print each guest's console output
set -u
here=$(cd "$(dirname "$0")" && pwd)
qemu=${QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || { echo "qemu-check: $qemu not found (Debian: apt-get install qemu-system-x86)" >&2; exit 2; }
make -s -C "$here" all qemu || exit 2
out=$here/build/qemu/out
mkdir -p "$out"

# image  expected-outcome  timeout-seconds  [CPU model]
# outcome: exit:<hex>, shutdown (triple fault), timeout. unmapped-memory: QEMU reads unassigned memory as 0 (0x10).
# The second long64 row is a negative control: without CMPXCHG16B in CPUID its check 23 (0x17) must fail.
table="
real-mode.bin        exit:00    20
pm32.elf             exit:00    20
long64.elf           exit:7e    30
long64.elf           exit:17    30   max,-cx16
cpl3.elf             exit:00    30
triple-fault.elf     shutdown   10
loop-forever.bin     timeout    3
exit-flood.bin       timeout    3
unmapped-memory.elf  exit:10    10
exit-loop.bin        exit:00    60
cpl3-bench.elf       exit:00    300
"

run() {  # run NAME TIMEOUT LOG CPU -> prints the outcome
    local name=$1 secs=$2 log=$3 cpu=$4 img=$here/build/$1 boot args
    case $name in
        *.elf) boot=$here/build/qemu/boot-elf.rom;  args=(-device "loader,file=$img,addr=0x1800000,force-raw=on") ;;
        *)     boot=$here/build/qemu/boot-flat.rom; args=(-device "loader,file=$img,addr=0x7c00,force-raw=on") ;;
    esac
    timeout "$secs" "$qemu" -M pc -accel tcg -cpu "$cpu" -m 32M -nodefaults -display none -no-reboot \
        -bios "$boot" "${args[@]}" \
        -chardev "file,id=con,path=$out/$log.log" -device isa-debugcon,iobase=0xe9,chardev=con \
        -device isa-debug-exit,iobase=0xf4,iosize=4 >"$out/$log.qemu" 2>&1
    local st=$?
    if [ $st -eq 124 ]; then echo timeout
    elif [ $st -eq 0 ]; then echo shutdown
    elif [ $((st & 1)) -eq 1 ]; then printf 'exit:%02x\n' $((st >> 1))
    else echo "qemu-error:$st"
    fi
}

want=("$@")
fails=0
while read -r name expect secs cpu; do
    [ -z "$name" ] && continue
    cpu=${cpu:-max}
    log=${name%.*}
    label=$name
    if [ "$cpu" != max ]; then log="$log.${cpu//[^a-z0-9]/_}"; label="$name($cpu)"; fi
    if [ ${#want[@]} -gt 0 ]; then
        match=0; for w in "${want[@]}"; do [ "$w" = "$name" ] && match=1; done
        [ $match -eq 1 ] || continue
    elif [ "$name" = cpl3-bench.elf ]; then
        continue
    fi
    [ -f "$here/build/$name" ] || { printf '%-22s MISSING\n' "$label"; fails=$((fails + 1)); continue; }
    start=$(date +%s.%N)
    got=$(run "$name" "$secs" "$log" "$cpu")
    took=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")
    ok=FAIL
    if [ "$got" = "$expect" ] || { [ "$expect" = any-exit ] && [ "${got%%:*}" = exit ]; }; then ok=ok; fi
    [ $ok = ok ] || fails=$((fails + 1))
    printf '%-28s %-4s got %-10s want %-10s %5ss  last: %s\n' "$label" "$ok" "$got" "$expect" "$took" \
        "$(tail -c 300 "$out/$log.log" 2>/dev/null | tr -d '\r' | grep -v '^$' | tail -n 1)"
    if [ "${QEMU_CHECK_VERBOSE:-0}" = 1 ] || [ $ok != ok ]; then sed 's/^/    | /' "$out/$log.log"; fi
done <<< "$table"
echo "qemu-check: $fails failure(s)"
[ $fails -eq 0 ]
