package dev.partita.devices.net;

/**
 * The NVSP protocol versions Linux's hv_netvsc offers, highest first ({@code NVSP_PROTOCOL_VERSION_*}
 * in Linux's {@code hyperv_net.h}). Linux sends one INIT per version, with min = max = that version,
 * until the host accepts one.
 */
public enum NvspVersion {
    V6_1(0x60001), V6(0x60000), V5(0x50000), V4(0x40000), V2(0x30002), V1(0x2);

    private final int wire;

    NvspVersion(int wire) {
        this.wire = wire;
    }

    /** The value on the wire. */
    public int wire() {
        return wire;
    }

    /** The version with wire value {@code value}, or null when there is none. */
    public static NvspVersion fromWire(int value) {
        for (NvspVersion v : values()) {
            if (v.wire == value) {
                return v;
            }
        }
        return null;
    }

    /**
     * The highest version this host supports inside the guest's range [{@code min}, {@code max}], or
     * null when the range contains none.
     */
    public static NvspVersion choose(int min, int max) {
        for (NvspVersion v : values()) {
            if (Integer.compareUnsigned(v.wire, min) >= 0 && Integer.compareUnsigned(v.wire, max) <= 0) {
                return v;
            }
        }
        return null;
    }
}
