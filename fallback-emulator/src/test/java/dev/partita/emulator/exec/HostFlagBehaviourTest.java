package dev.partita.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.partita.emulator.decoder.Decoder;
import dev.partita.emulator.decoder.Disassembler;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flags the SDM leaves undefined, as the reference host CPU (AMD family 19h, model 11h) produced
 * them: each row was run natively (the bytes between a register-loading prologue and a PUSHFQ
 * epilogue) and recorded. Inputs: RAX, RCX, RDX, RFLAGS; outputs: RAX, RDX, RFLAGS & 0x8D5.
 */
class HostFlagBehaviourTest {

    @ParameterizedTest(name = "{0} rax={1} rcx={2}")
    @CsvSource(delimiter = ' ', value = {
        "48d3e0 0 2 0 2 0 0 54",                     // shl rax, cl: AF set
        "48d3e0 2 4 0 8d7 20 0 10",
        "d2e8 2 4 0 8d7 0 0 54",                     // shr al, cl
        "48d3d8 2 4 0 8d7 5000000000000000 0 8d4",   // rcr rax, cl: OF = top two result bits differ
        "d2d0 2 4 0 8d7 28 0 d4",                    // rcl al, cl
        "0fafc1 80 7fffffffffffffff 0 8d7 ffffff80 0 d4", // imul eax, ecx: SF ZF AF PF kept
        "48f7e9 8000 7f 0 2 3f8000 0 0",             // imul rcx: SF ZF AF PF kept
        "f7f1 0 ffff 0 8d7 0 0 811",                 // div ecx: CF OF kept, AF set, SF ZF PF cleared
        "f7f1 8000 7f 0 2 102 2 10",
        "0fbdc1 80 7fffffffffffffff 0 8d7 1f 0 0",   // bsr: PF from the index, the rest cleared
        "0fbcc1 80 0 0 8d7 80 0 44",                 // bsf of zero: ZF PF, destination kept
        "f30fbcc1 80 7fffffffffffffff 0 8d7 0 0 840", // tzcnt: OF kept, SF AF PF cleared
        "0fadd0 0 4 123456789abcdef1 2 10000000 123456789abcdef1 14", // shrd: AF set
        "660fa5d0 100 10 123456789abcdef1 2 def1 123456789abcdef1 90", // 16-bit shld by 16
        "660fadd0 0 11 123456789abcdef1 2 ef78 123456789abcdef1 94",   // 16-bit shrd by 17
    })
    void matchesHost(String code, String rax, String rcx, String rdx, String flags, String outRax, String outRdx,
            String outFlags) {
        try (TestMachine m = TestMachine.of(64)) {
            byte[] b = HexFormat.of().parseHex(code);
            for (int i = 0; i < b.length; i++) {
                m.memory.write(TestMachine.CODE + i, 1, b[i]);
            }
            m.cpu.gpr[0] = Long.parseUnsignedLong(rax, 16);
            m.cpu.gpr[1] = Long.parseUnsignedLong(rcx, 16);
            m.cpu.gpr[2] = Long.parseUnsignedLong(rdx, 16);
            m.cpu.setRflags(Long.parseUnsignedLong(flags, 16));
            m.interp.step();
            String what = Disassembler.format(m.interp.fetchAt(TestMachine.CODE, Decoder.MODE64), 0);
            assertEquals(Long.parseUnsignedLong(outRax, 16), m.cpu.gpr[0], what + " rax");
            assertEquals(Long.parseUnsignedLong(outRdx, 16), m.cpu.gpr[2], what + " rdx");
            assertEquals(Long.parseUnsignedLong(outFlags, 16), m.cpu.rflags() & 0x8D5, what + " flags");
        }
    }
}
