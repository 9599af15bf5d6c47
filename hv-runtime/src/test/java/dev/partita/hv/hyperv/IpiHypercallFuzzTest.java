package dev.partita.hv.hyperv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.fuzz.FuzzScript;
import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes HvCallSendSyntheticClusterIpi (0x000B, fast and memory forms) and
 * HvCallSendSyntheticClusterIpiEx (0x0015, sparse and all-processor HV_VP_SETs) through the real
 * {@link HypercallDispatcher} of a partition with a guest-chosen processor count (1-130, so sparse
 * banks 0-2 name processors that exist and some that do not).
 *
 * <p>Properties: {@code call} never throws; the result is one 16-bit status with zero reps
 * completed; it is the status the TLFS rules give for the input, computed here independently from
 * the same guest memory (0x0003 for rep bits, a variable header on the simple form, a fast Ex call or
 * more sparse banks than the variable header holds; 0x0004 for an unaligned input or a block outside
 * RAM; 0x0005 for an unknown set format, a vector outside 16-255, a non-zero VTL or reserved byte, or
 * a processor the partition does not have); interrupts are raised exactly on success, once per named
 * processor in ascending order, with the guest's vector.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/hv/hyperv/IpiHypercallFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class IpiHypercallFuzzTest {
    static final long MEMORY_BYTES = 16 * 1024;
    private static final GuestMemory MEMORY = GuestMemory.allocate(MEMORY_BYTES);
    static long executions;
    /** Calls that succeeded and raised at least one interrupt. */
    static long delivered;

    static {
        dev.partita.hv.log.LogLevels.set("dev.partita.hv", System.Logger.Level.OFF);
    }

    @AfterAll
    static void report() {
        System.out.println("IpiHypercallFuzzTest: " + executions + " inputs executed, " + delivered + " delivered interrupts");
    }

    @FuzzTest(maxDuration = "3m")
    void anyIpiHypercall(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: random calls with small bytes and 0x20, which make valid vectors, formats and sets likely. */
    @Test
    void randomIpiCallsGetTheTlfsStatus() {
        SplittableRandom rng = new SplittableRandom(0x1B15);
        for (int n = 0; n < 2_000; n++) {
            byte[] b = new byte[rng.nextInt(8, 200)];
            rng.nextBytes(b);
            for (int i = 0; i < b.length; i += 1 + rng.nextInt(6)) {
                b[i] = (byte) (rng.nextInt(3) == 0 ? 0x20 : rng.nextInt(4));
            }
            run(b);
        }
    }

    static void run(byte[] data) {
        executions++;
        MEMORY.fill(0, MEMORY_BYTES, (byte) 0);
        FuzzScript s = new FuzzScript(data);
        int vpCount = 1 + s.u8() % 130;
        List<String> raised = new ArrayList<>();
        HypercallDispatcher dispatcher = new HypercallDispatcher(MEMORY, new ConcurrentHashMap<>(), null,
                new IpiHypercalls(MEMORY, vpCount, (vp, vector) -> raised.add(vp + ":" + vector)));
        for (int step = 0; step < 32 && s.more(); step++) {
            if (s.bit()) {
                long gpa = (s.u16() % (MEMORY_BYTES / 8)) * 8;
                MEMORY.writeU64(gpa, qword(s));
                continue;
            }
            int vp = s.u8() % 4;
            boolean ex = s.bit();
            long control = (ex ? HypercallControl.CALL_SEND_IPI_EX : HypercallControl.CALL_SEND_IPI)
                    | (s.u8() % 8 == 0 ? 1L << 16 : 0)
                    | (long) (s.u8() % 6) << 17
                    | (s.u8() % 16 == 0 ? 1L << (32 + s.u8() % 12) : 0);   // a rep count
            long input = s.bit() ? s.u64() : (long) (s.u16() % (MEMORY_BYTES / 8 + 8)) * 8 + (s.u8() % 8 == 0 ? 4 : 0);
            long output = qword(s);
            raised.clear();
            List<String> expectedRaised = new ArrayList<>();
            int expected = expected(control, input, output, vpCount, vp, expectedRaised);
            long result = dispatcher.call(vp, new VcpuExit.Hypercall(control, input, output));
            assertEquals(0, result & ~0xFFFFL, "only a status, zero reps completed: 0x" + Long.toHexString(result));
            assertEquals(expected, (int) result, "status for control 0x" + Long.toHexString(control)
                    + " input 0x" + Long.toHexString(input) + " with " + vpCount + " processors");
            assertEquals(expectedRaised, raised, "interrupts raised");
            if (!raised.isEmpty()) {
                delivered++;
            }
        }
    }

    /** A qword that is often a plausible vector, format, bank mask or processor mask. */
    private static long qword(FuzzScript s) {
        return switch (s.u8() % 4) {
            case 0 -> s.u64();
            case 1 -> s.u8();
            case 2 -> 1L << (s.u8() % 64);
            default -> s.u8() % 3;
        };
    }

    /** The status the TLFS rules give, and the interrupts a successful call raises. */
    private static int expected(long control, long input, long output, int vpCount, int vp, List<String> raised) {
        boolean ex = (control & 0xFFFF) == HypercallControl.CALL_SEND_IPI_EX;
        boolean fast = (control & (1L << 16)) != 0;
        int varhead = (int) ((control >>> 17) & 0x3FF);
        long reps = (control >>> 32) & 0xFFF;
        if (reps != 0 || (!ex && varhead != 0) || (ex && fast)) {
            return HvStatus.INVALID_HYPERCALL_INPUT;
        }
        long head;
        long[] vpsMask = new long[3];   // processors 0-191
        boolean outside = false;
        if (!ex && fast) {
            head = input;
            vpsMask[0] = output;
        } else {
            long size = ex ? 24 + 8L * varhead : 16;
            if ((input & 7) != 0 || input < 0 || input + size > MEMORY_BYTES) {
                return HvStatus.INVALID_ALIGNMENT;
            }
            head = MEMORY.readU64(input);
            if (ex) {
                long format = MEMORY.readU64(input + 8);
                long banks = MEMORY.readU64(input + 16);
                if (format == 1) {
                    vpsMask[0] = vpsMask[1] = vpsMask[2] = -1L;
                    banks = 0;
                } else if (format != 0) {
                    return HvStatus.INVALID_PARAMETER;
                } else if (Long.bitCount(banks) > varhead) {
                    return HvStatus.INVALID_HYPERCALL_INPUT;
                }
                int slot = 0;
                for (int bank = 0; bank < 64; bank++) {
                    if ((banks >>> bank & 1) == 0) {
                        continue;
                    }
                    long bits = MEMORY.readU64(input + 24 + 8L * slot++);
                    if (bank < 3) {
                        vpsMask[bank] |= bits;
                    } else if (bits != 0) {
                        outside = true;
                    }
                }
                if (format == 1) {
                    for (int i = 0; i < 3; i++) {
                        vpsMask[i] = 0;
                    }
                    for (int p = 0; p < vpCount; p++) {
                        vpsMask[p / 64] |= 1L << (p % 64);
                    }
                }
            } else {
                vpsMask[0] = MEMORY.readU64(input + 8);
            }
        }
        long vector = head & 0xFFFF_FFFFL;
        if (vector < 16 || vector > 255 || (head >>> 32) != 0) {
            return HvStatus.INVALID_PARAMETER;
        }
        for (int p = vpCount; p < 192; p++) {
            outside |= (vpsMask[p / 64] >>> (p % 64) & 1) != 0;
        }
        if (outside) {
            return HvStatus.INVALID_PARAMETER;
        }
        for (int p = 0; p < vpCount; p++) {
            if ((vpsMask[p / 64] >>> (p % 64) & 1) != 0) {
                raised.add(p + ":" + vector);
            }
        }
        return HvStatus.SUCCESS;
    }
}
