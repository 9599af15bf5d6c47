package dev.partita.hv.bench;

/**
 * The CPU-bound loop of the cpl3 benchmark and its two wrappers, hand-assembled so the guest and
 * the host run byte-identical loop code at the same offset within a page (same alignment, same
 * fetch and branch-prediction behaviour). The loop is {@code dec rcx; jnz loop} at page offset
 * {@link #LOOP_OFFSET}: one taken branch per iteration.
 */
final class CountingLoopCode {

    /** Offset of the loop inside its page, in both wrappers. */
    static final int LOOP_OFFSET = 0x40;
    /** Port the guest writes when it starts counting. */
    static final int PORT_START = 0x12;
    /** Port the guest writes when it has finished counting. */
    static final int PORT_DONE = 0x11;

    /** The loop: {@code 1: dec rcx; jnz 1b}. */
    static final byte[] LOOP = {0x48, (byte) 0xFF, (byte) 0xC9, 0x75, (byte) 0xFB};

    private CountingLoopCode() {}

    /**
     * Guest code (64-bit, CPL3, RCX = iterations, RFLAGS.IOPL = 3): {@code out 0x12, al}, nops, the
     * loop, {@code out 0x11, al}, {@code jmp $}.
     */
    static byte[] guest() {
        byte[] prefix = {(byte) 0xE6, (byte) PORT_START};
        byte[] suffix = {(byte) 0xE6, (byte) PORT_DONE, (byte) 0xEB, (byte) 0xFE};
        return wrap(prefix, suffix);
    }

    /**
     * Host function {@code long f(long iterations)} (System V: RDI in, RAX out): {@code mov rcx, rdi},
     * nops, the loop, {@code mov rax, rcx; ret}.
     */
    static byte[] host() {
        byte[] prefix = {0x48, (byte) 0x89, (byte) 0xF9};
        byte[] suffix = {0x48, (byte) 0x89, (byte) 0xC8, (byte) 0xC3};
        return wrap(prefix, suffix);
    }

    private static byte[] wrap(byte[] prefix, byte[] suffix) {
        byte[] code = new byte[LOOP_OFFSET + LOOP.length + suffix.length];
        java.util.Arrays.fill(code, (byte) 0x90); // nop
        System.arraycopy(prefix, 0, code, 0, prefix.length);
        System.arraycopy(LOOP, 0, code, LOOP_OFFSET, LOOP.length);
        System.arraycopy(suffix, 0, code, LOOP_OFFSET + LOOP.length, suffix.length);
        return code;
    }
}
