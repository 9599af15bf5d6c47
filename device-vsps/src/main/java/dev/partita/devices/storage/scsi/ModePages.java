package dev.partita.devices.storage.scsi;

import java.io.ByteArrayOutputStream;

/**
 * MODE SENSE(6)/(10) parameter data (SPC-4 7.5; SBC-3 6.4): caching page 0x08 (WCE set: writes
 * are cached by the host until SYNCHRONIZE CACHE), control page 0x0A (fixed-format sense), all
 * pages 0x3F. Nothing is changeable (MODE SELECT is not implemented), so the "changeable values"
 * page control returns zeroed pages; "saved values" are not supported.
 */
final class ModePages {
    static final int PAGE_CACHING = 0x08;
    static final int PAGE_CONTROL = 0x0A;
    static final int PAGE_ALL = 0x3F;
    static final int PC_CURRENT = 0;
    static final int PC_CHANGEABLE = 1;
    static final int PC_DEFAULT = 2;
    static final int PC_SAVED = 3;

    private ModePages() {
    }

    /**
     * The full parameter data (before truncation to the allocation length).
     *
     * @param tenByte  MODE SENSE(10) header (else (6))
     * @param dbd      disable block descriptors
     * @param llbaa    long LBA block descriptor (MODE SENSE(10) only)
     * @param sectors  capacity for the block descriptor
     */
    static byte[] build(boolean tenByte, boolean dbd, boolean llbaa, int pc, int page, int subpage,
                        long sectors, boolean readOnly) throws CheckCondition {
        if (pc == PC_SAVED) {
            throw new CheckCondition(SenseData.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        if (subpage != 0 && !(page == PAGE_ALL && subpage == 0xFF)) {
            throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        ByteArrayOutputStream pages = new ByteArrayOutputStream();
        boolean changeable = pc == PC_CHANGEABLE;
        switch (page) {
            case PAGE_CACHING -> pages.writeBytes(caching(changeable));
            case PAGE_CONTROL -> pages.writeBytes(control(changeable));
            case PAGE_ALL -> {
                pages.writeBytes(caching(changeable));
                pages.writeBytes(control(changeable));
            }
            default -> throw new CheckCondition(SenseData.INVALID_FIELD_IN_CDB);
        }
        byte[] descriptor = dbd ? new byte[0] : blockDescriptor(tenByte && llbaa, sectors);
        int headerLen = tenByte ? 8 : 4;
        byte[] out = new byte[headerLen + descriptor.length + pages.size()];
        int deviceSpecific = readOnly ? 0x80 : 0x00;        // WP bit; DPOFUA 0
        if (tenByte) {
            Cdb.put16(out, 0, out.length - 2);
            out[3] = (byte) deviceSpecific;
            out[4] = (byte) (descriptor.length == 16 ? 0x01 : 0x00);  // LONGLBA
            Cdb.put16(out, 6, descriptor.length);
        } else {
            out[0] = (byte) (out.length - 1);
            out[2] = (byte) deviceSpecific;
            out[3] = (byte) descriptor.length;
        }
        System.arraycopy(descriptor, 0, out, headerLen, descriptor.length);
        byte[] body = pages.toByteArray();
        System.arraycopy(body, 0, out, headerLen + descriptor.length, body.length);
        return out;
    }

    private static byte[] blockDescriptor(boolean longLba, long sectors) {
        if (longLba) {
            byte[] d = new byte[16];
            Cdb.put64(d, 0, sectors);
            Cdb.put32(d, 12, 512);
            return d;
        }
        byte[] d = new byte[8];
        Cdb.put32(d, 0, Math.min(sectors, 0xFFFF_FFFFL));
        d[5] = 0;
        Cdb.put16(d, 6, 512);                            // logical block length (3 bytes: 0x000200)
        return d;
    }

    private static byte[] caching(boolean changeable) {
        byte[] p = new byte[20];
        p[0] = PAGE_CACHING;
        p[1] = 0x12;
        if (!changeable) {
            p[2] = 0x04;                                  // WCE = 1, RCD = 0
        }
        return p;
    }

    private static byte[] control(boolean changeable) {
        byte[] p = new byte[12];
        p[0] = PAGE_CONTROL;
        p[1] = 0x0A;
        return p;                                         // TST 0, D_SENSE 0, restricted reordering
    }
}
