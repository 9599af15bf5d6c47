package dev.partita.vmbus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The per-partition rate limit of guest-triggered log lines, on a hand-driven clock. */
class GuestLogTest {
    /** A logger that records lines at or above {@code threshold}. */
    private static final class Recording implements System.Logger {
        final List<String> lines = new ArrayList<>();
        final Level threshold;

        Recording(Level threshold) {
            this.threshold = threshold;
        }

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }

    @Test
    void atMostBurstLinesPerWindowThenOneSummaryLine() {
        Recording logger = new Recording(System.Logger.Level.INFO);
        AtomicLong now = new AtomicLong(1_000);
        GuestLog log = new GuestLog(logger, 3, 1_000_000_000L, now::get);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            log.log(System.Logger.Level.WARNING, () -> "line " + n);
        }
        assertEquals(List.of("line 0", "line 1", "line 2"), logger.lines);
        assertEquals(997, log.suppressedTotal());
        now.addAndGet(999_999_999L);
        log.log(System.Logger.Level.WARNING, () -> "still the same window");
        assertEquals(3, logger.lines.size());
        now.addAndGet(1);
        log.log(System.Logger.Level.WARNING, () -> "next window");
        assertEquals(5, logger.lines.size());
        assertTrue(logger.lines.get(3).startsWith("998 guest-triggered log lines suppressed"), logger.lines.get(3));
        assertEquals("next window", logger.lines.get(4));
    }

    @Test
    void messagesAreNotBuiltWhenTheLevelIsOffOrTheBudgetSpent() {
        Recording logger = new Recording(System.Logger.Level.WARNING);
        GuestLog log = new GuestLog(logger, 2, 1_000_000_000L, () -> 0L);
        AtomicInteger built = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            log.log(System.Logger.Level.INFO, () -> "info " + built.incrementAndGet());
        }
        assertEquals(0, built.get(), "INFO is off: no message was built");
        assertEquals(0, log.suppressedTotal(), "lines below the level do not use the budget");
        for (int i = 0; i < 100; i++) {
            log.log(System.Logger.Level.WARNING, () -> "warning " + built.incrementAndGet());
        }
        assertEquals(2, built.get(), "only the two lines within the budget were built");
        assertEquals(List.of("warning 1", "warning 2"), logger.lines);
    }
}
