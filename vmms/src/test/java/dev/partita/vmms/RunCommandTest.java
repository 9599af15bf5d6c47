package dev.partita.vmms;

import static dev.partita.vmms.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.spi.BackendAvailability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code partita run}: guests run end to end, exit statuses, and one-line errors for bad input. */
class RunCommandTest {

    @TempDir
    Path dir;

    /** A backend that can run guests here, or a skip with the reason printed. */
    private static String usableBackend() {
        for (String name : List.of("kvm", "emulator")) {
            if (Hypervisor.get().availability(name).usable()) {
                return name;
            }
        }
        String reason = "no usable backend: kvm (" + Hypervisor.get().availability("kvm").reason() + "), emulator ("
                + Hypervisor.get().availability("emulator").reason() + ")";
        System.out.println("SKIP RunCommandTest: " + reason);
        Assumptions.assumeTrue(false, reason);
        return null;
    }

    /**
     * Real mode at 0x7C00: prints "hello from guest\n" to port 0xE9, then writes {@code code} to 0xF4.
     * <pre>
     * 0:  mov si, 0x7c13    BE 13 7C
     * 3:  mov dx, 0xe9      BA E9 00
     * 6:  lodsb             AC
     * 7:  test al, al       84 C0
     * 9:  jz 14             74 03
     * 11: out dx, al        EE
     * 12: jmp 6             EB F8
     * 14: mov al, code      B0 code
     * 16: out 0xf4, al      E6 F4
     * 18: hlt               F4
     * 19: "hello from guest\n\0"
     * </pre>
     */
    static byte[] helloFlatGuest(int code) {
        byte[] head = {(byte) 0xBE, 0x13, 0x7C, (byte) 0xBA, (byte) 0xE9, 0x00, (byte) 0xAC, (byte) 0x84, (byte) 0xC0, 0x74, 0x03,
            (byte) 0xEE, (byte) 0xEB, (byte) 0xF8, (byte) 0xB0, (byte) code, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};
        byte[] msg = "hello from guest\n\0".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + msg.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(msg, 0, all, head.length, msg.length);
        return all;
    }

