package dev.partita.emulator.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.emulator.diff.gen.CaseGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Validates the differential test's own encoder against the host binutils: every instruction the
 * generator families emit is assembled by GNU as from the encoder's text, and both byte strings are
 * disassembled by objdump; the disassembly must agree instruction by instruction (so the bytes mean
 * what the generator meant, whatever encoding variant it chose).
 */
class X86AsmVsGasTest {

    private static final int SLOT = 32;
    private static final int PER_FAMILY = 400;

    @Test
    void encoderAgreesWithGnuAs() throws Exception {
        boolean tools = runs("as", "--version") && runs("objdump", "--version");
        if (!tools) {
            System.out.println("SKIP X86AsmVsGasTest: GNU as/objdump not installed (apt-get install binutils)");
            Assumptions.assumeTrue(false, "binutils missing");
        }
        List<byte[]> insns = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String family : CaseGenerator.families()) {
            if (family.equals("randbytes")) {
                continue; // raw bytes, nothing to validate
            }
            for (DiffCase c : CaseGenerator.range(family, 7, 0, PER_FAMILY)) {
                List<String> lines = c.asm();
                List<Integer> starts = startsOf(c);
                for (int k = 0; k < lines.size(); k++) {
                    int end = k + 1 < starts.size() ? starts.get(k + 1) : c.code().length;
                    insns.add(Arrays.copyOfRange(c.code(), starts.get(k), end));
                    texts.add(lines.get(k));
                }
            }
        }
        Path dir = Files.createTempDirectory(OracleProgram.buildDir(), "asm-vs-gas");
        byte[] blob = new byte[insns.size() * SLOT];
        Arrays.fill(blob, (byte) 0xCC);
        StringBuilder src = new StringBuilder(".intel_syntax noprefix\n.text\n");
        for (int i = 0; i < insns.size(); i++) {
            assertTrue(insns.get(i).length <= SLOT, texts.get(i));
            System.arraycopy(insns.get(i), 0, blob, i * SLOT, insns.get(i).length);
            src.append(".balign ").append(SLOT).append(", 0xcc\n").append(texts.get(i)).append('\n');
        }
        src.append(".balign ").append(SLOT).append(", 0xcc\n");
        Files.writeString(dir.resolve("gen.s"), src);
        Files.write(dir.resolve("mine.bin"), blob);
        String asOut = exec(dir, "as", "--64", "-o", "gen.o", "gen.s");
        assertTrue(asOut != null, "GNU as rejected the encoder's text (see output above)");
        List<String> theirs = disasm(exec(dir, "objdump", "-d", "--no-show-raw-insn", "-M", "intel", "gen.o"));
        List<String> mine = disasm(exec(dir, "objdump", "-D", "--no-show-raw-insn", "-b", "binary", "-m",
                "i386:x86-64", "-M", "intel", "mine.bin"));
        int mismatches = 0;
        for (int i = 0; i < insns.size(); i++) {
            String a = i < mine.size() ? mine.get(i) : "<missing>";
            String b = i < theirs.size() ? theirs.get(i) : "<missing>";
            if (!a.equals(b)) {
                if (mismatches++ < 20) {
                    System.out.printf("encoder mismatch #%d: text '%s'%n  ours %s -> %s%n  gas  -> %s%n", i,
                            texts.get(i), hex(insns.get(i)), a, b);
                }
            }
        }
        System.out.println("X86AsmVsGasTest: " + insns.size() + " instructions, " + mismatches + " mismatches");
        assertEquals(insns.size(), mine.size(), "instruction count of our bytes");
        assertEquals(0, mismatches);
        deleteTree(dir);
    }

    /** Instruction boundaries of a generated case. */
    private static List<Integer> startsOf(DiffCase c) {
        return c.starts();
    }

    private static List<String> disasm(String objdump) {
        List<String> out = new ArrayList<>();
        if (objdump == null) {
            return out;
        }
        for (String line : objdump.split("\n")) {
            int colon = line.indexOf(":\t");
            if (colon < 0 || !line.substring(0, colon).trim().matches("[0-9a-f]+")) {
                continue;
            }
            String insn = line.substring(colon + 2);
            int hash = insn.indexOf('#');
            if (hash >= 0) {
                insn = insn.substring(0, hash);
            }
            insn = insn.trim().replaceAll("\\s+", " ");
            if (insn.equals("int3")) {
                continue;
            }
            // Equivalent spellings: shift count 1, zero displacement, SIB without index
            // ("eiz*4": the encoder varies the unused scale bits), XCHG operand order.
            insn = insn.replaceAll(",1$", ",0x1").replace("+0x0]", "]").replaceAll("\\+[er]iz\\*\\d", "");
            if (insn.startsWith("xchg ") && !insn.contains("PTR")) {
                String[] ops = insn.substring(5).split(",");
                Arrays.sort(ops);
                insn = "xchg " + String.join(",", ops);
            }
            out.add(insn);
        }
        return out;
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", cmd) + " failed:\n" + out.lines().limit(40).reduce("", (x, y) -> x + y + "\n"));
            return null;
        }
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x & 0xFF));
        }
        return sb.toString().trim();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
