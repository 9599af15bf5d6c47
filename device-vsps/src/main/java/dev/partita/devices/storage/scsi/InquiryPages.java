package dev.partita.devices.storage.scsi;

import java.nio.charset.StandardCharsets;

/**
 * INQUIRY parameter data of a direct-access disk (SPC-4 6.6, 7.8): standard data and the VPD
 * pages Linux's scan asks for. Advertised pages: 0x00, 0x80, 0x83, 0xB0, 0xB1. Logical block
 * provisioning (0xB2) is not advertised because UNMAP / WRITE SAME are not implemented; READ
 * CAPACITY(16) says LBPME = 0 to match.
 */
final class InquiryPages {
    static final int PERIPHERAL_DISK = 0x00;          // qualifier 0, type 0 (direct access block device)
    static final int PERIPHERAL_NOT_PRESENT = 0x7F;   // qualifier 3 (not supported), type 0x1F
    static final int VERSION_SPC3 = 0x05;
    static final int STANDARD_LENGTH = 36;
    static final int[] SUPPORTED_VPD = {0x00, 0x80, 0x83, 0xB0, 0xB1};

    private InquiryPages() {
    }

    /** Standard INQUIRY data (36 bytes) with the given peripheral byte. */
    static byte[] standard(DiskIdentity id, int peripheral) {
        byte[] b = new byte[STANDARD_LENGTH];
        b[0] = (byte) peripheral;
        b[2] = VERSION_SPC3;
        b[3] = 0x02;                      // response data format 2
        b[4] = (byte) (STANDARD_LENGTH - 5);
        b[7] = 0x02;                      // CMDQUE: command queuing supported
        DiskIdentity.putPadded(b, 8, id.vendor(), 8);
        DiskIdentity.putPadded(b, 16, id.product(), 16);
        DiskIdentity.putPadded(b, 32, id.revision(), 4);
        return b;
    }

    /** Standard data of a logical unit that is not present (peripheral byte 0x7F). */
    static byte[] notPresent() {
        byte[] b = new byte[STANDARD_LENGTH];
        b[0] = (byte) PERIPHERAL_NOT_PRESENT;
        b[2] = VERSION_SPC3;
        b[3] = 0x02;
        b[4] = (byte) (STANDARD_LENGTH - 5);
        return b;
    }

    /**
     * VPD page {@code page}, or null when not supported.
     *
     * @param maxTransferBlocks the MAXIMUM TRANSFER LENGTH of the block limits page
     */
    static byte[] vpd(int page, DiskIdentity id, long maxTransferBlocks) {
        return switch (page) {
            case 0x00 -> supportedPages();
            case 0x80 -> unitSerial(id);
            case 0x83 -> deviceIdentification(id);
            case 0xB0 -> blockLimits(maxTransferBlocks);
            case 0xB1 -> blockCharacteristics();
            default -> null;
        };
    }

    private static byte[] header(int page, int payload) {
        byte[] b = new byte[4 + payload];
        b[0] = PERIPHERAL_DISK;
        b[1] = (byte) page;
        Cdb.put16(b, 2, payload);
        return b;
    }

    private static byte[] supportedPages() {
        byte[] b = header(0x00, SUPPORTED_VPD.length);
        for (int i = 0; i < SUPPORTED_VPD.length; i++) {
            b[4 + i] = (byte) SUPPORTED_VPD[i];
        }
        return b;
    }

    private static byte[] unitSerial(DiskIdentity id) {
        byte[] s = id.serial().getBytes(StandardCharsets.US_ASCII);
        byte[] b = header(0x80, s.length);
        System.arraycopy(s, 0, b, 4, s.length);
        return b;
    }

    /** Two designators, both associated with the logical unit: T10 vendor ID (ASCII) and NAA (binary). */
    private static byte[] deviceIdentification(DiskIdentity id) {
        byte[] t10 = new byte[8 + 16 + id.serial().length()];
        DiskIdentity.putPadded(t10, 0, id.vendor(), 8);
        DiskIdentity.putPadded(t10, 8, id.product(), 16);
        DiskIdentity.putPadded(t10, 24, id.serial(), id.serial().length());
        int t10Len = 4 + t10.length;
        int naaLen = 4 + 8;
        byte[] b = header(0x83, t10Len + naaLen);
        int at = 4;
        b[at] = 0x02;                     // protocol 0, code set 2 = ASCII
        b[at + 1] = 0x01;                 // PIV 0, association 0 (LU), designator type 1 = T10 vendor ID
        b[at + 3] = (byte) t10.length;
        System.arraycopy(t10, 0, b, at + 4, t10.length);
        at += t10Len;
        b[at] = 0x01;                     // code set 1 = binary
        b[at + 1] = 0x03;                 // association 0, designator type 3 = NAA
        b[at + 3] = 8;
        Cdb.put64(b, at + 4, id.naa());
        return b;
    }

    /** Block limits (SBC-3 6.5.3): page length 0x3C. */
    private static byte[] blockLimits(long maxTransferBlocks) {
        byte[] b = header(0xB0, 0x3C);
        Cdb.put16(b, 6, 8);                                  // optimal transfer length granularity: 8 blocks (4 KiB)
        Cdb.put32(b, 8, Math.min(maxTransferBlocks, 0xFFFF_FFFFL)); // maximum transfer length (blocks)
        return b;                                            // no UNMAP / WRITE SAME limits: not supported
    }

    /** Block device characteristics (SBC-3 6.5.2): non-rotating medium. */
    private static byte[] blockCharacteristics() {
        byte[] b = header(0xB1, 0x3C);
        Cdb.put16(b, 4, 0x0001);                             // MEDIUM ROTATION RATE 1 = non-rotating (solid state)
        return b;
    }
}
