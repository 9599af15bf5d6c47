package dev.partita.hv.vp;

import java.util.Arrays;

/**
 * The FPU/SSE/AVX state as raw bytes in the standard (non-compacted) XSAVE format — legacy
 * FXSAVE region (512 bytes), XSAVE header (64 bytes), then the extended components at their
 * CPUID-leaf-0xD offsets — together with XCR0. Immutable (arrays are copied in and out).
 *
 * @param xcr0 the enabled-feature mask (bit 0 x87 is always set)
 */
public record XsaveArea(byte[] bytes, long xcr0) {
    /** Size of the legacy region plus the XSAVE header. */
    public static final int MINIMUM_SIZE = 576;
    /** Offset of MXCSR in the legacy region. */
    public static final int MXCSR_OFFSET = 24;
    /** Offset of XMM0 in the legacy region. */
    public static final int XMM0_OFFSET = 160;

    public XsaveArea {
        if (bytes.length < MINIMUM_SIZE) {
            throw new IllegalArgumentException("XSAVE area too short: " + bytes.length + " < " + MINIMUM_SIZE);
        }
        if ((xcr0 & 1) == 0) {
            throw new IllegalArgumentException("XCR0 must enable x87: 0x" + Long.toHexString(xcr0));
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Length of the area in bytes. */
    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XsaveArea x && xcr0 == x.xcr0 && Arrays.equals(bytes, x.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Long.hashCode(xcr0);
    }

    @Override
    public String toString() {
        return "XsaveArea[" + bytes.length + " bytes, xcr0=0x" + Long.toHexString(xcr0) + "]";
    }
}
