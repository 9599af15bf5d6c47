package dev.partita.hv.loader;

import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;

/**
 * The initial processor states of guests/README.md ("Boot states"), shared by every loader and
 * honoured by every backend. Stateless.
 */
public final class BootStates {

    /** Where a flat image is loaded and started (the BIOS boot-sector address). */
    public static final long FLAT_LOAD_ADDRESS = 0x7C00;
    /** A flat image must end below this address (the start of the legacy video/ROM hole). */
    public static final long FLAT_LIMIT = 0xA0000;
    /** CR0 for ELF entry: PE | ET. */
    public static final long CR0_PROTECTED = 0x11;
    /** Selector of the flat 32-bit code segment at ELF entry. */
    public static final int CODE32_SELECTOR = 0x08;
    /** Selector of the flat 32-bit data segments at ELF entry. */
    public static final int DATA32_SELECTOR = 0x10;

    private BootStates() {}

    /**
     * Real mode at 0000:7C00: CS = DS = ES = SS = FS = GS = 0 (base 0), SP = 0x7C00, EFLAGS = 2,
     * CR0 = 0x60000010.
     */
    public static VpState flatRealMode() {
        return VpState.builder()
                .cs(SegmentRegister.realModeCode(0))
                .dataSegments(SegmentRegister.realModeData(0))
                .rip(FLAT_LOAD_ADDRESS)
                .gpr(Gpr.RSP, FLAT_LOAD_ADDRESS)
                .rflags(2)
                .cr0(VpState.CR0_RESET)
                .build();
    }

    /**
     * 32-bit protected mode at {@code entry}, paging off: CS = flat code (0x08), other segments flat
     * data (0x10), EFLAGS = 2 (interrupts off), CR0 = PE | ET, GDTR/IDTR base 0 limit 0, all GPRs 0
     * including ESP.
     */
    public static VpState protectedMode32(long entry) {
        if (entry < 0 || entry > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("32-bit entry point out of range: 0x" + Long.toHexString(entry));
        }
        return VpState.builder()
                .cs(SegmentRegister.flat32Code(CODE32_SELECTOR))
                .dataSegments(SegmentRegister.flat32Data(DATA32_SELECTOR))
                .gdtr(new TableRegister(0, 0))
                .idtr(new TableRegister(0, 0))
                .rip(entry)
                .rflags(2)
                .cr0(CR0_PROTECTED)
                .build();
    }

    /**
     * An application processor (every vCPU but 0) at boot: the reset state with the AP's APIC base
     * (BSP flag clear), waiting for INIT/startup IPIs from the guest ({@link MpState#INIT_RECEIVED}),
     * as on a real multiprocessor after reset. Whatever the image format, only vCPU 0 starts running.
     */
    public static VpState applicationProcessor() {
        return VpState.builder()
                .apicBase(VpState.APIC_BASE_AP_RESET)
                .mpState(MpState.INIT_RECEIVED)
                .build();
    }
}
