package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Machine code on pages of its own: mapped read-write, filled, then switched to read+execute (never
 * writable and executable at once). Used to run host instructions from Java (CPUID for the host
 * probe, differential tests) and for the do-nothing signal handler behind {@link KvmVcpu#kick()}.
 *
 * <p>The mapping is owned by this object: {@link #close()} unmaps it exactly once. Segments and
 * downcall handles obtained here are tied to a shared arena, so using them after close throws
 * {@link IllegalStateException} instead of jumping into unmapped memory. Thread-safe; close only
 * when no thread is still executing the code.
 */
public final class ExecutableCode implements AutoCloseable {
    private static final long PAGE = 4096;

    private final Arena arena;
    private final MemorySegment code;
    private final int length;

    private ExecutableCode(Arena arena, MemorySegment code, int length) {
        this.arena = arena;
        this.code = code;
        this.length = length;
    }

    /**
     * Maps {@code machineCode} (x86-64, System V calling convention when called through
     * {@link #downcall}) at the start of fresh pages and makes them read+execute.
     *
     * @throws IllegalArgumentException when the code is empty
     * @throws KvmException             when mmap or mprotect fails
     */
    @SuppressWarnings("restricted")
    public static ExecutableCode load(byte[] machineCode) {
        Objects.requireNonNull(machineCode, "machineCode");
        if (machineCode.length == 0) {
            throw new IllegalArgumentException("no machine code given");
        }
        long size = (machineCode.length + PAGE - 1) / PAGE * PAGE;
        MemorySegment raw = Libc.mmap(MemorySegment.NULL, size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (raw.address() == Libc.MAP_FAILED_ADDRESS) {
            throw new KvmException("mmap(code, " + size + ")", Libc.errno());
        }
        long address = raw.address();
        Arena arena = Arena.ofShared();
        MemorySegment pages = raw.reinterpret(size, arena, ignored -> unmap(address, size));
        try {
            MemorySegment.copy(machineCode, 0, pages, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, machineCode.length);
            Sys.check("mprotect(code, PROT_READ|PROT_EXEC)", Libc.mprotect(pages, size, Libc.PROT_READ | Libc.PROT_EXEC));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        return new ExecutableCode(arena, pages, machineCode.length);
    }

    private static void unmap(long address, long size) {
        // Cleanup actions cannot throw usefully; a failing munmap of our own mapping means a bug elsewhere.
        Libc.munmap(MemorySegment.ofAddress(address), size);
    }

    /** The code bytes (read-only view, {@code length} bytes). */
    public MemorySegment segment() {
        return code.asSlice(0, length).asReadOnly();
    }

    /** Number of code bytes loaded. */
    public int length() {
        return length;
    }

    /** The address of the byte at {@code offset}, e.g. to store as a function pointer. */
    public MemorySegment address(long offset) {
        Objects.checkIndex(offset, length);
        return code.asSlice(offset, 0);
    }

    /** A downcall handle to the code at offset 0 with the given C signature. */
    public MethodHandle downcall(FunctionDescriptor function, Linker.Option... options) {
        return downcall(0, function, options);
    }

    /** A downcall handle to the code at {@code offset} with the given C signature. */
    @SuppressWarnings("restricted")
    public MethodHandle downcall(long offset, FunctionDescriptor function, Linker.Option... options) {
        return Linker.nativeLinker().downcallHandle(address(offset), function, options);
    }

    /** Unmaps the pages (once); later uses of segments and handles from here throw. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException alreadyClosed) {
                // a concurrent close won the race: the mapping is released exactly once by the arena
            }
        }
    }
}
