package dev.partita.emulator.platform;

import java.util.List;

/**
 * Routes interrupt messages (from the I/O APIC, MSIs and interprocessor interrupts) to the local
 * APICs they address: physical or logical destination (flat and cluster models in xAPIC mode,
 * clusters in x2APIC mode), broadcast, and lowest-priority arbitration (the lowest arbitration
 * priority wins; ties go to the lowest vCPU index).
 *
 * <p>Threading: any thread; the list of APICs is fixed at construction and each APIC synchronizes
 * its own state.
 */
public final class ApicBus {

    private final List<LocalApic> apics;

    ApicBus(List<LocalApic> apics) {
        this.apics = apics;
    }

    /** Delivers {@code m} to its destination; returns whether any APIC received it. */
    boolean deliver(ApicDelivery.Message m) {
        if (m.mode() == ApicDelivery.LOWEST_PRIORITY) {
            LocalApic best = null;
            int bestPriority = Integer.MAX_VALUE;
            for (LocalApic a : apics) {
                if (a.matches(m.logical(), m.destination())) {
                    int p = a.arbitrationPriority();
                    if (p < bestPriority) {
                        best = a;
                        bestPriority = p;
                    }
                }
            }
            if (best == null) {
                return false;
            }
            best.accept(m.mode(), m.vector(), m.levelTriggered());
            return true;
        }
        boolean any = false;
        for (LocalApic a : apics) {
            if (a.matches(m.logical(), m.destination())) {
                a.accept(m.mode(), m.vector(), m.levelTriggered());
                any = true;
            }
        }
        return any;
    }

    /** An IPI from {@code source} with an ICR destination shorthand. */
    void send(LocalApic source, ApicDelivery.Message m, int shorthand) {
        switch (shorthand) {
            case ApicDelivery.SELF -> source.accept(m.mode(), m.vector(), m.levelTriggered());
            case ApicDelivery.ALL_INCLUDING_SELF, ApicDelivery.ALL_EXCLUDING_SELF -> {
                for (LocalApic a : apics) {
                    if (a != source || shorthand == ApicDelivery.ALL_INCLUDING_SELF) {
                        a.accept(m.mode(), m.vector(), m.levelTriggered());
                    }
                }
            }
            default -> deliver(m);
        }
    }
}
