/** Panama FFM bindings to libc and linux/kvm.h, in the shape jextract generates. No logic lives here. */
module dev.partita.nativebindings {
    exports dev.partita.nativebindings.libc;
    exports dev.partita.nativebindings.kvm;
}
