package dev.partita.devices.storage;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.partita.devices.storage.disk.BlockDevice;
import dev.partita.devices.storage.disk.MappedImageDisk;
import dev.partita.devices.storage.disk.RawImageDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.client.GuestPageAllocator;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code ci/bench storage}: one Java VSC, one StorageVsp, one raw image, in one process. Measures
 * 4 KiB random-read IOPS (queue depth 1 and 8) and 1 MiB sequential-read MB/s through the VMBus
 * ring format, the Disruptor pipeline and the SCSI target, against Java reading the same file
 * directly with positional FileChannel reads into a direct buffer (queue depth 1) in the same
 * invocation. Rounds alternate ours/direct; medians are reported. The file is read once first so
 * both sides run from the page cache: the figures compare the stacks, not the disk. Last line:
 * JSON with {@code ratio} = our 4 KiB QD1 IOPS / direct IOPS, and {@code ratio_seq} for 1 MiB.
 */
public final class OneVscOneStorageVspReadBench {
    private static final long BUFFERS = 16L << 20;                // guest buffers from 16 MiB: a 4 KiB slot per random read in flight, 1 MiB for sequential

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int randomReads = 20_000;
        int seqMiB = 256;
        int fileMiB = 64;
        String wait = "default"; // VmBusTuning.defaults()
        String diskBackend = "channel";
        boolean inline = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--reads" -> randomReads = Integer.parseInt(args[++i]);
                case "--seq-mib" -> seqMiB = Integer.parseInt(args[++i]);
                case "--file-mib" -> fileMiB = Integer.parseInt(args[++i]);
                case "--wait" -> wait = args[++i];
                case "--disk-backend" -> diskBackend = args[++i];
                case "--inline" -> inline = Boolean.parseBoolean(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--rounds N --reads N --seq-mib N --file-mib N --wait blocking|yielding|busy --disk-backend channel|mapped --inline true|false)");
            }
        }
        Supplier<WaitStrategy> ws = switch (wait) {
            case "default" -> VmBusTuning.defaults().waitStrategy();
            case "blocking" -> BlockingWaitStrategy::new;
            case "yielding" -> YieldingWaitStrategy::new;
            case "busy" -> BusySpinWaitStrategy::new;
            default -> throw new IllegalArgumentException("--wait blocking|yielding|busy");
        };
        Path img = Files.createTempFile("partita-storage-bench", ".img");
        try {
            writeImage(img, fileMiB);
            run(img, fileMiB, rounds, randomReads, seqMiB, ws, wait, diskBackend, inline);
        } finally {
            Files.deleteIfExists(img);
        }
    }

    private static void writeImage(Path img, int mib) throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel fc = FileChannel.open(img, StandardOpenOption.WRITE)) {
            for (int i = 0; i < mib; i++) {
                rng.nextBytes(chunk);
                fc.write(ByteBuffer.wrap(chunk));
            }
        }
    }

    private static void run(Path img, int fileMiB, int rounds, int reads, int seqMiB, Supplier<WaitStrategy> ws, String wait,
                            String diskBackend, boolean inline) throws Exception {
        long sectors = (long) fileMiB << 11;
        try (GuestMemory memory = GuestMemory.allocate(32L << 20);
             BlockDevice disk = switch (diskBackend) {
                 case "channel" -> RawImageDisk.open(img, true);
                 case "mapped" -> MappedImageDisk.open(img, true);
                 default -> throw new IllegalArgumentException("--disk-backend channel|mapped");
             };
             FileChannel direct = FileChannel.open(img, StandardOpenOption.READ)) {
            LoopbackHypervisor hv = new LoopbackHypervisor();
            VmBus vmbus = VmBus.attach(memory, hv, VmBusTuning.defaults().withWaitStrategy(ws));
            try {
                ScsiBus bus = new ScsiBus();
                bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("BENCH"), disk, 1 << 20));
                vmbus.offer(new StorageVsp(UUID.randomUUID(), memory, bus, StorageVspConfig.defaults().withInline(inline)));
                VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
                client.connect();
                OfferChannel o = client.requestOffers().getFirst();
                ClientChannel ch = client.open(o, StorageVspConfig.defaults().ringBytes(), StorageVspConfig.defaults().ringBytes());
                StorvscClient c = new StorvscClient(ch, memory, BUFFERS);
                c.initialise();
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                directSequential(direct, buf, fileMiB);             // warm the page cache
                ourRandom(c, sectors, reads / 4, 1, 2);             // warm up the JIT on both paths
                directRandom(direct, buf, sectors, reads / 4, 2);
                double[] oursQd1 = new double[rounds], oursQd8 = new double[rounds], oursQd32 = new double[rounds], directIops = new double[rounds];
                double[] oursSeq = new double[rounds], directSeq = new double[rounds];
                long checksumOurs = 0, checksumDirect = 0;
                for (int r = 0; r < rounds; r++) {
                    long t = System.nanoTime();
                    checksumDirect += directRandom(direct, buf, sectors, reads, 100 + r);
                    directIops[r] = reads / seconds(t);
                    t = System.nanoTime();
                    checksumOurs += ourRandom(c, sectors, reads, 1, 100 + r);
                    oursQd1[r] = reads / seconds(t);
                    t = System.nanoTime();
                    ourRandom(c, sectors, reads, 8, 200 + r);
                    oursQd8[r] = reads / seconds(t);
                    t = System.nanoTime();
                    ourRandom(c, sectors, reads, 32, 300 + r);
                    oursQd32[r] = reads / seconds(t);
                    t = System.nanoTime();
                    directSequential(direct, buf, seqMiB);
                    directSeq[r] = seqMiB / seconds(t);
                    t = System.nanoTime();
                    ourSequential(c, fileMiB, seqMiB);
                    oursSeq[r] = seqMiB / seconds(t);
                    System.out.printf("round %d: 4K random read IOPS direct %.0f, ours QD1 %.0f, ours QD8 %.0f, QD32 %.0f;"
                            + " 1M sequential MB/s direct %.0f, ours %.0f%n", r + 1, directIops[r], oursQd1[r], oursQd8[r], oursQd32[r],
                            directSeq[r], oursSeq[r]);
                }
                if (checksumOurs != checksumDirect) {
                    throw new IllegalStateException("the two paths read different data: " + checksumOurs + " vs " + checksumDirect);
                }
                double d = median(directIops), q1 = median(oursQd1), q8 = median(oursQd8), q32 = median(oursQd32), ds = median(directSeq), os = median(oursSeq);
                System.out.printf("median: 4K random read IOPS direct %.0f, ours QD1 %.0f (%.3f), ours QD8 %.0f (%.3f), QD32 %.0f (%.3f);"
                        + " 1M sequential MB/s direct %.0f, ours %.0f (%.3f); wait strategy %s, disk backend %s, inline %s%n",
                        d, q1, q1 / d, q8, q8 / d, q32, q32 / d, ds, os, os / ds, wait, diskBackend, inline);
                System.out.printf("{\"bench\":\"storage\",\"rounds\":%d,\"direct_iops_4k\":%.0f,\"ours_iops_4k_qd1\":%.0f,"
                        + "\"ours_iops_4k_qd8\":%.0f,\"ours_iops_4k_qd32\":%.0f,\"direct_mbps_1m\":%.0f,\"ours_mbps_1m\":%.0f,"
                        + "\"ratio_qd8\":%.4f,\"ratio_qd32\":%.4f,\"ratio_seq\":%.4f,\"wait\":\"%s\",\"disk_backend\":\"%s\","
                        + "\"inline\":%s,\"ratio\":%.4f}%n",
                        rounds, d, q1, q8, q32, ds, os, q8 / d, q32 / d, os / ds, wait, diskBackend, inline, q1 / d);
            } finally {
                vmbus.close();
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Reads {@code n} random 4 KiB blocks; returns a checksum of their first bytes. */
    private static long directRandom(FileChannel fc, ByteBuffer buf, long sectors, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long lba = rng.nextLong(sectors / 8) * 8;
            buf.clear().limit(4096);
            long pos = lba * 512;
            while (buf.hasRemaining()) {
                pos += fc.read(buf, pos);
            }
            sum += buf.get(0);
        }
        return sum;
    }

    private static long ourRandom(StorvscClient c, long sectors, int n, int depth, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        long sum = 0;
        int inFlight = 0;
        long firstTx = -1;
        for (int i = 0; i < n; i++) {
            if (inFlight == depth) {
                sum += complete(c, firstTx, depth);
                inFlight--;
            }
            int slot = i % depth;
            long lba = rng.nextLong(sectors / 8) * 8;
            long tx = c.send(StorvscClient.read10(lba, 8, false), VstorPacket.DATA_IN_READ, 4096, BUFFERS + ((long) slot << 12));
            if (firstTx < 0) {
                firstTx = tx;
            }
            inFlight++;
        }
        while (inFlight-- > 0) {
            sum += complete(c, firstTx, depth);
        }
        return sum;
    }

    /** Waits for the next completion; returns the first data byte of its slot. */
    private static long complete(StorvscClient c, long firstTx, int depth) throws Exception {
        byte[] r = c.awaitAny();
        if (Vstor.srbStatus(r) != VstorPacket.SRB_STATUS_SUCCESS || Vstor.transferLength(r) != 4096) {
            throw new IllegalStateException("read failed: SRB status 0x" + Integer.toHexString(Vstor.srbStatus(r)));
        }
        long slot = (c.lastTransactionId() - firstTx) % depth;
        return (byte) c.memory().readU8(BUFFERS + (slot << 12));
    }

    private static void directSequential(FileChannel fc, ByteBuffer buf, int mib) throws IOException {
        long size = fc.size();
        long pos = 0;
        for (int i = 0; i < mib; i++) {
            buf.clear();
            long p = pos;
            while (buf.hasRemaining()) {
                p += fc.read(buf, p);
            }
            pos = (pos + (1 << 20)) % size;
        }
    }

    private static void ourSequential(StorvscClient c, int fileMiB, int mib) throws Exception {
        for (int i = 0; i < mib; i++) {
            long lba = (long) (i % fileMiB) << 11;
            byte[] r = c.srb(StorvscClient.read10(lba, 2048, false), VstorPacket.DATA_IN_READ, 1 << 20);
            if (Vstor.transferLength(r) != 1 << 20) {
                throw new IllegalStateException("1 MiB read returned " + Vstor.transferLength(r) + " bytes");
            }
        }
    }
}
