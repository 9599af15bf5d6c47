package dev.partita.emulator.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Assembles Intel-syntax snippets with the host's GNU {@code as} and {@code objcopy} (binutils), for
 * readable interpreter tests. Results are cached per JVM. {@link #available()} tells whether binutils
 * is installed; tests skip (and say so) when it is not.
 */
final class Asm {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static Boolean available;

    private Asm() {
    }

    static synchronized boolean available() {
        if (available == null) {
            available = Files.isExecutable(Path.of("/usr/bin/as")) && Files.isExecutable(Path.of("/usr/bin/objcopy"));
        }
        return available;
    }

    /** Assembles {@code source} (lines separated by ';' or newlines) for {@code bits} 16, 32 or 64. */
    static byte[] assemble(int bits, String source) {
        return CACHE.computeIfAbsent(bits + "\n" + source, k -> run(bits, source));
    }

    private static byte[] run(int bits, String source) {
        try {
            Path dir = Files.createTempDirectory("e1asm");
            Path src = dir.resolve("a.s");
            Path obj = dir.resolve("a.o");
            Path bin = dir.resolve("a.bin");
            String text = ".intel_syntax noprefix\n.code" + bits + "\n" + source.replace(";", "\n") + "\n";
            Files.writeString(src, text);
            exec(dir, "as", bits == 64 ? "--64" : "--32", "-o", obj.toString(), src.toString());
            exec(dir, "objcopy", "-O", "binary", "-j", ".text", obj.toString(), bin.toString());
            byte[] b = Files.readAllBytes(bin);
            Files.delete(src);
            Files.delete(obj);
            Files.delete(bin);
            Files.delete(dir);
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("assembling " + source + ": " + e.getMessage(), e);
        }
    }

    private static void exec(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd[0] + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException(cmd[0] + " failed: " + out);
        }
    }
}
