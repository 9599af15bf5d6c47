package dev.partita.hv.kvm.sys;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutableCodeTest {

    @Test
    void runsLoadedCodeThroughADowncall() throws Throwable {
        byte[] add = {
                (byte) 0x89, (byte) 0xF8, // mov eax, edi
                0x01, (byte) 0xF0,        // add eax, esi
                (byte) 0xC3,              // ret
        };
        MethodHandle h;
        try (ExecutableCode code = ExecutableCode.load(add)) {
            h = code.downcall(FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            assertEquals(7, (int) h.invokeExact(3, 4));
            assertEquals(-1, (int) h.invokeExact(Integer.MAX_VALUE, Integer.MIN_VALUE));
            assertEquals(5, code.segment().byteSize());
            assertTrue(code.segment().isReadOnly());
            code.close();
        }
        MethodHandle closed = h;
        assertThrows(IllegalStateException.class, () -> {
            int ignored = (int) closed.invokeExact(1, 2);
        });
    }

    @Test
    void hostCpuidVendorMatchesProcCpuinfo() throws Throwable {
        byte[] cpuid = {
                0x53,                         // push rbx
                (byte) 0x89, (byte) 0xF8,     // mov eax, edi
                0x31, (byte) 0xC9,            // xor ecx, ecx
                0x0F, (byte) 0xA2,            // cpuid
                (byte) 0x89, 0x06,            // mov [rsi], eax
                (byte) 0x89, 0x5E, 0x04,      // mov [rsi+4], ebx
                (byte) 0x89, 0x4E, 0x08,      // mov [rsi+8], ecx
                (byte) 0x89, 0x56, 0x0C,      // mov [rsi+12], edx
                0x5B,                         // pop rbx
                (byte) 0xC3,                  // ret
        };
        try (ExecutableCode code = ExecutableCode.load(cpuid); Arena arena = Arena.ofConfined()) {
            MethodHandle h = code.downcall(FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS));
            MemorySegment out = arena.allocate(16, 4);
            h.invokeExact(0, out);
            byte[] vendor = new byte[12];
            MemorySegment.copy(out, java.lang.foreign.ValueLayout.JAVA_BYTE, 4, vendor, 0, 4);  // ebx
            MemorySegment.copy(out, java.lang.foreign.ValueLayout.JAVA_BYTE, 12, vendor, 4, 4); // edx
            MemorySegment.copy(out, java.lang.foreign.ValueLayout.JAVA_BYTE, 8, vendor, 8, 4);  // ecx
            String v = new String(vendor, StandardCharsets.US_ASCII);
            assertTrue(out.get(JAVA_INT, 0) >= 1, "max basic leaf");
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (Files.isReadable(cpuinfo)) {
                String expected = vendorFromCpuinfo(cpuinfo);
                assertEquals(expected, v);
            } else {
                assertTrue(v.chars().allMatch(c -> c >= 0x20 && c < 0x7F), v);
            }
        }
    }

    private static String vendorFromCpuinfo(Path p) throws IOException {
        for (String line : Files.readAllLines(p)) {
            if (line.startsWith("vendor_id")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new IOException("no vendor_id in " + p);
    }

    @Test
    void rejectsEmptyCode() {
        assertThrows(IllegalArgumentException.class, () -> ExecutableCode.load(new byte[0]));
    }
}
