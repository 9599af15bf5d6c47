package dev.partita.hv.msr;

/** Thrown by an {@link MsrHandler} to make the guest's RDMSR/WRMSR raise #GP(0). */
public final class MsrFault extends Exception {
    public MsrFault(String why) {
        super(why);
    }
}
