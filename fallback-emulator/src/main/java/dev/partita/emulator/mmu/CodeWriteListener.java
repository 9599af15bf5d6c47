package dev.partita.emulator.mmu;

/**
 * Told when the guest writes a physical page that was marked as holding decoded code
 * ({@link PhysicalMemory#markCode}); the interpreter's decoded-instruction cache drops what it decoded from
 * that page (self-modifying code). The mark is cleared before the call; the cache marks the page
 * again when it decodes from it again. Called on the vCPU thread, after the write is done.
 */
@FunctionalInterface
public interface CodeWriteListener {

    /** The guest wrote into physical page {@code physPage} (page-aligned address). */
    void codeWritten(long physPage);
}
