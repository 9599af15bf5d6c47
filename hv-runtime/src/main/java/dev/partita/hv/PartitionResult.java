package dev.partita.hv;

import java.time.Duration;

/**
 * How a partition ended. Each kind maps to the process exit status of {@code partita run}
 * ({@link #exitStatus()}, guests/README.md).
 */
public sealed interface PartitionResult {
    /** Exit status for {@code partita run}. */
    int exitStatus();

    /** A human-readable report (one line, or several with registers). */
    String report();

    /** The guest wrote {@code code} to the debug-exit port (0xF4); status = code & 0xFF. */
    record Exited(int code) implements PartitionResult {
        public int exitStatus() {
            return code & 0xFF;
        }

        public String report() {
            return "guest exited with code " + (code & 0xFF);
        }
    }

    /** A processor shut down (triple fault); status 125. */
    record TripleFault(int vpIndex, String detail, String registers) implements PartitionResult {
        public int exitStatus() {
            return 125;
        }

        public String report() {
            return "triple fault on vCPU " + vpIndex + (detail.isEmpty() ? "" : " (" + detail + ")") + "\n" + registers;
        }
    }

    /**
     * The guest reported a crash through the Hyper-V crash MSRs; status 125 (as a triple fault).
     *
     * @param vpIndex    the processor that reported it
     * @param parameters CRASH_P0-P4 as the guest wrote them (Linux: error code, guest OS id, RIP,
     *                   RAX, RSP; or 0, 0, 0, message GPA, message length with a message)
     * @param message    the guest's crash text (its kernel log tail), empty when it sent none
     */
    record GuestCrashed(int vpIndex, java.util.List<Long> parameters, String message) implements PartitionResult {
        public GuestCrashed {
            parameters = java.util.List.copyOf(parameters);
            message = java.util.Objects.requireNonNull(message, "message");
        }

        public int exitStatus() {
            return 125;
        }

        public String report() {
            StringBuilder b = new StringBuilder("guest crash reported by vCPU ").append(vpIndex).append(" (parameters");
            for (long p : parameters) {
                b.append(" 0x").append(Long.toHexString(p));
            }
            b.append(')');
            if (!message.isEmpty()) {
                b.append("; guest message:\n").append(message.endsWith("\n") ? message : message + "\n");
            }
            return b.toString();
        }
    }

    /** The guest did not finish in time; status 124. */
    record TimedOut(Duration after) implements PartitionResult {
        public int exitStatus() {
            return 124;
        }

        public String report() {
            return "timed out after " + after.toMillis() + " ms";
        }
    }

    /** The backend could not enter the guest, failed internally, or the host side failed; status 126. */
    record Failed(FailureKind kind, int vpIndex, String description) implements PartitionResult {
        public int exitStatus() {
            return 126;
        }

        public String report() {
            return kind + " on vCPU " + vpIndex + ": " + description;
        }
    }

    /** Stopped by the host or by a guest power-off/reset request; status 0. */
    record Stopped(String why) implements PartitionResult {
        public int exitStatus() {
            return 0;
        }

        public String report() {
            return "stopped: " + why;
        }
    }

    /** The kinds of {@link Failed}. */
    enum FailureKind {
        /** The backend could not enter the guest (KVM_EXIT_FAIL_ENTRY). */
        ENTRY_FAILURE,
        /** The backend failed internally (KVM_EXIT_INTERNAL_ERROR, unknown exit, unimplemented instruction). */
        INTERNAL_ERROR,
        /** Host-side code failed (a device threw, a syscall failed). */
        HOST_ERROR
    }
}
