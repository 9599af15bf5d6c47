package dev.partita.emulator.diff;

/**
 * The fixed guest/host layout every differential case runs in; must agree with
 * {@code src/test/c/diff_oracle.c}. Code page (read+execute) at {@link #CODE_BASE}, data region
 * (read+write, no execute) at {@link #DATA_BASE}, nothing else mapped near them.
 */
public final class DiffLayout {
    /** Code page: the case's code, then the trampoline at CODE_BASE + code length. */
    public static final long CODE_BASE = 0x10_0000L;
    /** One page of code. */
    public static final int CODE_SIZE = 4096;
    /** Bytes the native trampoline occupies after the code (jmp [rip+0]; .quad target). */
    public static final int TRAMPOLINE_LEN = 14;
    /** Longest code a case may have. */
    public static final int MAX_CODE = CODE_SIZE - TRAMPOLINE_LEN;
    /** Data region, filled per case from {@link DataImage}. */
    public static final long DATA_BASE = 0x20_0000L;
    /** Size of the data region (two pages). */
    public static final int DATA_SIZE = 0x2000;
    /** RFLAGS bits a case may set initially: CF PF AF ZF SF OF DF. */
    public static final long INPUT_FLAGS = 0xCD5L | 0x400L;

    private DiffLayout() {
    }
}
