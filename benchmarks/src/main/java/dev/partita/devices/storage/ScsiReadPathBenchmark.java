package dev.partita.devices.storage;

import dev.partita.devices.storage.disk.MemoryDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.UUID;

/**
 * The storvsc SCSI path of {@link StorageVsp} without rings or threads: a GPA-direct vstor packet
 * carrying a 4 KiB READ(10) is handed to {@link StorageVsp#onPacket} (range list parse, SRB and CDB
 * checks, the disk read into the guest pages, the completion packet). {@link #reference} reads the same
 * 4 KiB from the same in-memory disk straight into the same guest pages. Scores are reads per second.
 *
 * <p>Threads: JMH's one benchmark thread owns the state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScsiReadPathBenchmark {
    private static final long BUF_GPA = 0x10_0000;
    private static final int BYTES = 4096;

    private GuestMemory memory;
    private RingPacketMaker maker;
    private final RecordingChannel channel = new RecordingChannel();
    private MemoryDisk disk;
    private StorageVsp vsp;
    private PacketBuffer read;

    @Setup(Level.Trial)
    public void setUp() {
        memory = GuestMemory.allocate(4L << 20);
        maker = new RingPacketMaker();
        disk = new MemoryDisk(2048, false);
        ScsiBus bus = new ScsiBus();
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("BENCH"), disk, 1 << 20));
        vsp = new StorageVsp(UUID.randomUUID(), memory, bus, StorageVspConfig.defaults());
        vsp.open(channel);
        long txid = 1;
        for (byte[] op : new byte[][] {Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION), Vstor.version(0x0602),
                Vstor.op(VstorPacket.OP_QUERY_PROPERTIES), Vstor.op(VstorPacket.OP_END_INITIALIZATION)}) {
            vsp.onPacket(channel, maker.inband(txid++, true, op), true);
            expectSuccess();
        }
        byte[] cdb = {0x28, 0, 0, 0, 0, 16, 0, 0, BYTES / 512, 0}; // READ(10), LBA 16, 8 blocks
        read = maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, txid,
                RingPacketMaker.rangeList(GpaDirectRange.contiguous(BUF_GPA, BYTES)),
                Vstor.srb(0, 0, 0, cdb, VstorPacket.DATA_IN_READ, BYTES));
        vsp.onPacket(channel, read, true);
        expectSuccess();
    }

    private void expectSuccess() {
        int status = Vstor.status(channel.last().payload());
        if (status != 0) {
            throw new IllegalStateException("vstor status 0x" + Integer.toHexString(status));
        }
        channel.sent.clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        maker.close();
        disk.close();
        memory.close();
    }

    @Benchmark
    public int scsiRead() {
        vsp.onPacket(channel, read, true);
        int status = Vstor.status(channel.last().payload());
        channel.sent.clear();
        if (status != 0) {
            throw new IllegalStateException("vstor status 0x" + Integer.toHexString(status));
        }
        return status;
    }

    @Benchmark
    public long reference() throws IOException {
        disk.read(16L * 512, memory.segment(BUF_GPA, BYTES));
        memory.noteHostWrite(BUF_GPA, BYTES);
        return memory.segment(BUF_GPA, 8).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }
}
