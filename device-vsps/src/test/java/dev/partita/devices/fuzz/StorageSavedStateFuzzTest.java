package dev.partita.devices.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.devices.storage.StorageVsp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fuzzes the storage VSP's saved-state decoder ({@link StorageVsp#restoreState}) and what follows
 * it: a saved state from any bytes (or, when the input's first byte is odd, one well-formed channel
 * entry with any relid, initialisation state and protocol version number), restored into a VSP
 * with an open channel, then guest packets on that channel (see {@link VstorPacketProperty}).
 *
 * <p>Properties: restore ends normally or in {@link IllegalArgumentException}; a restored single
 * entry for the open channel saves back to the same bytes; after any restore no exception escapes
 * the packet path and no host exception fails the channel; completions keep a supported packet
 * size.
 *
 * <p>Input: byte 0 selects the form; a structured entry takes bytes 1-3 (relid selector, state,
 * version selector) and a raw state takes byte 1 as its length; the rest is a
 * {@link VstorPacketProperty} packet script. CI runs the seeds in
 * {@code src/test/resources/dev/partita/devices/fuzz/StorageSavedStateFuzzTestInputs} (regression
 * mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class StorageSavedStateFuzzTest {
    private static final VstorPacketProperty PROPERTY = new VstorPacketProperty();
    /** Protocol version numbers on the wire: the supported ones, and a few that are not. */
    private static final int[] WIRES = {0x0602, 0x0601, 0x0600, 0x0502, 0x0402, 0x0200, 0x0000, 0x0603, 0xFFFF};
    static long executions;

    @AfterAll
    static void close() {
        PROPERTY.close();
        System.out.println("StorageSavedStateFuzzTest: " + executions + " inputs executed, " + PROPERTY.packets + " packets");
    }

    @FuzzTest(maxDuration = "3m")
    void anySavedState(byte[] data) {
        check(data);
    }

    /** Deterministic complement for CI: every state and version for the open channel, then random SRBs. */
    @Test
    void everyEntryRestoresOrIsRefused() {
        SplittableRandom rng = new SplittableRandom(0x57);
        for (int st = 0; st < 6; st++) {
            for (int w = 0; w < WIRES.length; w++) {
                for (int k = 0; k < 4; k++) {
                    byte[] packets = new byte[rng.nextInt(0, 300)];
                    rng.nextBytes(packets);
                    byte[] in = new byte[4 + packets.length];
                    in[0] = (byte) (1 | (k & 1) << 1);   // half of them initialise the channel first
                    in[1] = 0;
                    in[2] = (byte) st;
                    in[3] = (byte) w;
                    System.arraycopy(packets, 0, in, 4, packets.length);
                    check(in);
                }
            }
        }
    }

    static void check(byte[] data) {
        executions++;
        if (data.length < 2) {
            return;
        }
        byte[] state;
        int at;
        if ((data[0] & 1) != 0 && data.length >= 4) {
            int relid = (data[1] & 0xFF) < 0xF0 ? 1 : data[1] & 0xFF;
            state = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(1).putInt(1).putInt(relid).putInt(data[2] % 6).putInt(WIRES[(data[3] & 0xFF) % WIRES.length]).array();
            at = 4;
        } else {
            int len = Math.min(data[1] & 0xFF, data.length - 2);
            state = Arrays.copyOfRange(data, 2, 2 + len);
            at = 2 + len;
        }
        byte[] script = new byte[1 + data.length - at];
        script[0] = (byte) (data[0] >>> 1); // bit 1 of the first byte: initialise before the restore
        System.arraycopy(data, at, script, 1, data.length - at);
        PROPERTY.check(script, state);
    }
}
