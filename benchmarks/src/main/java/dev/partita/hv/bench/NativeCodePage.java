package dev.partita.hv.bench;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Machine code on an executable host page, called through FFM as {@code long f(long)}. The page
 * is mapped with mmap(PROT_READ|PROT_WRITE|PROT_EXEC) and unmapped by {@link #close()}. One thread
 * at a time.
 */
final class NativeCodePage implements AutoCloseable {
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;   // <sys/mman.h>
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;          // <sys/mman.h>
    private static final long PAGE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final MemorySegment page;
    private final MethodHandle function;

    NativeCodePage(byte[] code) {
        if (code.length > PAGE) {
            throw new IllegalArgumentException("code larger than a page");
        }
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (p.address() == -1L) {
                throw new IllegalStateException("mmap of an executable page failed");
            }
            page = p.reinterpret(PAGE);
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("mmap failed", t);
        }
        MemorySegment.copy(MemorySegment.ofArray(code), 0, page, 0, code.length);
        function = LINKER.downcallHandle(page, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    }

    long call(long argument) {
        try {
            return (long) function.invokeExact(argument);
        } catch (Throwable t) {
            throw new IllegalStateException("native code failed", t);
        }
    }

    @Override
    public void close() {
        try {
            int rc = (int) MUNMAP.invokeExact(page, PAGE);
            if (rc != 0) {
                throw new IllegalStateException("munmap failed");
            }
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("munmap failed", t);
        }
    }

}
