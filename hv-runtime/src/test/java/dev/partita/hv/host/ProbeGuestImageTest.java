package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-assembled guests say what their comments say (checked with GNU objdump where installed). */
class ProbeGuestImageTest {

    @TempDir
    Path dir;

    private static MemorySegment image(Arena arena) {
        MemorySegment ram = arena.allocate(ProbeGuestImage.RAM_SIZE, 4096);
        ProbeGuestImage.install(ram);
        return ram;
    }

    private String objdump(MemorySegment ram, long gpa, int length, String machine) throws Exception {
        Path bin = dir.resolve("code-" + Long.toHexString(gpa) + ".bin");
        Files.write(bin, ram.asSlice(gpa, length).toArray(ValueLayout.JAVA_BYTE));
        Process p;
        try {
            p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", machine,
                    "--adjust-vma=0x" + Long.toHexString(gpa), bin.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("SKIP ProbeGuestImageTest: objdump not installed");
            Assumptions.abort("objdump not installed");
            return "";
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes()).replaceAll("[ \t]+", " ").toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void realModeLoopsDisassembleAsCommented() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            String asm = objdump(image(arena), ProbeGuestImage.OUT_LOOP_IP, 0x17, "i8086");
            assertTrue(asm.contains("1000: E6 10 OUT %AL,$0X10"), asm);
            assertTrue(asm.contains("1002: EB FC JMP 0X1000"), asm);
            assertTrue(asm.contains("1010: 66 49 DEC %ECX"), asm);
            assertTrue(asm.contains("1012: 75 FC JNE 0X1010"), asm);
            assertTrue(asm.contains("1014: E6 11 OUT %AL,$0X11"), asm);
        }
    }

    @Test
    void longModeLoopDisassemblesAsCommented() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            String asm = objdump(image(arena), ProbeGuestImage.LONG_MODE_LOOP_RIP, 9, "i386:x86-64");
            assertTrue(asm.contains("8000: 48 FF C9 DEC %RCX"), asm);
            assertTrue(asm.contains("8003: 75 FB JNE 0X8000"), asm);
            assertTrue(asm.contains("8005: E6 11 OUT %AL,$0X11"), asm);
        }
    }

    @Test
    void pageTablesAndTssDescriptor() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = image(arena);
            assertEquals(ProbeGuestImage.PDPT | 7, ram.get(ValueLayout.JAVA_LONG_UNALIGNED, ProbeGuestImage.PML4));
            assertEquals(ProbeGuestImage.PD | 7, ram.get(ValueLayout.JAVA_LONG_UNALIGNED, ProbeGuestImage.PDPT));
            assertEquals(0x87L, ram.get(ValueLayout.JAVA_LONG_UNALIGNED, ProbeGuestImage.PD), "2 MiB user page at 0");
            long tss = ram.get(ValueLayout.JAVA_LONG_UNALIGNED, ProbeGuestImage.GDT + ProbeGuestImage.SELECTOR_TSS);
            assertEquals(ProbeGuestImage.TSS_LIMIT, tss & 0xFFFF, "limit");
            assertEquals(ProbeGuestImage.TSS, ((tss >>> 16) & 0xFFFFFF) | (((tss >>> 56) & 0xFF) << 24), "base");
            assertEquals(0x8B, (tss >>> 40) & 0xFF, "present, busy 64-bit TSS");
            long userCode = ram.get(ValueLayout.JAVA_LONG_UNALIGNED, ProbeGuestImage.GDT + (ProbeGuestImage.SELECTOR_USER_CODE & ~7));
            assertEquals(3, (userCode >>> 45) & 3, "user code DPL");
            assertEquals(1, (userCode >>> 53) & 1, "user code L bit");
        }
    }
}
