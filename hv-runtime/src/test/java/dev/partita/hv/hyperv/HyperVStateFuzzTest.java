package dev.partita.hv.hyperv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.Partition;
import dev.partita.hv.TestPartitions;
import dev.partita.hv.msr.MsrFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the Hyper-V saved-state decoder and restore: {@link HyperVStateCodec#decode} on any bytes
 * (with the trailing CRC-32 made right when the input's first byte says so, so the fuzzer reaches
 * the fields), then {@link HyperV#restoreState} into an idle partition with that many processors,
 * then host deliveries and guest MSR accesses on the restored state.
 *
 * <p>Properties: decoding ends in a state or an {@link IllegalArgumentException}, nothing else; a
 * decoded state encodes to the same bytes; restore ends normally or in
 * {@link IllegalArgumentException} and a refused record leaves the partition's state as it was;
 * after a restore, {@link HyperV#state()} is the decoded state, host posts and signals with valid
 * arguments never throw and raise only vectors 16-255, and guest MSR accesses end normally or in
 * {@link MsrFault}.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/hv/hyperv/HyperVStateFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class HyperVStateFuzzTest {
    static final long MEMORY_BYTES = 64 * 1024;
    /** Idle partitions of 1-3 processors with the Hyper-V interface attached. */
    private static final Partition[] PARTITIONS = new Partition[3];
    private static final HyperV[] HYPERV = new HyperV[3];
    private static final byte[][] PRISTINE = new byte[3][];
    static long executions;

    static {
        dev.partita.hv.log.LogLevels.set("dev.partita.hv", System.Logger.Level.OFF); // rejected input is logged
        for (int i = 0; i < PARTITIONS.length; i++) {
            PARTITIONS[i] = TestPartitions.idle("hv-state-fuzz-" + (i + 1), i + 1, MEMORY_BYTES);
            HYPERV[i] = HyperV.attach(PARTITIONS[i]);
            PRISTINE[i] = HYPERV[i].saveState();
        }
    }

    @AfterAll
    static void close() {
        for (Partition p : PARTITIONS) {
            p.close();
        }
        System.out.println("HyperVStateFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyRecord(byte[] data) {
        check(data);
    }

    /** Deterministic complement for CI: valid records of random states, with random bytes changed and the CRC fixed. */
    @Test
    void damagedRecordsAreRefusedOrRestoredWhole() {
        SplittableRandom rng = new SplittableRandom(0x5059);
        for (int n = 0; n < 1_500; n++) {
            byte[] record = HYPERV[rng.nextInt(3)].saveState();
            for (int k = rng.nextInt(0, 4); k > 0; k--) {
                int at = rng.nextInt(6, record.length - 4);
                record[at] = (byte) (rng.nextInt(3) == 0 ? rng.nextInt(256) : record[at] ^ (1 << rng.nextInt(8)));
            }
            byte[] input = new byte[record.length + 1];
            input[0] = 1;
            System.arraycopy(record, 0, input, 1, record.length);
            check(input);
        }
    }

    static void check(byte[] data) {
        executions++;
        if (data.length == 0) {
            return;
        }
        byte[] record = Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) != 0 && record.length >= 4) {
            CRC32 crc = new CRC32();
            crc.update(record, 0, record.length - 4);
            int v = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                record[record.length - 4 + i] = (byte) (v >>> (24 - 8 * i));
            }
        }
        HyperVState state;
        try {
            state = HyperVStateCodec.decode(record);
        } catch (IllegalArgumentException refused) {
            return;
        }
        byte[] current = HyperVStateCodec.encode(state);
        if (ByteBuffer.wrap(record, 4, 2).getShort() == HyperVStateCodec.VERSION) {
            assertArrayEquals(record, current, "encode(decode(record)) == record");
        } else {
            // An older version decodes into the current state: it must encode to a record that
            // decodes to the same state (the upgrade is stable).
            assertArrayEquals(current, HyperVStateCodec.encode(HyperVStateCodec.decode(current)), "upgraded record is stable");
        }
        int vps = state.processors().size();
        if (vps > HYPERV.length) {
            return;
        }
        HyperV hv = HYPERV[vps - 1];
        Partition partition = PARTITIONS[vps - 1];
        partition.memory().fill(0, MEMORY_BYTES, (byte) 0);
        hv.restoreState(PRISTINE[vps - 1]);
        HyperVState before = hv.state();
        try {
            hv.restoreState(record);
        } catch (IllegalArgumentException refused) {
            assertEquals(withoutTime(before), withoutTime(hv.state()), "a refused record changes nothing");
            return;
        }
        assertEquals(withoutTime(state), withoutTime(hv.state()), "the restored state is the decoded one");
        exercise(hv, partition, vps);
    }

    /** The record of {@code s} with the reference time zeroed (it moves on after a restore). */
    private static List<Byte> withoutTime(HyperVState s) {
        byte[] b = HyperVStateCodec.encode(new HyperVState(s.guestOsId(), s.hypercall(), s.tscInvariantControl(), 0, s.processors()));
        Byte[] boxed = new Byte[b.length - 4];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = b[i];
        }
        return List.of(boxed);
    }

    private static void exercise(HyperV hv, Partition partition, int vps) {
        SynicDelivery synic = hv.synic();
        for (int vp = 0; vp < vps; vp++) {
            for (int sint = 0; sint < HvMsr.SINT_COUNT; sint++) {
                synic.postMessage(vp, sint, 1, new byte[]{(byte) sint});
                synic.signalEvent(vp, sint, sint * 7);
            }
            for (int index = HvMsr.RANGE_FIRST; index <= HvMsr.SINT15; index++) {
                try {
                    long v = partition.msrHandlers().read(vp, index);
                    partition.msrHandlers().write(vp, index, v);
                } catch (MsrFault gp) {
                    // #GP for the guest
                }
            }
        }
    }
}
