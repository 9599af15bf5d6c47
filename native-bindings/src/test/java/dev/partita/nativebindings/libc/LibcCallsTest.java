package dev.partita.nativebindings.libc;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls each binding once against the real libc and checks results and captured errno. */
class LibcCallsTest {

    @Test
    void openMissingFileCapturesEnoent() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.open(arena.allocateFrom("/nonexistent/partita"), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            assertEquals(-1, fd);
            assertEquals(Libc.ENOENT, Libc.errno());
            MemorySegment capture = Libc.allocateErrnoCapture(arena);
            assertEquals(-1, Libc.close(capture, 1_000_000));
            assertEquals(Libc.EBADF, Libc.errno(capture));
        }
    }

    @Test
    void eventfdWriteReadAndPoll() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
            assertTrue(fd >= 0, () -> "eventfd errno " + Errno.name(Libc.errno()));
            MemorySegment buf = arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(-1, Libc.read(fd, buf, 8));
            assertEquals(Libc.EAGAIN, Libc.errno());
            buf.set(ValueLayout.JAVA_LONG, 0, 5);
            assertEquals(8, Libc.write(fd, buf, 8));
            MemorySegment pfd = pollfd.allocate(arena);
            pollfd.fd(pfd, fd);
            pollfd.events(pfd, Libc.POLLIN);
            assertEquals(1, Libc.poll(pfd, 1, 0));
            assertEquals(Libc.POLLIN, pollfd.revents(pfd) & Libc.POLLIN);
            buf.set(ValueLayout.JAVA_LONG, 0, 0);
            assertEquals(8, Libc.read(fd, buf, 8));
            assertEquals(5, buf.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0, Libc.close(fd));
            assertEquals(-1, Libc.close(fd));
            assertEquals(Libc.EBADF, Libc.errno());
        }
    }

    @Test
    void mmapProtectAdviseUnmap() {
        long page = Libc.sysconf(Libc._SC_PAGESIZE);
        assertEquals(4096, page);
        MemorySegment m = Libc.mmap(MemorySegment.NULL, 2 * page, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        assertNotEquals(Libc.MAP_FAILED_ADDRESS, m.address());
        MemorySegment r = m.reinterpret(2 * page);
        r.set(ValueLayout.JAVA_INT, 100, 0x1234);
        assertEquals(0, Libc.madvise(r, 2 * page, Libc.MADV_DONTNEED));
        assertEquals(0, r.get(ValueLayout.JAVA_INT, 100), "MADV_DONTNEED drops private anonymous pages");
        assertEquals(0, Libc.mprotect(r, page, Libc.PROT_READ));
        assertEquals(-1, Libc.mprotect(r.asSlice(1), page, Libc.PROT_READ));
        assertEquals(Libc.EINVAL, Libc.errno());
        assertEquals(0, Libc.munmap(r, 2 * page));
        MemorySegment bad = Libc.mmap(MemorySegment.NULL, page, Libc.PROT_READ, Libc.MAP_PRIVATE, -1, 0);
        assertEquals(Libc.MAP_FAILED_ADDRESS, bad.address());
        assertEquals(Libc.EBADF, Libc.errno());
    }

    @Test
    void threadIdsAndSignalsToSelf() {
        int pid = Libc.getpid();
        assertEquals(ProcessHandle.current().pid(), pid);
        assertEquals(Libc.gettid(), (int) Libc.syscall(Libc.SYS_gettid, 0, 0, 0));
        assertTrue(Libc.pthread_self() != 0);
        // signal 0 only checks that the thread exists
        assertEquals(0, Libc.tgkill(pid, Libc.gettid(), 0));
        assertEquals(-1, Libc.tgkill(pid, Integer.MAX_VALUE, 0));
        assertEquals(Libc.ESRCH, Libc.errno());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena);
            assertEquals(0, Libc.sigaction(Libc.SIGRTMIN + 20, MemorySegment.NULL, old));
            assertEquals(-1, Libc.sigaction(Libc.SIGKILL, old, MemorySegment.NULL));
            assertEquals(Libc.EINVAL, Libc.errno());
            MemorySegment set = sigset_t.allocate(arena);
            assertEquals(0, Libc.sigemptyset(set));
            assertEquals(0, Libc.sigaddset(set, Libc.SIGUSR1));
            assertEquals(1L << (Libc.SIGUSR1 - 1), sigset_t.__val(set, 0));
            MemorySegment cur = sigset_t.allocate(arena);
            assertEquals(0, Libc.pthread_sigmask(Libc.SIG_BLOCK, MemorySegment.NULL, cur));
            assertEquals(Libc.EINVAL, Libc.pthread_sigmask(99, set, MemorySegment.NULL));
        }
    }

    @Test
    void errnoNameTableMatchesConstants() throws IllegalAccessException {
        int n = 0;
        for (Field f : Libc.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getName().matches("E[A-Z0-9]+")) {
                assertEquals(f.getName(), Errno.name(f.getInt(null)));
                n++;
            }
        }
        assertTrue(n > 50);
        assertEquals("errno 9999", Errno.name(9999));
    }
}
