package dev.partita.vmbus.bench;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One packet through the Hyper-V ring format in guest memory, on one thread: {@link RingWriter#tryWrite}
 * and {@link RingWriter#publish} on one side, {@link RingReader#next} and {@link RingReader#commit} on the
 * other. {@link #reference} copies the same payload into the same guest pages and back out with plain
 * segment copies, so the ratio is what the ring format (descriptor, wrap-around, indices, checks) costs
 * over moving the bytes.
 *
 * <p>Threads: JMH's one benchmark thread owns the state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingPacketBenchmark {
    private static final int RING_PAGES = 1 + 16;

    @Param({"64", "4096"})
    int payloadBytes;

    private GuestMemory memory;
    private RingWriter writer;
    private RingReader reader;
    private MemorySegment pages;
    private byte[] payload;
    private final PacketBuffer in = new PacketBuffer(8192);

    @Setup(Level.Trial)
    public void setUp() throws RingCorruptException {
        memory = GuestMemory.allocate(1L << 20);
        long[] pfns = new long[RING_PAGES];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = 16 + i;
        }
        writer = new RingWriter(RingBuffer.fromPages(memory, pfns, 0, RING_PAGES));
        reader = new RingReader(RingBuffer.fromPages(memory, pfns, 0, RING_PAGES), 8192);
        pages = memory.segment(16L * RingBuffer.PAGE_SIZE, (long) RING_PAGES * RingBuffer.PAGE_SIZE);
        payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        memory.close();
    }

    /** Write, publish, read and commit one packet; returns its transaction id. */
    @Benchmark
    public long ring() throws RingCorruptException {
        if (!writer.tryWrite(PacketType.DATA_IN_BAND, 0, 7, payload, 0, payload.length)) {
            throw new IllegalStateException("ring full: the reader did not keep up");
        }
        writer.publish();
        if (!reader.next(in)) {
            throw new IllegalStateException("packet not read back");
        }
        reader.commit();
        return in.transactionId();
    }

    /** The same bytes copied into the ring's pages and back out, without the ring format. */
    @Benchmark
    public byte reference() {
        MemorySegment.copy(payload, 0, pages, ValueLayout.JAVA_BYTE, RingBuffer.PAGE_SIZE, payload.length);
        MemorySegment.copy(pages, ValueLayout.JAVA_BYTE, RingBuffer.PAGE_SIZE, in.bytes(), 0, payload.length);
        return in.bytes()[payload.length - 1];
    }
}
