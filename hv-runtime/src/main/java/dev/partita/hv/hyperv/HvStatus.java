package dev.partita.hv.hyperv;

/**
 * Hypercall status codes of the Hyper-V TLFS (the low 16 bits of the result in RAX). The names
 * drop the C prefix {@code HV_STATUS_}.
 */
public final class HvStatus {
    private HvStatus() {
    }

    public static final int SUCCESS = 0x0000;
    public static final int INVALID_HYPERCALL_CODE = 0x0002;
    public static final int INVALID_HYPERCALL_INPUT = 0x0003;
    public static final int INVALID_ALIGNMENT = 0x0004;
    public static final int INVALID_PARAMETER = 0x0005;
    public static final int ACCESS_DENIED = 0x0006;
    public static final int INVALID_PARTITION_STATE = 0x0007;
    public static final int OPERATION_DENIED = 0x0008;
    public static final int INSUFFICIENT_MEMORY = 0x000B;
    public static final int INVALID_VP_INDEX = 0x000E;
    public static final int INVALID_PORT_ID = 0x0011;
    public static final int INVALID_CONNECTION_ID = 0x0012;
    public static final int INSUFFICIENT_BUFFERS = 0x0013;
    public static final int INVALID_SYNIC_STATE = 0x0018;
}
