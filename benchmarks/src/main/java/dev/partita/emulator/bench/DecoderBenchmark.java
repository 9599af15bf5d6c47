package dev.partita.emulator.bench;

import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Decoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The emulator's x86 decoder over a fixed 64-bit instruction stream (prefixes, ModRM/SIB with
 * displacements, immediates, REX, two-byte opcodes, SSE), {@value #INSNS} instructions per invocation.
 * {@link #reference} walks the same instruction boundaries reading every byte (a checksum), the floor
 * any decoder pays for touching the bytes. Scores are instructions per second.
 *
 * <p>Threads: JMH's one benchmark thread owns the state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecoderBenchmark {
    /** One block of 64-bit code, as GNU as encodes it (the mnemonic after each line). */
    private static final int[][] BLOCK = {
        {0x48, 0x89, 0xD8},                               // mov rax, rbx
        {0x48, 0x8B, 0x44, 0x24, 0x08},                   // mov rax, [rsp+8]
        {0x48, 0x8D, 0x8C, 0xC3, 0x78, 0x56, 0x34, 0x12}, // lea rcx, [rbx+rax*8+0x12345678]
        {0x48, 0x81, 0xC1, 0x00, 0x10, 0x00, 0x00},       // add rcx, 0x1000
        {0x0F, 0xB6, 0x06},                               // movzx eax, byte [rsi]
        {0x66, 0x0F, 0xEF, 0xC1},                         // pxor xmm0, xmm1
        {0xF3, 0x48, 0xAB},                               // rep stosq
        {0x41, 0xFF, 0xC0},                               // inc r8d
        {0x48, 0x39, 0xD0},                               // cmp rax, rdx
        {0x75, 0xF0},                                     // jne -16
        {0xE8, 0x00, 0x01, 0x00, 0x00},                   // call +0x100
        {0xC3},                                           // ret
        {0xF0, 0x48, 0x0F, 0xB1, 0x0A},                   // lock cmpxchg [rdx], rcx
        {0x48, 0xC1, 0xE0, 0x04},                         // shl rax, 4
        {0x0F, 0xAF, 0xC3},                               // imul eax, ebx
        {0x90},                                           // nop
    };
    static final int INSNS = 1024;

    private byte[] code;
    private int[] starts;
    private final Decoder decoder = new Decoder();
    private final DecodedInsn insn = new DecodedInsn();

    @Setup(Level.Trial)
    public void setUp() {
        starts = new int[INSNS];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < INSNS; i++) {
            starts[i] = out.size();
            for (int b : BLOCK[i % BLOCK.length]) {
                out.write(b);
            }
        }
        code = out.toByteArray();
        int at = 0;
        for (int i = 0; i < INSNS; i++) {
            int len = decoder.decode(code, at, code.length - at, Decoder.MODE64, insn);
            if (at != starts[i] || len != BLOCK[i % BLOCK.length].length) {
                throw new IllegalStateException("instruction " + i + " decoded with length " + len);
            }
            at += len;
        }
    }

    @Benchmark
    @OperationsPerInvocation(INSNS)
    public int decode() {
        int at = 0;
        for (int i = 0; i < INSNS; i++) {
            at += decoder.decode(code, at, code.length - at, Decoder.MODE64, insn);
        }
        return at;
    }

    @Benchmark
    @OperationsPerInvocation(INSNS)
    public int reference() {
        int sum = 0;
        for (int i = 0; i < INSNS; i++) {
            int end = i + 1 < INSNS ? starts[i + 1] : code.length;
            for (int at = starts[i]; at < end; at++) {
                sum = sum * 31 + code[at];
            }
        }
        return sum;
    }
}
