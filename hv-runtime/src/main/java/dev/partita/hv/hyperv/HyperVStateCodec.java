package dev.partita.hv.hyperv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Encodes {@link HyperVState} as a versioned, checksummed byte record: magic "PHYV", format
 * version u16, the fields big-endian, then a CRC-32 of everything before it. Decoding checks
 * magic, version, every count and length, and the checksum, and throws
 * {@link IllegalArgumentException} naming what is wrong.
 *
 * <p>Version 2 appends the enlightenments' registers after the version 1 layout: REFERENCE_TSC,
 * CRASH_P0-P4, then per processor STIMER0-3 (config, count, deadline). A version 1 record still
 * decodes, with those registers zero and the timers idle.
 *
 * <p>Stateless; any thread.
 */
public final class HyperVStateCodec {
    private HyperVStateCodec() {
    }

    /** "PHYV". */
    static final int MAGIC = 0x5048_5956;
    /** The format version written. */
    public static final int VERSION = 2;
    /** The oldest format version decoded. */
    public static final int OLDEST_VERSION = 1;
    private static final int MAX_PROCESSORS = 4096;

    /** The record for {@code state}. */
    public static byte[] encode(HyperVState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeLong(state.guestOsId());
            out.writeLong(state.hypercall());
            out.writeLong(state.tscInvariantControl());
            out.writeLong(state.referenceTime());
            out.writeInt(state.processors().size());
            for (HyperVState.Processor p : state.processors()) {
                SynicSnapshot s = p.synic();
                out.writeLong(p.vpAssistPage());
                out.writeLong(s.scontrol());
                out.writeLong(s.siefp());
                out.writeLong(s.simp());
                for (long v : s.sint()) {
                    out.writeLong(v);
                }
                for (List<SynicMessage> q : s.queues()) {
                    out.writeInt(q.size());
                    for (SynicMessage m : q) {
                        out.writeInt(m.type());
                        out.writeLong(m.origin());
                        out.writeByte(m.payload().length);
                        out.write(m.payload());
                    }
                }
            }
            // version 2: the enlightenments' registers
            out.writeLong(state.referenceTsc());
            for (long p : state.crashParameters()) {
                out.writeLong(p);
            }
            for (HyperVState.Processor p : state.processors()) {
                for (TimerSnapshot t : p.timers()) {
                    out.writeLong(t.config());
                    out.writeLong(t.count());
                    out.writeLong(t.deadline());
                }
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("encoding Hyper-V state", e);
        }
        return bytes.toByteArray();
    }

    /** The state in {@code record}; {@link IllegalArgumentException} when it is damaged or of another version. */
    public static HyperVState decode(byte[] record) {
        if (record.length < 10) {
            throw new IllegalArgumentException("Hyper-V state record of " + record.length + " bytes is truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(record, 0, record.length - 4);
        int stored = ((record[record.length - 4] & 0xFF) << 24) | ((record[record.length - 3] & 0xFF) << 16)
                | ((record[record.length - 2] & 0xFF) << 8) | (record[record.length - 1] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException("Hyper-V state record: checksum mismatch (damaged record)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record, 0, record.length - 4))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a Hyper-V state record (bad magic)");
            }
            int version = in.readUnsignedShort();
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new IllegalArgumentException("Hyper-V state record version " + version + " (this build reads "
                        + OLDEST_VERSION + "-" + VERSION + ")");
            }
            long guestOsId = in.readLong();
            long hypercall = in.readLong();
            long tsc = in.readLong();
            long refTime = in.readLong();
            int n = in.readInt();
            if (n < 1 || n > MAX_PROCESSORS) {
                throw new IllegalArgumentException("Hyper-V state record: " + n + " processors");
            }
            List<HyperVState.Processor> processors = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long assist = in.readLong();
                long scontrol = in.readLong();
                long siefp = in.readLong();
                long simp = in.readLong();
                long[] sint = new long[HvMsr.SINT_COUNT];
                for (int k = 0; k < sint.length; k++) {
                    sint[k] = in.readLong();
                }
                List<List<SynicMessage>> queues = new ArrayList<>();
                for (int k = 0; k < HvMsr.SINT_COUNT; k++) {
                    int count = in.readInt();
                    if (count < 0 || count > SynicProcessor.QUEUE_LIMIT) {
                        throw new IllegalArgumentException("Hyper-V state record: vCPU " + i + " SINT" + k + " queue of " + count);
                    }
                    List<SynicMessage> q = new ArrayList<>();
                    for (int m = 0; m < count; m++) {
                        int type = in.readInt();
                        long origin = in.readLong();
                        int len = in.readUnsignedByte();
                        if (type == 0 || len > MessagePage.MAX_PAYLOAD) {
                            throw new IllegalArgumentException("Hyper-V state record: bad queued message (type " + type + ", " + len + " bytes)");
                        }
                        byte[] payload = new byte[len];
                        in.readFully(payload);
                        q.add(new SynicMessage(type, origin, payload));
                    }
                    queues.add(q);
                }
                processors.add(new HyperVState.Processor(assist, new SynicSnapshot(scontrol, siefp, simp, sint, queues)));
            }
            long referenceTsc = 0;
            long[] crash = new long[5];
            if (version >= 2) {
                referenceTsc = in.readLong();
                for (int k = 0; k < crash.length; k++) {
                    crash[k] = in.readLong();
                }
                for (int i = 0; i < n; i++) {
                    List<TimerSnapshot> timers = new ArrayList<>();
                    for (int k = 0; k < HvMsr.STIMER_COUNT; k++) {
                        long config = in.readLong();
                        long count = in.readLong();
                        long deadline = in.readLong();
                        if (deadline < TimerSnapshot.DISARMED) {
                            throw new IllegalArgumentException("Hyper-V state record: vCPU " + i + " STIMER" + k + " deadline " + deadline);
                        }
                        timers.add(new TimerSnapshot(config, count, deadline));
                    }
                    HyperVState.Processor p = processors.get(i);
                    processors.set(i, new HyperVState.Processor(p.vpAssistPage(), p.synic(), timers));
                }
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("Hyper-V state record: " + in.available() + " trailing bytes");
            }
            return new HyperVState(guestOsId, hypercall, tsc, refTime, processors, referenceTsc, crash);
        } catch (IOException e) {
            throw new IllegalArgumentException("Hyper-V state record is truncated", e);
        }
    }
}
