package dev.partita.emulator.diff;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs cases natively through one long-lived {@code diff_oracle} child process (the binary protocol
 * is described in {@code diff_oracle.c}). A batch is streamed in by a writer thread while the
 * calling thread reads the results, so neither side blocks the other.
 *
 * <p>At start-up the oracle checks where this host reports INT1's #DB ({@link Int1Report}) and prints
 * one line saying so; every result it returns is the SDM's, whichever way the host reports it.
 * One instance per test thread.
 */
public final class NativeOracle implements CaseRunner, AutoCloseable {

    private static final int CASE_MAGIC = 0x45534143;
    private static final int RESULT_MAGIC = 0x544c5352;

    private final Process process;
    private final OutputStream in;
    private final InputStream out;
    private final long exitStub;
    private final Int1Report int1;
    private static final int ORACLE_MAGIC = 0x4c43524f;

    /** Starts the oracle program. */
    public NativeOracle(Path exe) {
        try {
            process = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the native oracle " + exe, e);
        }
        in = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        out = new BufferedInputStream(process.getInputStream(), 1 << 16);
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(h);
        } catch (IOException e) {
            throw new UncheckedIOException("native oracle did not start", e);
        }
        if (h.getInt(0) != ORACLE_MAGIC || h.getInt(4) != 1) {
            throw new IllegalStateException("native oracle: unexpected header " + Integer.toHexString(h.getInt(0)));
        }
        exitStub = h.getLong(8);
        try {
            int1 = Int1Report.of(runAsHostReports(List.of(Int1Report.probe())).get(0));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        System.out.println(int1.line());
    }

    /** Where this host reports INT1's #DB (found at start-up). */
    public Int1Report int1Report() {
        return int1;
    }

    /** Address the trampoline jumps to in the oracle process (part of the code page's bytes). */
    public long exitStub() {
        return exitStub;
    }

    @Override
    public String name() {
        return "host";
    }

    /** Runs a batch; results in case order, as the SDM specifies them (see {@link Int1Report}). */
    @Override
    public List<Outcome> run(List<DiffCase> batch) {
        List<Outcome> host = runAsHostReports(batch);
        List<Outcome> results = new ArrayList<>(host.size());
        for (int i = 0; i < host.size(); i++) {
            results.add(int1.toSdm(batch.get(i), host.get(i)));
        }
        return results;
    }

    private List<Outcome> runAsHostReports(List<DiffCase> batch) {
        Thread writer = Thread.ofPlatform().name("diff-oracle-writer").start(() -> writeAll(batch));
        List<Outcome> results = new ArrayList<>(batch.size());
        try {
            for (int i = 0; i < batch.size(); i++) {
                results.add(readOne());
            }
            writer.join();
        } catch (IOException e) {
            throw new UncheckedIOException("reading native oracle results (exit "
                    + (process.isAlive() ? "alive" : process.exitValue()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the native oracle", e);
        }
        return results;
    }

    private void writeAll(List<DiffCase> batch) {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 128 + 8 + 256 + DiffLayout.CODE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (DiffCase c : batch) {
                b.clear();
                b.putInt(CASE_MAGIC).putInt(0).putInt(c.code().length).putInt(c.mxcsr());
                b.putLong(c.dataSeed());
                for (long g : c.gpr()) {
                    b.putLong(g);
                }
                b.putLong(c.rflags());
                for (long x : c.xmm()) {
                    b.putLong(x);
                }
                b.put(c.code());
                int pad = (8 - (c.code().length & 7)) & 7;
                for (int i = 0; i < pad; i++) {
                    b.put((byte) 0);
                }
                in.write(b.array(), 0, b.position());
            }
            in.flush();
        } catch (IOException e) {
            // The reader sees the broken stream too and reports it with the exit status.
            System.out.println("native oracle writer: " + e);
        }
    }

    private final ByteBuffer head = ByteBuffer.allocate(16 + 32 + 128 + 256 + 8).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer pair = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

    private Outcome readOne() throws IOException {
        readFully(head);
        if (head.getInt(0) != RESULT_MAGIC) {
            throw new IOException("bad result magic " + Integer.toHexString(head.getInt(0)));
        }
        int kind = head.getInt(4);
        int vector = head.getInt(8);
        long err = head.getLong(16);
        long cr2 = head.getLong(24);
        long rip = head.getLong(32);
        long rflags = head.getLong(40);
        long[] gpr = new long[16];
        for (int i = 0; i < 16; i++) {
            gpr[i] = head.getLong(48 + 8 * i);
        }
        long[] xmm = new long[32];
        for (int i = 0; i < 32; i++) {
            xmm[i] = head.getLong(176 + 8 * i);
        }
        int mxcsr = head.getInt(432);
        int ndiff = head.getInt(436);
        long[] diff = new long[2 * ndiff];
        for (int i = 0; i < ndiff; i++) {
            readFully(pair);
            diff[2 * i] = pair.getInt(0);
            diff[2 * i + 1] = pair.getLong(8);
        }
        Outcome.Kind k = switch (kind) {
            case 0 -> Outcome.Kind.DONE;
            case 1 -> Outcome.Kind.FAULT;
            default -> Outcome.Kind.TIMEOUT;
        };
        if (k != Outcome.Kind.FAULT) {
            vector = 0;
            err = 0;
            cr2 = 0;
        } else {
            if (!Outcome.hasErrorCode(vector)) {
                err = 0;
            }
            if (vector != 14) {
                cr2 = 0; // the kernel reports a stale CR2 for other vectors
            }
        }
        return new Outcome(k, vector, err, cr2, rip, rflags, gpr, xmm, mxcsr, diff);
    }

    private void readFully(ByteBuffer b) throws IOException {
        int n = b.capacity();
        int got = 0;
        while (got < n) {
            int r = out.read(b.array(), got, n - got);
            if (r < 0) {
                throw new EOFException("native oracle ended early");
            }
            got += r;
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
