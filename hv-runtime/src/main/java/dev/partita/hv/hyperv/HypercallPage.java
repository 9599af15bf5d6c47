package dev.partita.hv.hyperv;

import java.util.Arrays;

/**
 * The code Partita writes into the guest's hypercall page (TLFS x64 calling convention: the guest
 * does a near {@code call} to the page with RCX = control, RDX = input GPA or fast value, R8 =
 * output GPA or fast value; the result comes back in RAX; the page may clobber RAX, RCX, RDX,
 * R8-R11 and flags, and ends with {@code ret}). Two flavours, chosen by backend:
 *
 * <ul>
 *   <li>{@link #VMCALL} (the emulator): {@code vmcall; ret}. The emulator turns VMCALL into
 *       {@code VcpuExit.Hypercall(RCX, RDX, R8)} and writes the result to RAX.</li>
 *   <li>{@link #PORT_TRAP} (KVM): on KVM without in-kernel Hyper-V, VMCALL never reaches user
 *       space, so the page traps with a one-byte OUT to the private port {@link #TRAP_PORT}.
 *       {@code out dx} needs DX, which holds the input, so the input moves to R11 first:
 *       {@code mov r11, rdx; mov edx, TRAP_PORT; out dx, al; ret}. The KVM backend turns that
 *       OUT into {@code VcpuExit.Hypercall(RCX, R11, R8)} and writes the result to RAX; RIP is
 *       already past the OUT, so the guest continues with {@code ret}.</li>
 * </ul>
 * Both start with {@code endbr64} (a NOP without CET) so a guest kernel built with indirect-branch
 * tracking can call the page indirectly. The rest of the page is filled with {@code int3} so a
 * stray jump into it traps.
 *
 * <p>Immutable; thread-safe.
 */
public enum HypercallPage {
    /** {@code endbr64; vmcall; ret}. */
    VMCALL(new byte[] {
            (byte) 0xF3, 0x0F, 0x1E, (byte) 0xFA,           // endbr64
            0x0F, 0x01, (byte) 0xC1,                        // vmcall
            (byte) 0xC3 }),                                 // ret
    /** {@code endbr64; mov r11, rdx; mov edx, 0x4856; out dx, al; ret}. */
    PORT_TRAP(new byte[] {
            (byte) 0xF3, 0x0F, 0x1E, (byte) 0xFA,           // endbr64
            0x49, (byte) 0x89, (byte) 0xD3,                 // mov r11, rdx
            (byte) 0xBA, 0x56, 0x48, 0x00, 0x00,            // mov edx, TRAP_PORT
            (byte) 0xEE,                                    // out dx, al
            (byte) 0xC3 });                                 // ret

    /**
     * The private I/O port of {@link #PORT_TRAP} ("HV" in ASCII). A one-byte OUT to it from the
     * KVM backend's guests is a hypercall (RCX control, R11 input, R8 output; RAX result). No
     * device may use it.
     */
    public static final int TRAP_PORT = 0x4856;
    /** Page size. */
    public static final int PAGE_SIZE = 4096;
    private static final byte INT3 = (byte) 0xCC;

    private final byte[] code;

    HypercallPage(byte[] code) {
        this.code = code;
    }

    /** The instructions, without padding (a copy). */
    public byte[] code() {
        return code.clone();
    }

    /** The whole 4 KiB page: the code, then {@code int3} to the end (a fresh array). */
    public byte[] page() {
        byte[] page = new byte[PAGE_SIZE];
        Arrays.fill(page, INT3);
        System.arraycopy(code, 0, page, 0, code.length);
        return page;
    }

    /** The flavour for a backend name ("kvm" traps through the port; every other backend executes VMCALL). */
    public static HypercallPage forBackend(String backendName) {
        return "kvm".equals(backendName) ? PORT_TRAP : VMCALL;
    }
}