    /** A minimal ELF32 EM_386 executable with one PT_LOAD of {@code code} at {@code paddr}, entry at its start. */
    static byte[] elf32(long paddr, byte[] code, long memsz) {
        int phoff = 52;
        int dataOff = phoff + 32;
        ByteBuffer b = ByteBuffer.allocate(dataOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1).putInt(24, (int) paddr).putInt(28, phoff)
                .putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(phoff, 1).putInt(phoff + 4, dataOff).putInt(phoff + 8, (int) paddr).putInt(phoff + 12, (int) paddr)
                .putInt(phoff + 16, code.length).putInt(phoff + 20, (int) memsz).putInt(phoff + 24, 5).putInt(phoff + 28, 0x1000);
        b.put(dataOff, code);
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void runsFlatGuestMirrorsConsoleAndReturnsItsExitCode() throws Exception {
        String backend = usableBackend();
        Path image = write("hello.bin", helloFlatGuest(7));
        CommandLineRun r = run("run", "--image", image.toString(), "--backend", backend, "--timeout", "60s");
        assertEquals("hello from guest\n", r.out(), r.err());
        assertEquals(7, r.exit(), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"kvm", "emulator"})
    void runsFlatAndElfGuestsOnEachBackend(String backend) throws Exception {
        BackendAvailability a = Hypervisor.get().availability(backend);
        if (!a.usable()) {
            System.out.println("SKIP runsFlatAndElfGuestsOnEachBackend[" + backend + "]: " + a.reason());
            Assumptions.assumeTrue(false, a.reason());
        }
        CommandLineRun flat = run("run", "--image", write("hello-" + backend + ".bin", helloFlatGuest(5)).toString(),
                "--backend", backend, "--timeout", "60s");
        assertEquals("hello from guest\n", flat.out(), flat.err());
        assertEquals(5, flat.exit(), flat.err());
        byte[] code = {(byte) 0xB0, 'E', (byte) 0xE6, (byte) 0xE9, (byte) 0xB0, 0x09, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};
        CommandLineRun elf = run("run", "--image", write("pm-" + backend + ".elf", elf32(0x300000, code, 0x1000)).toString(),
                "--backend", backend, "--timeout", "60s", "--cpus", "2", "--memory", "8M");
        assertEquals("E", elf.out(), elf.err());
        assertEquals(9, elf.exit(), elf.err());
    }

    @Test
    void runsElfGuestInProtectedMode() throws Exception {
        String backend = usableBackend();
        // 32-bit: mov al, 'P'; out 0xe9, al; mov al, 0; out 0xf4, al; hlt
        byte[] code = {(byte) 0xB0, 'P', (byte) 0xE6, (byte) 0xE9, (byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};
        Path image = write("pm.elf", elf32(0x100000, code, 0x2000));
        CommandLineRun r = run("run", "--image", image.toString(), "--backend", backend, "--memory", "4M", "--timeout", "60s");
        assertEquals("P", r.out(), r.err());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void runsElfGuestBuiltWithTheAssembler() throws Exception {
        String backend = usableBackend();
        for (String tool : List.of("as", "ld")) {
            if (!onPath(tool)) {
                System.out.println("SKIP runsElfGuestBuiltWithTheAssembler: '" + tool + "' not found (install binutils)");
                Assumptions.assumeTrue(false, tool + " not found");
            }
        }
        Path src = dir.resolve("guest.S");
        Files.writeString(src, """
                .code32
                .globl _start
                _start:
                    mov $msg, %esi
                1:  lodsb
                    test %al, %al
                    jz 2f
                    out %al, $0xe9
                    jmp 1b
                2:  mov $3, %al
                    out %al, $0xf4
                    hlt
                msg: .asciz "assembled ELF\\n"
                """);
        Path obj = dir.resolve("guest.o");
        Path elf = dir.resolve("guest.elf");
        exec("as", "--32", "-o", obj.toString(), src.toString());
        exec("ld", "-m", "elf_i386", "-Ttext=0x200000", "-e", "_start", "-o", elf.toString(), obj.toString());
        CommandLineRun r = run("run", "--image", elf.toString(), "--backend", backend, "--timeout", "60s");
        assertEquals("assembled ELF\n", r.out(), r.err());
        assertEquals(3, r.exit(), r.err());
    }

    @Test
    void timeoutGives124() throws Exception {
        String backend = usableBackend();
        Path image = write("spin.bin", new byte[] {(byte) 0xEB, (byte) 0xFE}); // jmp $
        CommandLineRun r = run("run", "--image", image.toString(), "--backend", backend, "--timeout", "300ms");
        assertEquals(124, r.exit(), r.err());
        assertTrue(r.err().contains("timed out"), r.err());
    }

    @Test
    void tripleFaultGives125WithReport() throws Exception {
        String backend = usableBackend();
        // Protected mode with IDT limit 0: ud2 -> #UD cannot be delivered -> #DF -> triple fault.
        Path image = write("ud2.elf", elf32(0x100000, new byte[] {0x0F, 0x0B}, 2));
        CommandLineRun r = run("run", "--image", image.toString(), "--backend", backend, "--timeout", "60s");
        assertEquals(125, r.exit(), r.err());
        assertTrue(r.err().contains("triple fault"), r.err());
    }

    @Test
    void missingImageIsOneLineError() {
        CommandLineRun r = run("run", "--image", dir.resolve("absent.bin").toString());
        assertBadInput(r, "does not exist");
    }

    @Test
    void malformedElfIsOneLineError() throws Exception {
        byte[] elf = elf32(0x100000, new byte[] {(byte) 0xF4}, 1);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) 300); // e_phnum past end of file
        CommandLineRun r = run("run", "--image", write("bad.elf", elf).toString());
        assertBadInput(r, "extends past end of file");
    }

    @Test
    void tooLargeFlatImageIsOneLineError() throws Exception {
        CommandLineRun r = run("run", "--image", write("big.bin", new byte[700_000]).toString());
        assertBadInput(r, "too large for a flat image");
    }

    @Test
    void imageLargerThanMemoryIsOneLineError() throws Exception {
        String backend = usableBackend();
        Path image = write("huge.elf", elf32(0x100000, new byte[] {(byte) 0xF4}, 40L << 20));
        CommandLineRun r = run("run", "--image", image.toString(), "--backend", backend, "--memory", "32M");
        assertBadInput(r, "image is 40 MiB but guest memory is 32 MiB");
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Path image = write("ok.bin", helloFlatGuest(0));
        String img = image.toString();
        assertBadInput(run("run", "--image", img, "--memory", "32X"), "unknown unit");
        assertBadInput(run("run", "--image", img, "--memory", "lots"), "not a size");
        assertBadInput(run("run", "--image", img, "--memory", "32"), "did you mean 32M");
        assertBadInput(run("run", "--image", img, "--memory", "0"), "at least 1M");
        assertBadInput(run("run", "--image", img, "--memory", "1000001K"), "multiple of 4K");
        assertBadInput(run("run", "--image", img, "--memory", "99999999999999G"), "too large");
        assertBadInput(run("run", "--image", img, "--memory", "65G"), "more than 64G");
        assertBadInput(run("run", "--image", img, "--cpus", "0"), "--cpus");
        assertBadInput(run("run", "--image", img, "--cpus", "many"), "--cpus");
        assertBadInput(run("run", "--image", img, "--backend", "qemu"), "--backend");
        assertBadInput(run("run", "--image", img, "--timeout", "-5s"), "duration");
        assertBadInput(run("run", "--image", img, "--timeout", "0s"), "positive");
        assertBadInput(run("run"), "--image");
    }

    private static void assertBadInput(CommandLineRun r, String expected) {
        assertEquals(2, r.exit(), "exit status for bad input; stderr: " + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("Run '")).toList();
        assertEquals(1, lines.size(), "one-line error: " + r.err());
        assertTrue(lines.get(0).contains(expected), "'" + expected + "' in: " + r.err());
        assertEquals("", r.out());
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
