package dev.partita.hv.host;

/** Which kind of KVM serves {@code /dev/kvm}. */
public enum KvmFlavour {
    /** Intel VT-x through kvm_intel: guests run natively at every privilege level. */
    HARDWARE_VMX("hardware VMX"),
    /** AMD-V through kvm_amd: guests run natively at every privilege level. */
    HARDWARE_SVM("hardware SVM"),
    /**
     * The paravirtual kvm_pvm module (no VMX/SVM): guest CPL3 code runs natively, guest CPL0 code is
     * emulated by the host kernel.
     */
    PVM("PVM (paravirtual, no VMX/SVM)"),
    /** /dev/kvm works but neither the loaded modules nor the CPU flags say how. */
    UNKNOWN("unknown"),
    /** No usable /dev/kvm. */
    NONE("none");

    private final String description;

    KvmFlavour(String description) {
        this.description = description;
    }

    /** A short phrase for people, e.g. "hardware VMX". */
    public String description() {
        return description;
    }
}
