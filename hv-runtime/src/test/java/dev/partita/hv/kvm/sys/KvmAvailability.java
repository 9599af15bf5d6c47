package dev.partita.hv.kvm.sys;

import org.junit.jupiter.api.Assumptions;

/** Opens /dev/kvm for a test or skips it, printing why. */
final class KvmAvailability {
    private KvmAvailability() {}

    static Kvm openOrSkip(String test) {
        try {
            return Kvm.open();
        } catch (KvmException e) {
            String reason = "/dev/kvm cannot be used: " + e.getMessage();
            System.out.println("SKIP " + test + ": " + reason);
            Assumptions.assumeTrue(false, reason);
            throw e; // not reached
        }
    }
}
