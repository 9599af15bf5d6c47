package dev.partita.devices.storage.scsi;

import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logical units of one SCSI controller, by {@link ScsiAddress}; routes commands and answers
 * for addresses where no unit is attached: INQUIRY returns standard data with peripheral byte
 * 0x7F (qualifier 3, type 0x1F: "not supported", which Linux's scan skips), REQUEST SENSE returns
 * LOGICAL UNIT NOT SUPPORTED as parameter data, REPORT LUNS lists the units of that path and
 * target (possibly none), and every other command ends in CHECK CONDITION, ILLEGAL REQUEST,
 * LOGICAL UNIT NOT SUPPORTED (0x25/0x00).
 *
 * <p><b>Threads.</b> {@link #attach}/{@link #detach} and {@link #execute} may be called from any
 * thread; the map is concurrent.
 */
public final class ScsiBus {
    private final Map<ScsiAddress, ScsiDisk> units = new ConcurrentHashMap<>();

    /** Attaches {@code disk} at {@code address}. */
    public void attach(ScsiAddress address, ScsiDisk disk) {
        Objects.requireNonNull(disk);
        if (units.putIfAbsent(address, disk) != null) {
            throw new IllegalArgumentException("a logical unit is already attached at " + address);
        }
    }

    /** The unit at {@code address}, or null. */
    public ScsiDisk unit(ScsiAddress address) {
        return units.get(address);
    }

    /** Attached units. */
    public Map<ScsiAddress, ScsiDisk> units() {
        return Map.copyOf(units);
    }

    /** Executes {@code cdb} for {@code address}; never throws for initiator mistakes. */
    public ScsiResult execute(ScsiAddress address, byte[] cdb, DataDirection direction, DataBuffer data) {
        try {
            if (cdb.length > 0 && (cdb[0] & 0xFF) == ScsiOpcode.REPORT_LUNS) {
                return reportLuns(address, cdb, direction, data);
            }
            ScsiDisk disk = units.get(address);
            if (disk != null) {
                return disk.execute(cdb, direction, data);
            }
            return absentUnit(cdb, direction, data);
        } catch (CheckCondition c) {
            return ScsiResult.checkCondition(c.sense);
        }
    }

    private static ScsiResult absentUnit(byte[] cdb, DataDirection direction, DataBuffer data) throws CheckCondition {
        if (cdb.length >= 6 && (cdb[0] & 0xFF) == ScsiOpcode.INQUIRY) {
            byte[] reply;
            if ((cdb[1] & 0x01) == 0) {
                reply = InquiryPages.notPresent();
            } else {
                reply = new byte[4];                       // VPD header only: qualifier 3, the page asked, no data
                reply[0] = (byte) InquiryPages.PERIPHERAL_NOT_PRESENT;
                reply[1] = cdb[2];
            }
            return ScsiDisk.dataIn(direction, data, reply, Cdb.u16(cdb, 3));
        }
        if (cdb.length >= 6 && (cdb[0] & 0xFF) == ScsiOpcode.REQUEST_SENSE) {
            return ScsiDisk.requestSense(cdb, data, SenseData.LUN_NOT_SUPPORTED);
        }
        return ScsiResult.checkCondition(SenseData.LUN_NOT_SUPPORTED);
    }

    /** REPORT LUNS (SPC-4 6.33): single-level LUNs (peripheral addressing) of the addressed path and target. */
    private ScsiResult reportLuns(ScsiAddress address, byte[] cdb, DataDirection direction, DataBuffer data)
            throws CheckCondition {
        if (cdb.length < 12) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        int select = Cdb.u8(cdb, 2);
        long alloc = Cdb.u32(cdb, 6);
        if (select > 2 || alloc < 16) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        TreeSet<Integer> luns = new TreeSet<>();
        for (ScsiAddress a : units.keySet()) {
            if (a.path() == address.path() && a.target() == address.target()) {
                luns.add(a.lun());
            }
        }
        byte[] reply = new byte[8 + 8 * luns.size()];
        Cdb.put32(reply, 0, 8L * luns.size());
        int at = 8;
        for (int lun : luns) {
            reply[at + 1] = (byte) lun;                     // byte 0 = 00b peripheral addressing, bus 0
            at += 8;
        }
        return ScsiDisk.dataIn(direction, data, reply, alloc);
    }
}
