package dev.partita.devices.storage.disk.vhdx;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code qemu-img} from Debian's qemu-utils, the independent VHDX reader of these tests. When it is missing
 * and this process is root it is installed with apt-get; otherwise the test is skipped with the reason
 * printed.
 */
public final class QemuImg {
    /** A finished run. */
    public record Result(List<String> command, int exit, String output) {
        public String describe() {
            return String.join(" ", command) + " exited " + exit + ":\n" + output;
        }
    }

    private QemuImg() {
    }

    /** Makes sure qemu-img runs; skips {@code test} (reason printed) otherwise. */
    public static void require(String test) throws IOException {
        if (found()) {
            return;
        }
        String reason;
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("apt-get", "install", "-y", "-q", "qemu-utils"), 900);
            if (found()) {
                return;
            }
            run(List.of("apt-get", "update", "-q"), 900);
            run(List.of("apt-get", "install", "-y", "-q", "qemu-utils"), 900);
            if (found()) {
                return;
            }
            reason = "qemu-img (Debian qemu-utils) could not be installed with apt-get";
        } else {
            reason = "qemu-img (Debian qemu-utils) is not installed and this test is not root, so it cannot install it";
        }
        System.out.println("SKIP " + test + ": " + reason);
        Assumptions.abort(reason);
    }

    private static boolean found() {
        for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(d, "qemu-img"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code qemu-img ARGS}. */
    public static Result qemuImg(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("qemu-img");
        cmd.addAll(List.of(args));
        return run(cmd, 300);
    }

    private static Result run(List<String> cmd, long seconds) throws IOException {
        File out = File.createTempFile("qemu-img", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + seconds + " s");
            }
            return new Result(cmd, p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            out.delete();
        }
    }
}
