package dev.partita.hv.hyperv;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The hypercall page code, checked against an independent disassembler (binutils objdump). */
class HypercallPageTest {

    @Test
    void pageIsCodeThenInt3() {
        for (HypercallPage p : HypercallPage.values()) {
            byte[] page = p.page();
            assertEquals(4096, page.length);
            byte[] code = p.code();
            assertEquals((byte) 0xC3, code[code.length - 1], p + " ends with ret");
            for (int i = code.length; i < 4096; i++) {
                assertEquals((byte) 0xCC, page[i], p + " padding at " + i);
            }
        }
        assertEquals(HypercallPage.PORT_TRAP, HypercallPage.forBackend("kvm"));
        assertEquals(HypercallPage.VMCALL, HypercallPage.forBackend("emulator"));
    }

    @Test
    void disassemblesToTheDocumentedInstructions(@TempDir Path dir) throws Exception {
        assertEquals(List.of("endbr64", "mov %rdx,%r11", "mov $0x4856,%edx", "out %al,(%dx)", "ret"), disassemble(dir, HypercallPage.PORT_TRAP));
        assertEquals(List.of("endbr64", "vmcall", "ret"), disassemble(dir, HypercallPage.VMCALL));
        assertEquals(0x4856, HypercallPage.TRAP_PORT);
    }

    private static List<String> disassemble(Path dir, HypercallPage page) throws Exception {
        Path bin = dir.resolve(page + ".bin");
        Files.write(bin, page.code());
        Process p;
        try {
            p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", "i386:x86-64", bin.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            System.out.println("SKIP hypercall page disassembly: objdump not runnable (" + e.getMessage() + ")");
            Assumptions.assumeTrue(false, "objdump not runnable");
            return List.of();
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out.lines()
                .filter(l -> l.matches("\\s+[0-9a-f]+:\\t.*"))
                .map(l -> l.split("\\t"))
                .filter(parts -> parts.length >= 3)
                .map(parts -> parts[2].trim().replaceAll("\\s+", " "))
                .toList();
    }
}
