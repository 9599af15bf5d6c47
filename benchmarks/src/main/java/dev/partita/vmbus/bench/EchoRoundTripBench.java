package dev.partita.vmbus.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.channel.SpinThenBlockWaitStrategy;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.client.GuestPageAllocator;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.testing.EchoVsp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * ci/bench vmbus: the Java VSC and the echo VSP in one process, over the Hyper-V ring format in
 * guest memory and the Disruptor channel pipeline (guest ring → Disruptor → echo VSP, whose thread
 * is the single writer of the host-to-guest ring → guest ring, event flag through the loopback
 * SynIC), against {@link QueueBaseline}: the same pipeline with an ArrayBlockingQueue in place of
 * the Disruptor (same guest-memory ring copies in and out, same thread hand-offs: client → VSP
 * thread → client).
 *
 * <p>Throughput: completions per second with a window of packets in flight. Latency: one packet
 * at a time, send to completion. Rounds alternate ours/baseline; medians are reported. Last line:
 * JSON with {@code ratio} = our 64-byte throughput / baseline 64-byte throughput.
 */
public final class EchoRoundTripBench {
    private static final int RING_BYTES = 1 << 20;

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int packets64 = 1_000_000;
        int packets4k = 200_000;
        int latencySamples = 50_000;
        boolean inline = true;
        String wait = "default"; // VmBusTuning.defaults(): SpinThenBlockWaitStrategy
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--packets" -> packets64 = Integer.parseInt(args[++i]);
                case "--packets-4k" -> packets4k = Integer.parseInt(args[++i]);
                case "--latency-samples" -> latencySamples = Integer.parseInt(args[++i]);
                case "--wait" -> wait = args[++i];
                case "--inline" -> inline = Boolean.parseBoolean(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--rounds N --packets N --packets-4k N --latency-samples N --inline true|false --wait default|spin:MAX_US|blocking|lite|phased|yielding|busy|sleeping)");
            }
        }
        if (rounds < 5) {
            throw new IllegalArgumentException("--rounds must be at least 5");
        }
        Supplier<WaitStrategy> strategy = switch (wait) {
            case "default" -> VmBusTuning.defaults().waitStrategy();
            case "blocking" -> BlockingWaitStrategy::new;
            case "yielding" -> YieldingWaitStrategy::new;
            case "busy" -> BusySpinWaitStrategy::new;
            case "sleeping" -> SleepingWaitStrategy::new;
            case "lite" -> LiteBlockingWaitStrategy::new;
            case "phased" -> () -> PhasedBackoffWaitStrategy.withLiteLock(20, 200, TimeUnit.MICROSECONDS);
            default -> {
                if (wait.startsWith("spin:")) { // spin:MAX_US, SpinThenBlockWaitStrategy
                    long max = Long.parseLong(wait.substring(5));
                    yield () -> SpinThenBlockWaitStrategy.upTo(max);
                }
                if (!wait.startsWith("phased:")) { // phased:SPIN_US:YIELD_US
                    throw new IllegalArgumentException("--wait " + wait);
                }
                String[] f = wait.split(":");
                long spin = Long.parseLong(f[1]);
                long yield = Long.parseLong(f[2]);
                yield () -> PhasedBackoffWaitStrategy.withLiteLock(spin, yield, TimeUnit.MICROSECONDS);
            }
        };

        try (Ours ours = new Ours(strategy, inline); QueueBaseline base = new QueueBaseline()) {
            // warm-up of both paths
            ours.throughput(64, packets64 / 4);
            base.throughput(64, packets64 / 4);
            ours.latency(64, latencySamples / 4);
            base.latency(64, latencySamples / 4);

            Map<String, List<Double>> r = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                add(r, "ours_pps_64", ours.throughput(64, packets64));
                add(r, "base_pps_64", base.throughput(64, packets64));
                add(r, "ours_pps_4k", ours.throughput(4096, packets4k));
                add(r, "base_pps_4k", base.throughput(4096, packets4k));
                long[] ol64 = ours.latency(64, latencySamples);
                long[] bl64 = base.latency(64, latencySamples);
                long[] ol4k = ours.latency(4096, latencySamples);
                long[] bl4k = base.latency(4096, latencySamples);
                add(r, "ours_p50_ns_64", ol64[0]);
                add(r, "ours_p99_ns_64", ol64[1]);
                add(r, "base_p50_ns_64", bl64[0]);
                add(r, "base_p99_ns_64", bl64[1]);
                add(r, "ours_p50_ns_4k", ol4k[0]);
                add(r, "ours_p99_ns_4k", ol4k[1]);
                add(r, "base_p50_ns_4k", bl4k[0]);
                add(r, "base_p99_ns_4k", bl4k[1]);
                System.out.printf(Locale.ROOT, "round %d: 64B ours %.0f pps vs queues %.0f pps; 4KiB ours %.0f vs %.0f; "
                                + "64B p50/p99 ours %d/%d ns vs queues %d/%d ns%n", round + 1,
                        last(r, "ours_pps_64"), last(r, "base_pps_64"), last(r, "ours_pps_4k"), last(r, "base_pps_4k"),
                        ol64[0], ol64[1], bl64[0], bl64[1]);
            }
            double idleCpu = ours.idleChannelCpuFraction();
            System.out.printf(Locale.ROOT, "idle open channel: its threads used %.4f%% of one CPU over 1 s%n", idleCpu * 100);
            StringBuilder json = new StringBuilder("{\"bench\":\"vmbus\",\"baseline\":\"same pipeline, ArrayBlockingQueue per Disruptor\""
                    + ",\"wait_strategy\":\"" + wait + "\",\"inline\":" + inline + ",\"rounds\":" + rounds);
            for (var e : r.entrySet()) {
                json.append(",\"").append(e.getKey()).append("\":").append(String.format(Locale.ROOT, "%.0f", median(e.getValue())));
            }
            double ratio = median(r.get("ours_pps_64")) / median(r.get("base_pps_64"));
            double ratio4k = median(r.get("ours_pps_4k")) / median(r.get("base_pps_4k"));
            json.append(String.format(Locale.ROOT, ",\"idle_channel_cpu_fraction\":%.6f", idleCpu));
            json.append(String.format(Locale.ROOT, ",\"ratio_4k\":%.3f,\"goal_pps_64\":5000000,\"goal_p50_ns\":5000,\"goal_p99_ns\":20000,\"ratio\":%.3f}", ratio4k, ratio));
            System.out.printf(Locale.ROOT, "median: 64B %.2f Mpps (queues %.2f), 4KiB %.2f Mpps (queues %.2f); 64B p50 %.1f us p99 %.1f us%n",
                    median(r.get("ours_pps_64")) / 1e6, median(r.get("base_pps_64")) / 1e6,
                    median(r.get("ours_pps_4k")) / 1e6, median(r.get("base_pps_4k")) / 1e6,
                    median(r.get("ours_p50_ns_64")) / 1e3, median(r.get("ours_p99_ns_64")) / 1e3);
            System.out.println(json);
        }
    }

    private static void add(Map<String, List<Double>> r, String k, double v) {
        r.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    private static double last(Map<String, List<Double>> r, String k) {
        return r.get(k).getLast();
    }

    /** Packets in flight for both paths: what half of a 1 MiB ring holds, at most 1000. */
    static int window(int size) {
        return Math.min(1000, (RING_BYTES / 2) / (size + 32));
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static long[] percentiles(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return new long[]{s[s.length / 2], s[(int) Math.min(s.length - 1, Math.round(s.length * 0.99))]};
    }

    /** The VMBus path: loopback hypervisor, root VmBus with the echo VSP, Java VSC. */
    static final class Ours implements AutoCloseable {
        private final GuestMemory memory = GuestMemory.allocate(32L << 20);
        private final VmBus bus;
        private final ClientChannel channel;
        private final PacketBuffer in = new PacketBuffer(8192);

        Ours(Supplier<WaitStrategy> wait, boolean inline) throws Exception {
            LoopbackHypervisor hv = new LoopbackHypervisor();
            bus = VmBus.attach(memory, hv, VmBusTuning.defaults().withWaitStrategy(wait));
            bus.offer(new EchoVsp(UUID.randomUUID(), RING_BYTES, inline));
            VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 32L << 20));
            client.connect();
            OfferChannel offer = client.requestOffers().getFirst();
            channel = client.open(offer, RING_BYTES, RING_BYTES);
        }

        double throughput(int size, int n) throws Exception {
            byte[] payload = new byte[size];
            int window = window(size);
            int sent = 0;
            int received = 0;
            long t0 = System.nanoTime();
            while (received < n) {
                int before = sent;
                while (sent < n && sent - received < window && channel.write(sent, true, payload, 0, size)) {
                    sent++;
                }
                if (sent != before) {
                    channel.flush(); // one index update (and at most one signal) per burst, as a batching VSC would
                }
                boolean got = false;
                while (channel.poll(in)) {
                    check(in.transactionId() == received, "completion order");
                    received++;
                    got = true;
                }
                if (!got && (sent == n || sent - received >= window)) {
                    if (!channel.receive(in, TimeUnit.SECONDS.toNanos(10))) {
                        throw new IllegalStateException("no completion after " + received);
                    }
                    received++;
                }
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }

        long[] latency(int size, int n) throws Exception {
            byte[] payload = new byte[size];
            long[] rtt = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                check(channel.send(i, true, payload, 0, size), "ring full in ping-pong");
                check(channel.receive(in, TimeUnit.SECONDS.toNanos(10)), "no completion");
                rtt[i] = System.nanoTime() - t0;
                check(in.transactionId() == i, "transaction id");
            }
            return percentiles(rtt);
        }

        /**
         * CPU time the channel's threads (named {@code vmbus-ch*}) use over one second while the
         * channel is open and no packet moves, after 100 ms for the spin window to run out, as a
         * fraction of one CPU.
         */
        double idleChannelCpuFraction() throws InterruptedException {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("vmbus-ch")).toList();
            check(!threads.isEmpty(), "no channel thread found");
            Thread.sleep(100);
            long before = 0;
            for (Thread t : threads) {
                before += mx.getThreadCpuTime(t.threadId());
            }
            long t0 = System.nanoTime();
            Thread.sleep(1000);
            long after = 0;
            for (Thread t : threads) {
                after += mx.getThreadCpuTime(t.threadId());
            }
            return (after - before) / (double) (System.nanoTime() - t0);
        }

        @Override
        public void close() {
            bus.close();
            memory.close();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
