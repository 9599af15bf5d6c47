package dev.partita.hv.hyperv;

import dev.partita.hv.PartitionResult;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.msr.MsrHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The guest crash MSRs of a partition: CRASH_P0-P4 (five parameters the guest stores before
 * reporting) and CRASH_CTL, which reads back the capabilities offered (CRASH_NOTIFY and
 * CRASH_NOTIFY_MSG) and, written with CRASH_NOTIFY, reports the crash. With CRASH_NOTIFY_MSG the
 * guest has put a message in a page: P3 holds its GPA and P4 its length (at most 4096 bytes; Linux
 * writes the tail of its kernel log there). The report goes to the crash consumer once per
 * partition lifetime; later reports are ignored. An unreadable message (outside RAM, too long) is
 * reported as such, with the parameters.
 *
 * <p><b>Threads.</b> Any processor's thread; the registers are partition-wide, under this object's monitor.
 */
final class CrashRegisters implements MsrHandler {
    /** The longest message read from the guest (one Hyper-V page). */
    static final int MAX_MESSAGE = 4096;
    /** What CRASH_CTL reads: the capabilities offered. */
    static final long CAPABILITIES = HvMsr.CRASH_NOTIFY | HvMsr.CRASH_NOTIFY_MSG;

    private final GuestMemory memory;
    private final Consumer<PartitionResult.GuestCrashed> crashes;
    private final long[] parameters = new long[5];
    private boolean reported;

    CrashRegisters(GuestMemory memory, Consumer<PartitionResult.GuestCrashed> crashes) {
        this.memory = memory;
        this.crashes = crashes;
    }

    @Override
    public boolean claims(int index) {
        return (index >= HvMsr.CRASH_P0 && index <= HvMsr.CRASH_P4) || index == HvMsr.CRASH_CTL;
    }

    @Override
    public synchronized long read(int vpIndex, int index) {
        return index == HvMsr.CRASH_CTL ? CAPABILITIES : parameters[index - HvMsr.CRASH_P0];
    }

    @Override
    public void write(int vpIndex, int index, long value) throws MsrFault {
        PartitionResult.GuestCrashed crash;
        synchronized (this) {
            if (index != HvMsr.CRASH_CTL) {
                parameters[index - HvMsr.CRASH_P0] = value;
                return;
            }
            if ((value & ~CAPABILITIES) != 0) {
                throw new MsrFault("CRASH_CTL: reserved bits in 0x" + Long.toHexString(value));
            }
            if ((value & HvMsr.CRASH_NOTIFY) == 0 || reported) {
                return;
            }
            reported = true;
            List<Long> p = new ArrayList<>();
            for (long v : parameters) {
                p.add(v);
            }
            String message = (value & HvMsr.CRASH_NOTIFY_MSG) != 0 ? message(parameters[3], parameters[4]) : "";
            crash = new PartitionResult.GuestCrashed(vpIndex, p, message);
        }
        crashes.accept(crash);
    }

    private String message(long gpa, long length) {
        if (length <= 0 || length > MAX_MESSAGE) {
            return "(crash message of " + length + " bytes: not read, the limit is " + MAX_MESSAGE + ")";
        }
        if (!memory.isRam(gpa, length)) {
            return "(crash message at GPA 0x" + Long.toHexString(gpa) + " is not in guest RAM)";
        }
        byte[] bytes = memory.read(gpa, (int) length);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    synchronized long[] parameters() {
        return parameters.clone();
    }

    synchronized void restore(long[] saved) {
        System.arraycopy(saved, 0, parameters, 0, parameters.length);
    }
}
