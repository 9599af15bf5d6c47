package dev.partita.vmbus.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 64-byte packets echoed through a VMBus channel: the Java VSC writes them into the guest-to-host ring,
 * the channel pipeline (Disruptor rings, VSP handler thread) hands them to the echo VSP, whose
 * completions come back through the host-to-guest ring, with a window of packets in flight
 * ({@code EchoRoundTripBench}'s throughput loop). {@link #reference} runs the same topology with an
 * ArrayBlockingQueue in place of each Disruptor ({@link QueueBaseline}). Scores are packets per second.
 *
 * <p>Threads: JMH's one benchmark thread is the VSC; the pipeline's threads belong to the state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChannelPipelineBenchmark {
    private static final int PACKETS = 2000;

    private EchoRoundTripBench.Ours ours;
    private QueueBaseline queues;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ours = new EchoRoundTripBench.Ours(BlockingWaitStrategy::new, false);
        queues = new QueueBaseline();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        ours.close();
        queues.close();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public double pipeline() throws Exception {
        return ours.throughput(64, PACKETS);
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public double reference() throws Exception {
        return queues.throughput(64, PACKETS);
    }
}
