package dev.partita.vmbus.channel;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpinThenBlockWaitStrategyTest {

    /** A ring of 8 long slots whose consumer waits with {@code ws}. */
    private static RingBuffer<long[]> ring(SpinThenBlockWaitStrategy ws) {
        return RingBuffer.createMultiProducer(() -> new long[1], 8, ws);
    }

    @Test
    void aPublishedSequenceReturnsAtOnceAndTheWindowGrowsBackToItsMaximum() throws Exception {
        var ws = new SpinThenBlockWaitStrategy(1_000, 64_000);
        RingBuffer<long[]> r = ring(ws);
        SequenceBarrier b = r.newBarrier();
        r.publish(r.next());
        assertEquals(0, b.waitFor(0));
        assertEquals(64_000, ws.spinNanos());
    }

    @Test
    void aConsumerThatBlockedIsWokenByAPublishAndStopsSpinning() throws Exception {
        var ws = new SpinThenBlockWaitStrategy(1_000, 8_000);
        RingBuffer<long[]> r = ring(ws);
        SequenceBarrier b = r.newBarrier();
        Thread[] consumer = new Thread[1];
        CompletableFuture<long[]> waited = CompletableFuture.supplyAsync(() -> {
            consumer[0] = Thread.currentThread();
            try {
                long got = b.waitFor(0);
                return new long[]{got, ws.spinNanos()};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofPlatform()::start);
        // the consumer ends its 8 µs window and blocks: its thread parks (WAITING) and uses no CPU
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer[0] == null || consumer[0].getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the consumer never blocked");
            Thread.sleep(1);
        }
        r.publish(r.next());
        long[] result = waited.get(30, TimeUnit.SECONDS);
        assertEquals(0, result[0]);
        assertEquals(4_000, result[1], "a wait that blocked halves the window");
    }

    @Test
    void anAlertEndsABlockedWait() throws Exception {
        var ws = new SpinThenBlockWaitStrategy(1_000, 2_000);
        RingBuffer<long[]> r = ring(ws);
        SequenceBarrier b = r.newBarrier();
        Thread[] consumer = new Thread[1];
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            consumer[0] = Thread.currentThread();
            try {
                return b.waitFor(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofPlatform()::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer[0] == null || consumer[0].getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the consumer never blocked");
            Thread.sleep(1);
        }
        b.alert(); // what Disruptor.halt() does
        var e = assertThrows(ExecutionException.class, () -> waited.get(30, TimeUnit.SECONDS));
        assertInstanceOf(AlertException.class, e.getCause().getCause());
    }

    @Test
    void aZeroWindowBlocksAtOnceAndBadWindowsAreRefused() {
        assertEquals(0, SpinThenBlockWaitStrategy.upTo(0).spinNanos());
        assertThrows(IllegalArgumentException.class, () -> new SpinThenBlockWaitStrategy(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SpinThenBlockWaitStrategy(10, 5));
    }
}
