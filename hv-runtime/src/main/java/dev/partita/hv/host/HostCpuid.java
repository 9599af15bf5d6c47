package dev.partita.hv.host;

import dev.partita.hv.cpuid.CpuidResult;
import dev.partita.hv.kvm.sys.ExecutableCode;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * CPUID executed by the host processor: a 27-byte function on an executable page
 * ({@link ExecutableCode}) called through FFM. The page is mapped on first use and kept for the life of
 * the process. Thread-safe (each call uses its own confined arena; CPUID has no side effects), but the
 * answer reflects whichever CPU the calling thread runs on (fine for identity and feature bits).
 */
public final class HostCpuid implements CpuidSource {

    /**
     * {@code void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])}, System V x86-64.
     */
    private static final byte[] CODE = {
        0x53,                               // push rbx            (callee-saved, CPUID clobbers it)
        0x49, (byte) 0x89, (byte) 0xD0,     // mov  r8, rdx        (out; CPUID clobbers EDX)
        (byte) 0x89, (byte) 0xF8,           // mov  eax, edi       (leaf)
        (byte) 0x89, (byte) 0xF1,           // mov  ecx, esi       (sub-leaf)
        0x0F, (byte) 0xA2,                  // cpuid
        0x41, (byte) 0x89, 0x00,            // mov  [r8], eax
        0x41, (byte) 0x89, 0x58, 0x04,      // mov  [r8+4], ebx
        0x41, (byte) 0x89, 0x48, 0x08,      // mov  [r8+8], ecx
        0x41, (byte) 0x89, 0x50, 0x0C,      // mov  [r8+12], edx
        0x5B,                               // pop  rbx
        (byte) 0xC3,                        // ret
    };

    private static final FunctionDescriptor SIGNATURE =
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

    private static volatile HostCpuid instance;

    private final MethodHandle cpuid;

    private HostCpuid(MethodHandle cpuid) {
        this.cpuid = cpuid;
    }

    /**
     * The process-wide instance; maps the code page on first call.
     *
     * @throws HostProbeException when the host is not x86-64 or the page cannot be mapped
     */
    public static HostCpuid instance() {
        HostCpuid local = instance;
        if (local == null) {
            synchronized (HostCpuid.class) {
                local = instance;
                if (local == null) {
                    String arch = System.getProperty("os.arch");
                    if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
                        throw new HostProbeException("CPUID on the host", "not an x86-64 host (os.arch=" + arch + ")");
                    }
                    try {
                        // Never closed: the page lives as long as the process, like the class.
                        ExecutableCode code = ExecutableCode.load(CODE);
                        local = new HostCpuid(code.downcall(SIGNATURE));
                    } catch (RuntimeException e) {
                        throw new HostProbeException("CPUID on the host (mapping the code page)", e);
                    }
                    instance = local;
                }
            }
        }
        return local;
    }

    @Override
    public CpuidResult query(int leaf, int subleaf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, 4);
            cpuid.invokeExact(leaf, subleaf, out);
            return new CpuidResult(out.getAtIndex(ValueLayout.JAVA_INT, 0), out.getAtIndex(ValueLayout.JAVA_INT, 1),
                    out.getAtIndex(ValueLayout.JAVA_INT, 2), out.getAtIndex(ValueLayout.JAVA_INT, 3));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new HostProbeException("CPUID leaf 0x" + Integer.toHexString(leaf), t);
        }
    }
}
