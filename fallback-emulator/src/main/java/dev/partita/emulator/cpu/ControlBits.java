package dev.partita.emulator.cpu;

/** Bits of CR0, CR4, EFER and RFLAGS, grouped by register (names as in the SDM). */
public final class ControlBits {
    private ControlBits() {
    }

    /** CR0 bits. */
    public static final class Cr0 {
        public static final long PE = 1L;
        public static final long MP = 1L << 1;
        public static final long EM = 1L << 2;
        public static final long TS = 1L << 3;
        public static final long ET = 1L << 4;
        public static final long NE = 1L << 5;
        public static final long WP = 1L << 16;
        public static final long AM = 1L << 18;
        public static final long NW = 1L << 29;
        public static final long CD = 1L << 30;
        public static final long PG = 1L << 31;
        /** Bits software may set; others are reserved (must be zero; #GP if set). */
        public static final long SUPPORTED = PE | MP | EM | TS | ET | NE | WP | AM | NW | CD | PG;

        private Cr0() {
        }
    }

    /** CR4 bits. */
    public static final class Cr4 {
        public static final long VME = 1L;
        public static final long PVI = 1L << 1;
        public static final long TSD = 1L << 2;
        public static final long DE = 1L << 3;
        public static final long PSE = 1L << 4;
        public static final long PAE = 1L << 5;
        public static final long MCE = 1L << 6;
        public static final long PGE = 1L << 7;
        public static final long PCE = 1L << 8;
        public static final long OSFXSR = 1L << 9;
        public static final long OSXMMEXCPT = 1L << 10;
        public static final long UMIP = 1L << 11;
        public static final long LA57 = 1L << 12;
        public static final long FSGSBASE = 1L << 16;
        public static final long PCIDE = 1L << 17;
        public static final long OSXSAVE = 1L << 18;
        public static final long SMEP = 1L << 20;
        public static final long SMAP = 1L << 21;
        /** Bits the emulator accepts (LA57, PCIDE, SMAP, UMIP, VME/PVI are not implemented: #GP). */
        public static final long SUPPORTED = TSD | DE | PSE | PAE | MCE | PGE | PCE | OSFXSR | OSXMMEXCPT
                | FSGSBASE | OSXSAVE | SMEP;
        /** Bits whose change flushes the whole TLB. */
        public static final long PAGING_BITS = PSE | PAE | PGE | SMEP | LA57 | PCIDE | SMAP;

        private Cr4() {
        }
    }

    /** IA32_EFER bits. */
    public static final class Efer {
        public static final long SCE = 1L;
        public static final long LME = 1L << 8;
        public static final long LMA = 1L << 10;
        public static final long NXE = 1L << 11;
        /** Bits WRMSR may set (LMA is read-only, ignored on write). */
        public static final long WRITABLE = SCE | LME | NXE;

        private Efer() {
        }
    }

    /** RFLAGS bits. */
    public static final class RFlags {
        public static final long CF = 1L;
        /** Bit 1 always reads as one. */
        public static final long FIXED1 = 1L << 1;
        public static final long PF = 1L << 2;
        public static final long AF = 1L << 4;
        public static final long ZF = 1L << 6;
        public static final long SF = 1L << 7;
        public static final long TF = 1L << 8;
        public static final long IF = 1L << 9;
        public static final long DF = 1L << 10;
        public static final long OF = 1L << 11;
        public static final int IOPL_SHIFT = 12;
        public static final long IOPL = 3L << IOPL_SHIFT;
        public static final long NT = 1L << 14;
        public static final long RF = 1L << 16;
        public static final long VM = 1L << 17;
        public static final long AC = 1L << 18;
        public static final long VIF = 1L << 19;
        public static final long VIP = 1L << 20;
        public static final long ID = 1L << 21;
        /** The six arithmetic flags kept by {@link LazyFlags}. */
        public static final long ARITH = CF | PF | AF | ZF | SF | OF;
        /** Every flag software can hold (ARITH plus the system flags). */
        public static final long ALL = ARITH | TF | IF | DF | IOPL | NT | RF | VM | AC | VIF | VIP | ID;

        private RFlags() {
        }
    }
}
