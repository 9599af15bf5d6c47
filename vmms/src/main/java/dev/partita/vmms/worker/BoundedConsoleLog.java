package dev.partita.vmms.worker;

import dev.partita.hv.devices.debug.ConsoleSink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A guest console written to a file that never grows past {@code limit} bytes: when it would, the file becomes
 * the previous part (replacing the one before) and a new file starts, so at most twice the limit is kept.
 * Output is flushed at each newline. A write failure drops the console output, never the VM.
 *
 * <p><b>Threads.</b> {@link #write(int)} is called on vCPU threads and is synchronized.
 */
public final class BoundedConsoleLog implements ConsoleSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BoundedConsoleLog.class.getName());

    private final Path file;
    private final Path previous;
    private final long limit;
    private OutputStream out;
    private long written;
    private boolean broken;

    public BoundedConsoleLog(Path file, Path previous, long limit) throws IOException {
        this.file = file;
        this.previous = previous;
        this.limit = limit;
        this.out = open();
    }

    private OutputStream open() throws IOException {
        written = 0;
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    @Override
    public synchronized void write(int b) {
        if (broken) {
            return;
        }
        try {
            if (written >= limit) {
                out.close();
                Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
                out = open();
            }
            out.write(b);
            written++;
            if (b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            broken = true;
            LOG.log(System.Logger.Level.WARNING, "console log " + file + " failed, console output is dropped: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
