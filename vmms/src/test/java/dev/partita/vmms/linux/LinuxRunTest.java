package dev.partita.vmms.linux;

import dev.partita.hv.Hypervisor;
import dev.partita.vmms.CommandLineRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.partita.vmms.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.*;

/** {@code partita run --kernel}: synthetic bzImages drive the UART, the ACPI power-off and the i8042 reset. */
class LinuxRunTest {
    @TempDir
    Path dir;

    private static void usable(String backend) {
        var a = Hypervisor.get().availability(backend);
        if (!a.usable()) {
            System.out.println("SKIP LinuxRunTest on " + backend + ": " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /** Writes "OK\n" to COM1, then ACPI soft-off: PM1a_CNT (0x604) = SLP_TYP 5 | SLP_EN. */
    static final byte[] HELLO_POWEROFF = bytes(
            0x66, 0xBA, 0xF8, 0x03,   // mov dx, 0x3f8
            0xB0, 'O', 0xEE,          // mov al,'O'; out dx,al
            0xB0, 'K', 0xEE,          // mov al,'K'; out dx,al
            0xB0, '\n', 0xEE,         // mov al,10; out dx,al
            0x66, 0xBA, 0x04, 0x06,   // mov dx, 0x604
            0x66, 0xB8, 0x00, 0x34,   // mov ax, 0x3400
            0x66, 0xEF,               // out dx, ax
            0xF4, 0xEB, 0xFD);        // hlt; jmp hlt

    /** Waits for a received byte (LSR.DR), sends it back plus one, then soft-off. */
    static final byte[] ECHO_PLUS_ONE = bytes(
            0x66, 0xBA, 0xFD, 0x03,   // mov dx, 0x3fd
            0xEC,                     // poll: in al, dx
            0xA8, 0x01,               // test al, 1
            0x74, 0xFB,               // jz poll
            0x66, 0xBA, 0xF8, 0x03,   // mov dx, 0x3f8
            0xEC,                     // in al, dx
            0xFE, 0xC0,               // inc al
            0xEE,                     // out dx, al
            0x66, 0xBA, 0x04, 0x06, 0x66, 0xB8, 0x00, 0x34, 0x66, 0xEF, // soft-off
            0xF4, 0xEB, 0xFD);

    /** Pulses the reset line through the i8042 (command 0xFE to port 0x64). */
    static final byte[] I8042_RESET = bytes(0xB0, 0xFE, 0xE6, 0x64, 0xF4, 0xEB, 0xFD);

    private Path kernel(String name, byte[] code) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, SyntheticBzImage.of(code, 0x1000));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "kvm"})
    void consoleOutputAndAcpiPowerOffEndTheRunWithZero(String backend) throws Exception {
        usable(backend);
        CommandLineRun r = run("run", "--kernel", kernel("hello", HELLO_POWEROFF).toString(), "--backend", backend, "--memory", "64M",
                "--timeout", "120s");
        assertEquals(0, r.exit(), r.err());
        assertEquals("OK\n", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "kvm"})
    void typedCharactersReachTheUart(String backend) throws Exception {
        usable(backend);
        CommandLineRun r = CommandLineRun.withConsole(new ByteArrayInputStream("A".getBytes()), "run", "--kernel",
                kernel("echo", ECHO_PLUS_ONE).toString(), "--backend", backend, "--memory", "64M", "--timeout", "120s");
        assertEquals(0, r.exit(), r.err());
        assertEquals("B", r.out());
        assertFalse(consolePumpAlive(), "the console input pump ended with its run");
    }

    /**
     * An in-process run without console input never touches the process's stdin (a test runner takes its
     * commands from there), and no console thread outlives the run.
     */
    @Test
    void inProcessRunLeavesTheProcessStdinAlone() throws Exception {
        usable("emulator");
        int[] touched = new int[1];
        InputStream watched = new InputStream() {
            @Override
            public int read() {
                touched[0]++;
                return -1;
            }

            @Override
            public int available() {
                touched[0]++;
                return 0;
            }
        };
        InputStream saved = System.in;
        System.setIn(watched);
        CommandLineRun r;
        try {
            r = run("run", "--kernel", kernel("hello", HELLO_POWEROFF).toString(), "--backend", "emulator", "--memory", "64M",
                    "--timeout", "120s");
        } finally {
            System.setIn(saved);
        }
        assertEquals(0, r.exit(), r.err());
        assertEquals(0, touched[0], "calls on System.in during an in-process run");
        assertFalse(consolePumpAlive());
    }

    private static boolean consolePumpAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("partita-console-input"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "kvm"})
    void i8042ResetStopsWith125(String backend) throws Exception {
        usable(backend);
        CommandLineRun r = run("run", "--kernel", kernel("reset", I8042_RESET).toString(), "--backend", backend, "--memory", "64M",
                "--timeout", "120s");
        assertEquals(125, r.exit(), r.err());
        assertTrue(r.err().contains("the guest reset the machine"), r.err());
    }

    private void assertBadInput(CommandLineRun r, String fragment) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(fragment), r.err());
    }

    @Test
    void badInputIsOneLineWithExitTwo() throws Exception {
        Path good = kernel("good", HELLO_POWEROFF);
        byte[] whole = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(SyntheticBzImage.of(HELLO_POWEROFF, 1 << 20), 1024 + 4096));
        assertBadInput(run("run", "--kernel", truncated.toString()), "kernel truncated: setup says 1 MiB, file has 4 KiB");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a kernel\n".repeat(100));
        assertBadInput(run("run", "--kernel", text.toString()), "not a bzImage: no HdrS magic");
        assertBadInput(run("run", "--kernel", dir.resolve("absent").toString()), "does not exist");
        Path initrd = dir.resolve("big.cpio");
        Files.write(initrd, new byte[40 << 20]);
        assertBadInput(run("run", "--kernel", good.toString(), "--initrd", initrd.toString(), "--memory", "32M"),
                "initrd (40 MiB) does not fit in 32 MiB of memory");
        assertBadInput(run("run", "--kernel", good.toString(), "--initrd", dir.resolve("nope.cpio").toString()),
                "initrd " + dir.resolve("nope.cpio") + " does not exist");
        for (String memory : new String[] {"lots", "-5M", "0", "10T"}) {
            // picocli's option errors: one line naming the problem, then the usage hint line.
            CommandLineRun nonsense = run("run", "--kernel", good.toString(), "--memory", memory);
            assertEquals(2, nonsense.exit(), nonsense.err());
            List<String> lines = nonsense.err().strip().lines().toList();
            assertTrue(lines.getFirst().contains("Invalid value for option '--memory': memory size '" + memory + "'"), nonsense.err());
            assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).contains("--help"), nonsense.err());
        }
        assertBadInput(run("run", "--kernel", good.toString(), "--memory", "8M"), "a Linux guest needs at least 16M of memory");
        assertBadInput(run("run", "--kernel", dir.toString()), "is a directory");
        assertBadInput(run("run", "--kernel", good.toString(), "--image", good.toString()), "either --image or --kernel");
        assertBadInput(run("run"), "missing --image FILE or --kernel FILE");
        assertEquals(whole.length, Files.size(good));
    }

    @Test
    void helpDocumentsTheDetachKeys() {
        CommandLineRun r = run("run", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Ctrl-] then q"), r.out());
        assertTrue(r.out().contains("--kernel"), r.out());
    }
}
