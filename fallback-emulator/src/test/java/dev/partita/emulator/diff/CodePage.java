package dev.partita.emulator.diff;

import java.util.Arrays;

/**
 * The code page exactly as the native oracle lays it out: the case's code, the 14-byte trampoline
 * ({@code jmp qword [rip+0]} followed by the host address of the oracle's exit stub) and INT3 (0xCC)
 * filling the rest, so code that reads its own page sees the same bytes in the emulator.
 */
public final class CodePage {
    private CodePage() {
    }

    /** The 4 KiB page for {@code code}, with {@code exitStub} as the trampoline's target. */
    public static byte[] image(byte[] code, long exitStub) {
        byte[] page = new byte[DiffLayout.CODE_SIZE];
        Arrays.fill(page, (byte) 0xCC);
        System.arraycopy(code, 0, page, 0, code.length);
        int t = code.length;
        page[t] = (byte) 0xFF;
        page[t + 1] = 0x25;
        page[t + 2] = page[t + 3] = page[t + 4] = page[t + 5] = 0;
        for (int i = 0; i < 8; i++) {
            page[t + 6 + i] = (byte) (exitStub >>> (8 * i));
        }
        return page;
    }
}
