package dev.partita.hv.host;

/** The two ways Partita can run a partition. {@link #id()} is the name used on the command line and in JSON. */
public enum BackendKind {
    /** Linux KVM through /dev/kvm. */
    KVM("kvm"),
    /** Partita's pure-Java x86-64 emulator. */
    EMULATOR("emulator");

    private final String id;

    BackendKind(String id) {
        this.id = id;
    }

    /** "kvm" or "emulator". */
    public String id() {
        return id;
    }
}
