package dev.partita.emulator.diff.asm;

import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Literal;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small 64-bit-mode x86 encoder for the instruction forms the differential test generates. Each
 * instruction is described by its prefixes, opcode bytes, ModRM fields and immediate (the caller
 * picks the exact encoding, so alternative encodings of one instruction can all be exercised), and
 * the encoder also renders the GNU-as Intel-syntax text of it, which {@code X86AsmVsGasTest} feeds
 * to the host assembler to validate the bytes. Not thread-safe; one per code buffer.
 */
public final class X86Asm {

    private final long origin;
    private byte[] buf = new byte[256];
    private int len;
    private final List<String> lines = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();

    /** An encoder whose first byte will sit at guest address {@code origin}. */
    public X86Asm(long origin) {
        this.origin = origin;
    }

    /** Address of the next byte to be emitted. */
    public long pc() {
        return origin + len;
    }

    /** Number of bytes emitted so far. */
    public int size() {
        return len;
    }

    /** The emitted machine code. */
    public byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    /** GNU-as Intel-syntax text, one line per instruction (raw byte directives for {@link #raw}). */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Offset of each instruction's first byte, in emission order (parallel to {@link #lines()}). */
    public List<Integer> starts() {
        return List.copyOf(starts);
    }

    /** Appends an instruction given as bytes, shown as {@code .byte} with {@code comment} after it. */
    public void raw(byte[] bytes, String comment) {
        raw(bytes);
        lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " # " + comment);
    }

    /** Appends bytes that are not an encoded instruction (random-byte cases). */
    public void raw(byte[] bytes) {
        ensure(bytes.length);
        starts.add(len);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        StringBuilder sb = new StringBuilder(".byte ");
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format("0x%02x", bytes[i] & 0xFF));
        }
        lines.add(sb.toString());
    }

    /** Starts an instruction with the given mnemonic text and opcode bytes (after all prefixes). */
    public Insn op(String mnemonic, int... opcode) {
        return new Insn(mnemonic, opcode);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** One instruction being described; {@link #emit()} appends it. */
    public final class Insn {
        private final String mnemonic;
        private final int[] opcode;
        private final List<Integer> prefixes = new ArrayList<>();
        private boolean o16;
        private boolean w;
        private int regField = -1;
        private Reg regOperand;
        private Operand rm;
        private Reg plusReg;
        private long imm;
        private int immBytes;
        private Operand[] shown = new Operand[0];

        private Insn(String mnemonic, int[] opcode) {
            this.mnemonic = mnemonic;
            this.opcode = opcode;
        }

        /** A legacy prefix byte (LOCK F0, REP F3, REPNE F2, or a mandatory SSE prefix), in order. */
        public Insn prefix(int b) {
            prefixes.add(b);
            return this;
        }

        /** Operand-size prefix 0x66. */
        public Insn o16() {
            o16 = true;
            return this;
        }

        /** REX.W. */
        public Insn w() {
            w = true;
            return this;
        }

        /** Operand-size prefixes for an operand of {@code size} bytes (66 for 2, REX.W for 8). */
        public Insn size(int size) {
            if (size == 2) {
                o16 = true;
            } else if (size == 8) {
                w = true;
            }
            return this;
        }

        /** ModRM.reg as an opcode extension /digit. */
        public Insn ext(int digit) {
            regField = digit;
            return this;
        }

        /** ModRM.reg as a register. */
        public Insn reg(Reg r) {
            regField = r.num();
            regOperand = r;
            return this;
        }

        /** ModRM.reg as an XMM register number. */
        public Insn xreg(int num) {
            regField = num;
            return this;
        }

        /** ModRM.rm operand (register or memory). */
        public Insn rm(Operand op) {
            rm = op;
            return this;
        }

        /** ModRM.rm as an XMM register number (mod = 11). */
        public Insn xrm(int num) {
            rm = new Reg(num, 8, false);
            return this;
        }

        /** Register encoded in the low three opcode bits (+r forms). */
        public Insn plus(Reg r) {
            plusReg = r;
            return this;
        }

        /** Immediate of {@code bytes} (1, 2, 4 or 8) bytes. */
        public Insn imm(long value, int bytes) {
            imm = value;
            immBytes = bytes;
            return this;
        }

        /** Operands as written in the text, in Intel order. */
        public Insn show(Operand... ops) {
            shown = ops;
            return this;
        }

        /** Encodes and appends the instruction; returns its length. */
        public int emit() {
            byte[] out = new byte[24];
            int n = 0;
            int rex = w ? 0x48 : 0;
            boolean needRex = false;
            boolean hasHigh = false;
            for (Reg r : new Reg[] {regOperand, rm instanceof Reg rr ? rr : null, plusReg}) {
                if (r != null) {
                    needRex |= r.needsRex();
                    hasHigh |= r.high();
                }
            }
            if (regField >= 8) {
                rex |= 0x44;
            }
            if (plusReg != null && plusReg.num() >= 8) {
                rex |= 0x41;
            }
            Mem mem = rm instanceof Mem m ? m : null;
            if (rm instanceof Reg r && r.num() >= 8) {
                rex |= 0x41;
            }
            if (mem != null) {
                if (mem.base() >= 8 && mem.base() != Operand.RIP) {
                    rex |= 0x41;
                }
                if (mem.index() >= 8) {
                    rex |= 0x42;
                }
            }
            if (needRex) {
                rex |= 0x40;
            }
            if (rex != 0 && hasHigh) {
                throw new IllegalArgumentException(mnemonic + ": AH..BH cannot be used with a REX prefix");
            }
            for (int p : prefixes) {
                out[n++] = (byte) p;
            }
            if (o16) {
                out[n++] = 0x66;
            }
            if (mem != null && mem.addr32()) {
                out[n++] = 0x67;
            }
            // Mandatory prefixes (66/F2/F3) of SSE forms must precede REX: callers put them in prefixes().
            if (rex != 0) {
                out[n++] = (byte) rex;
            }
            for (int i = 0; i < opcode.length; i++) {
                int b = opcode[i];
                if (i == opcode.length - 1 && plusReg != null) {
                    b += plusReg.num() & 7;
                }
                out[n++] = (byte) b;
            }
            int ripDispAt = -1;
            long ripDisp = 0;
            if (rm != null) {
                int reg = regField & 7;
                if (rm instanceof Reg r) {
                    out[n++] = (byte) (0xC0 | reg << 3 | (r.num() & 7));
                } else {
                    Mem m = (Mem) rm;
                    if (m.base() == Operand.RIP) {
                        out[n++] = (byte) (reg << 3 | 5);
                        ripDispAt = n;
                        n += 4;
                    } else if (m.base() == Operand.NONE) {
                        out[n++] = (byte) (reg << 3 | 4);
                        int idx = m.index() == Operand.NONE ? 4 : m.index() & 7;
                        out[n++] = (byte) (scaleBits(m.scale()) << 6 | idx << 3 | 5);
                        n = putLe(out, n, m.disp(), 4);
                    } else {
                        int b = m.base() & 7;
                        boolean sib = m.index() != Operand.NONE || b == 4;
                        int mod;
                        if (m.forceDisp32() || m.disp() != (byte) m.disp()) {
                            mod = 2;
                        } else if (m.disp() != 0 || b == 5) {
                            mod = 1;
                        } else {
                            mod = 0;
                        }
                        out[n++] = (byte) (mod << 6 | reg << 3 | (sib ? 4 : b));
                        if (sib) {
                            int idx = m.index() == Operand.NONE ? 4 : m.index() & 7;
                            out[n++] = (byte) (scaleBits(m.scale()) << 6 | idx << 3 | b);
                        }
                        if (mod == 1) {
                            out[n++] = (byte) m.disp();
                        } else if (mod == 2) {
                            n = putLe(out, n, m.disp(), 4);
                        }
                    }
                }
            }
            n = putLe(out, n, imm, immBytes);
            if (ripDispAt >= 0) {
                ripDisp = ((Mem) rm).disp() - (pc() + n);
                if (ripDisp != (int) ripDisp) {
                    throw new IllegalArgumentException(mnemonic + ": RIP-relative target out of range");
                }
                putLe(out, ripDispAt, ripDisp, 4);
            }
            ensure(n);
            starts.add(len);
            System.arraycopy(out, 0, buf, len, n);
            len += n;
            lines.add(text(ripDisp));
            return n;
        }

        private String text(long ripDisp) {
            StringBuilder sb = new StringBuilder(prefixes.contains(0xF0) ? "lock " : "").append(mnemonic);
            for (int i = 0; i < shown.length; i++) {
                sb.append(i == 0 ? " " : ", ").append(format(shown[i], ripDisp));
            }
            return sb.toString();
        }
    }

    private static int scaleBits(int scale) {
        return Integer.numberOfTrailingZeros(scale);
    }

    private static int putLe(byte[] out, int at, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out[at + i] = (byte) (v >>> (8 * i));
        }
        return at + bytes;
    }

    /** GNU-as Intel-syntax text of an operand. */
    static String format(Operand op, long ripDisp) {
        return switch (op) {
            case Reg r -> r.toString();
            case Imm i -> hex(i.value());
            case Literal l -> l.text();
            case Mem m -> formatMem(m, ripDisp);
        };
    }

    private static String formatMem(Mem m, long ripDisp) {
        String ptr = switch (m.size()) {
            case 0 -> "";
            case 1 -> "BYTE PTR ";
            case 2 -> "WORD PTR ";
            case 4 -> "DWORD PTR ";
            case 8 -> "QWORD PTR ";
            case 10 -> "TBYTE PTR ";
            case 16 -> "XMMWORD PTR ";
            default -> throw new IllegalArgumentException("memory size " + m.size());
        };
        if (m.base() == Operand.RIP) {
            return ptr + "[rip" + signedHex(ripDisp) + "]";
        }
        if (m.base() == Operand.NONE && m.index() == Operand.NONE) {
            return ptr + "ds:" + hex(m.disp() & 0xFFFF_FFFFL);
        }
        int asz = m.addr32() ? 4 : 8;
        StringBuilder sb = new StringBuilder(ptr).append('[');
        if (m.base() != Operand.NONE) {
            sb.append(RegNames.name(m.base(), asz, false));
        }
        if (m.index() != Operand.NONE) {
            if (m.base() != Operand.NONE) {
                sb.append('+');
            }
            sb.append(RegNames.name(m.index(), asz, false)).append('*').append(m.scale());
        }
        if (m.base() == Operand.NONE) {
            sb.append('+').append(hex(m.disp() & 0xFFFF_FFFFL));
        } else if (m.disp() != 0 || m.forceDisp32()) {
            sb.append(signedHex(m.disp()));
        }
        return sb.append(']').toString();
    }

    private static String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    private static String signedHex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "+0x" + Long.toHexString(v);
    }
}
