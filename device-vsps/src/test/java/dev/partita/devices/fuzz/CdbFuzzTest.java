package dev.partita.devices.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.devices.storage.disk.MemoryDisk;
import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.HeapDataBuffer;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.devices.storage.scsi.ScsiResult;
import dev.partita.devices.storage.scsi.ScsiStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fuzzes the SCSI target with arbitrary CDBs: {@link ScsiBus#execute} never throws, GOOD results
 * never claim more bytes than the buffer holds, CHECK CONDITION always carries sense data.
 * Input: byte 0 = LUN (present: 0) and data direction, bytes 1-2 = buffer length, rest = CDB.
 * Regression mode over {@code src/test/resources/dev/partita/devices/fuzz/CdbFuzzTestInputs/anyCdb}.
 */
class CdbFuzzTest {
    private static final MemoryDisk DISK = new MemoryDisk(2048, false);
    private static final MemoryDisk RO = new MemoryDisk(64, true);
    private static final ScsiBus BUS = new ScsiBus();

    static {
        BUS.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("CDB"), DISK, 1 << 16));
        BUS.attach(new ScsiAddress(0, 0, 1), new ScsiDisk(DiskIdentity.of("RO"), RO, 1 << 16));
    }

    @AfterAll
    static void close() {
        DISK.close();
        RO.close();
    }

    @FuzzTest(maxDuration = "60s")
    void anyCdb(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        if (data.length < 3) {
            return;
        }
        int lun = data[0] & 3;
        DataDirection dir = DataDirection.values()[((data[0] & 0xFF) >> 2) % 3];
        int len = ((data[1] & 0xFF) << 8 | (data[2] & 0xFF)) % (70 * 1024);
        byte[] cdb = Arrays.copyOfRange(data, 3, Math.min(data.length, 3 + 16));
        HeapDataBuffer buf = HeapDataBuffer.allocate(len);
        ScsiResult r = BUS.execute(new ScsiAddress(0, 0, lun), cdb, dir, buf);
        if (r.transferred() > len) {
            throw new AssertionError("transferred " + r.transferred() + " of a " + len + "-byte buffer");
        }
        if (r.status() == ScsiStatus.CHECK_CONDITION && r.sense() == null) {
            throw new AssertionError("CHECK CONDITION without sense");
        }
    }

    @Test
    void randomCdbsKeepTheContract() {
        SplittableRandom rng = new SplittableRandom(5);
        int[] ops = {0x00, 0x03, 0x08, 0x0A, 0x12, 0x1A, 0x1B, 0x25, 0x28, 0x2A, 0x2F, 0x35, 0x5A, 0x88, 0x8A, 0x8F,
            0x91, 0x9E, 0xA0, 0x42, 0x93, 0xA3};
        int good = 0;
        for (int n = 0; n < 50_000; n++) {
            byte[] d = new byte[3 + rng.nextInt(0, 17)];
            rng.nextBytes(d);
            if (d.length > 3) {
                d[3] = (byte) ops[rng.nextInt(ops.length)];
            }
            if (d.length > 5 && rng.nextBoolean()) {
                d[4] = 0;
                d[5] = 0;
            }
            check(d);
            good++;
        }
        System.out.println("CdbFuzzTest.randomCdbsKeepTheContract: " + good + " CDBs");
    }
}
