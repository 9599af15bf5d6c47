package dev.partita.vmms.service;

import dev.partita.vmms.worker.VmFolder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.function.BooleanSupplier;

/**
 * Follows a VM's console log as the worker appends to it ({@code GET /v1/vms/{name}/console?follow=true}): writes
 * what is new every {@link #POLL_MILLIS}, starts over when the worker rotated the file, and returns when the VM no
 * longer runs (after the last output) or the client goes away (the write fails). Runs on the request's thread.
 */
final class ConsoleFollower {
    static final long POLL_MILLIS = 100;

    private ConsoleFollower() {
    }

    /** Streams from byte {@code from} of the current file until {@code running} turns false. */
    static void follow(VmFolder folder, long from, BooleanSupplier running, OutputStream out) throws IOException, InterruptedException {
        long offset = from;
        byte[] buf = new byte[8192];
        while (true) {
            boolean last = !running.getAsBoolean();
            long size = Files.exists(folder.consoleLog()) ? Files.size(folder.consoleLog()) : 0;
            if (size < offset) {
                offset = 0; // rotated: the new file starts the continuation
            }
            if (size > offset) {
                try (RandomAccessFile f = new RandomAccessFile(folder.consoleLog().toFile(), "r")) {
                    f.seek(offset);
                    int n;
                    while (offset < size && (n = f.read(buf, 0, (int) Math.min(buf.length, size - offset))) > 0) {
                        out.write(buf, 0, n);
                        offset += n;
                    }
                }
            }
            out.flush();
            if (last) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
