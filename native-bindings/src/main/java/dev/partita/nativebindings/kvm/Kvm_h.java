package dev.partita.nativebindings.kvm;

/** Constants of {@code <linux/kvm.h>} (filled in by step 2). */
public final class Kvm_h {
    private Kvm_h() {}
}
