package dev.partita.hv.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds small ELF executables byte by byte for loader tests (no toolchain needed). */
final class TestElf {

    record Phdr(int type, long offset, long paddr, long filesz, long memsz, int flags) {}

    boolean elf64 = false;
    int machine = ElfFormat.EM_386;
    int type = ElfFormat.ET_EXEC;
    long entry = 0x100000;
    final List<Phdr> phdrs = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    Integer phnumOverride;
    Integer phentsizeOverride;
    Long phoffOverride;

    static TestElf elf32() {
        return new TestElf();
    }

    static TestElf elf64() {
        TestElf t = new TestElf();
        t.elf64 = true;
        t.machine = ElfFormat.EM_X86_64;
        return t;
    }

    /** Adds a PT_LOAD whose file bytes are {@code data}, placed after the headers. */
    TestElf load(long paddr, byte[] data, long memsz) {
        phdrs.add(new Phdr(ElfFormat.PT_LOAD, -1, paddr, data.length, memsz, 5));
        payloads.add(data);
        return this;
    }

    /** Adds a raw program header (offsets as given). */
    TestElf raw(Phdr p) {
        phdrs.add(p);
        payloads.add(null);
        return this;
    }

    byte[] build() {
        int ehsize = elf64 ? 64 : 52;
        int phent = elf64 ? 56 : 32;
        int phoff = ehsize;
        int dataStart = phoff + phent * phdrs.size();
        int total = dataStart;
        for (byte[] p : payloads) {
            total += p == null ? 0 : p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {0x7F, 'E', 'L', 'F', (byte) (elf64 ? 2 : 1), 1, 1});
        b.putShort(16, (short) type);
        b.putShort(18, (short) machine);
        b.putInt(20, 1);
        long off = phoffOverride != null ? phoffOverride : phoff;
        int pe = phentsizeOverride != null ? phentsizeOverride : phent;
        int pn = phnumOverride != null ? phnumOverride : phdrs.size();
        if (elf64) {
            b.putLong(24, entry);
            b.putLong(32, off);
            b.putShort(52, (short) ehsize);
            b.putShort(54, (short) pe);
            b.putShort(56, (short) pn);
        } else {
            b.putInt(24, (int) entry);
            b.putInt(28, (int) off);
            b.putShort(40, (short) ehsize);
            b.putShort(42, (short) pe);
            b.putShort(44, (short) pn);
        }
        int cursor = dataStart;
        for (int i = 0; i < phdrs.size(); i++) {
            Phdr p = phdrs.get(i);
            byte[] payload = payloads.get(i);
            long offset = p.offset();
            if (payload != null) {
                offset = cursor;
                b.put(cursor, payload);
                cursor += payload.length;
            }
            int at = phoff + i * phent;
            b.putInt(at, p.type());
            if (elf64) {
                b.putInt(at + 4, p.flags());
                b.putLong(at + 8, offset);
                b.putLong(at + 16, p.paddr());
                b.putLong(at + 24, p.paddr());
                b.putLong(at + 32, p.filesz());
                b.putLong(at + 40, p.memsz());
                b.putLong(at + 48, 0x1000);
            } else {
                b.putInt(at + 4, (int) offset);
                b.putInt(at + 8, (int) p.paddr());
                b.putInt(at + 12, (int) p.paddr());
                b.putInt(at + 16, (int) p.filesz());
                b.putInt(at + 20, (int) p.memsz());
                b.putInt(at + 24, p.flags());
                b.putInt(at + 28, 0x1000);
            }
        }
        return b.array();
    }
}
