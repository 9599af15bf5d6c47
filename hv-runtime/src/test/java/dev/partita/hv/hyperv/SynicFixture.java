package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A SynIC and synthetic MSRs over 1 MiB of plain guest memory, recording the interrupts they raise. */
final class SynicFixture implements AutoCloseable {
    /** An interrupt raised on a processor. */
    record Raised(int vp, int vector) {
    }

    final GuestMemory memory = GuestMemory.allocate(1 << 20);
    final List<Raised> raised = new CopyOnWriteArrayList<>();
    final SynIc synic;
    final SyntheticMsrs msrs;
    final ReferenceClock clock = ReferenceClock.hostClock();

    SynicFixture(int vps, HypercallPage page) {
        synic = new SynIc(memory, vps, (vp, vector) -> raised.add(new Raised(vp, vector)));
        msrs = new SyntheticMsrs(memory, synic, page, clock);
    }

    SynicFixture(int vps) {
        this(vps, HypercallPage.VMCALL);
    }

    /** Enables SynIC, SIMP at {@code simp}, SIEFP at {@code siefp} and SINT {@code sint} with {@code vector} on {@code vp}. */
    void enable(int vp, long simp, long siefp, int sint, int vector) throws Exception {
        msrs.write(vp, HvMsr.SCONTROL, 1);
        msrs.write(vp, HvMsr.SIMP, simp | 1);
        msrs.write(vp, HvMsr.SIEFP, siefp | 1);
        msrs.write(vp, HvMsr.SINT0 + sint, vector);
    }

    /** What the guest does after reading a message: type = 0, then EOM if the pending flag was set. */
    boolean guestConsume(int vp, long slot) throws Exception {
        memory.writeU32(slot, 0);
        boolean pending = (memory.readU8(slot + MessagePage.OFFSET_FLAGS) & MessagePage.FLAG_PENDING) != 0;
        if (pending) {
            msrs.write(vp, HvMsr.EOM, 0);
        }
        return pending;
    }

    @Override
    public void close() {
        memory.close();
    }
}
