package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LiveStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A 3x2 BGR frame, rows padded to 16 bytes, every pixel byte equal to {@code value}. */
    private static ImageFrame frame(int value, long timestampMs) {
        ByteBuffer b = ByteBuffer.allocate(2 * 16);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 9; x++) {
                b.put(y * 16 + x, (byte) value);
            }
            for (int x = 9; x < 16; x++) {
                b.put(y * 16 + x, (byte) 0x7f); // padding, never copied
            }
        }
        return ImageFrame.of(3, 2, 16, PixelFormat.BGR, b, timestampMs);
    }

    /** The first pixel byte, after checking that the frame is a packed copy holding one value. */
    private static int value(ImageFrame f) {
        assertEquals(9, f.rowStride(), "the stream's copy is tightly packed");
        int v = f.pixels().get(f.offset()) & 0xff;
        for (int i = 0; i < 18; i++) {
            assertEquals(v, f.pixels().get(f.offset() + i) & 0xff, "byte " + i);
        }
        return v;
    }

    @Test
    void everyFrameIsProcessedInOrderWhenTheStepKeepsUp() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        List<Long> times = Collections.synchronizedList(new ArrayList<>());
        try (LiveStream<Integer> live = LiveStream.builder(LiveStreamTest::value)
                .onResult((v, f) -> {
                    seen.add(v);
                    times.add(f.timestampMs());
                })
                .build()) {
            for (int i = 1; i <= 20; i++) {
                live.offer(frame(i, i * 33L));
                assertTrue(live.awaitIdle(WAIT));
            }
            assertEquals(new LiveStream.Stats(20, 20, 0, 0), live.stats());
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertEquals(33L, times.get(0));
        assertEquals(660L, times.get(19));
    }

    @Test
    void aBusyStepKeepsOnlyTheNewestWaitingFrame() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        try (LiveStream<Integer> live = LiveStream.builder((ImageFrame f) -> {
                    int v = value(f);
                    if (v == 1) {
                        firstStarted.countDown();
                        await(release);
                    }
                    return v;
                })
                .onResult((v, f) -> seen.add(v))
                .build()) {
            assertTrue(live.offer(frame(1, 1)));
            assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
            assertTrue(live.offer(frame(2, 2)), "nothing was waiting");
            assertFalse(live.offer(frame(3, 3)), "frame 2 dropped");
            assertFalse(live.offer(frame(4, 4)), "frame 3 dropped");
            assertEquals(new LiveStream.Stats(4, 0, 0, 2), live.stats());
            assertEquals(2, live.stats().inProgress());
            assertFalse(live.awaitIdle(Duration.ofMillis(50)), "frame 1 is still being processed");
            release.countDown();
            assertTrue(live.awaitIdle(WAIT));
            assertEquals(new LiveStream.Stats(4, 2, 0, 2), live.stats());
            assertEquals(0, live.stats().inProgress());
        }
        assertEquals(List.of(1, 4), seen);
    }

    @Test
    void theCallersBufferIsFreeOnceOfferReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Integer> seen = new AtomicReference<>();
        try (LiveStream<Integer> live = LiveStream.builder((ImageFrame f) -> {
                    await(release);
                    return value(f);
                })
                .onResult((v, f) -> seen.set(v))
                .build()) {
            ImageFrame f = frame(42, 10);
            live.offer(f);
            for (int i = 0; i < 32; i++) {
                f.pixels().put(i, (byte) 9); // the caller reuses its buffer at once
            }
            release.countDown();
            assertTrue(live.awaitIdle(WAIT));
        }
        assertEquals(42, seen.get());
    }

    @Test
    void buffersAreReusedAndGrowWhenTheFrameSizeChanges() throws Exception {
        List<ByteBuffer> buffers = Collections.synchronizedList(new ArrayList<>());
        List<String> sizes = Collections.synchronizedList(new ArrayList<>());
        try (LiveStream<Void> live = LiveStream.<Void>builder((ImageFrame f) -> {
                    buffers.add(f.pixels());
                    sizes.add(f.width() + "x" + f.height());
                    return null;
                })
                .build()) {
            for (int i = 1; i <= 3; i++) {
                live.offer(frame(i, i));
                assertTrue(live.awaitIdle(WAIT));
            }
            ByteBuffer big = ByteBuffer.allocateDirect(640 * 480 * 4);
            big.put(640 * 480 * 4 - 1, (byte) 5);
            live.offer(ImageFrame.packed(640, 480, PixelFormat.RGBA, big, 10));
            assertTrue(live.awaitIdle(WAIT));
            live.offer(frame(7, 11));
            assertTrue(live.awaitIdle(WAIT));
        }
        assertEquals(List.of("3x2", "3x2", "3x2", "640x480", "3x2"), sizes);
        assertSame(buffers.get(0), buffers.get(1), "one buffer serves a stream that keeps up");
        assertSame(buffers.get(0), buffers.get(2));
        assertNotSame(buffers.get(0), buffers.get(3), "a larger frame needs a larger buffer");
        assertSame(buffers.get(3), buffers.get(4), "which then serves the smaller frames");
        assertTrue(buffers.get(3).isDirect());
    }

    @Test
    void failuresGoToTheErrorListenerAndTheStreamGoesOn() throws Exception {
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        try (LiveStream<Integer> live = LiveStream.builder((ImageFrame f) -> {
                    int v = value(f);
                    if (v == 2) {
                        throw new InvalidInputException("step failed on " + v);
                    }
                    return v;
                })
                .onResult((v, f) -> {
                    if (v == 3) {
                        throw new IllegalStateException("listener failed on " + v);
                    }
                    seen.add(v);
                })
                .onError((e, f) -> errors.add(e.getMessage() + " @" + f.timestampMs()))
                .build()) {
            for (int i = 1; i <= 4; i++) {
                live.offer(frame(i, i));
                assertTrue(live.awaitIdle(WAIT));
            }
            assertEquals(new LiveStream.Stats(4, 2, 2, 0), live.stats());
        }
        assertEquals(List.of(1, 4), seen);
        assertEquals(List.of("step failed on 2 @2", "listener failed on 3 @3"), errors);
    }

    @Test
    void badInputIsRejectedInTheCallersThread() throws Exception {
        try (LiveStream<Integer> live =
                LiveStream.builder(LiveStreamTest::value).build()) {
            assertThrows(InvalidInputException.class, () -> live.offer(null));
            live.offer(frame(1, 100));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> live.offer(frame(2, 100)));
            assertTrue(e.getMessage().contains("100 after 100"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> live.offer(frame(2, 99)));
            assertThrows(InvalidInputException.class, () -> live.awaitIdle(Duration.ofMillis(-1)));
            assertTrue(live.awaitIdle(WAIT));
            assertEquals(1, live.stats().offered());
        }
        assertThrows(InvalidInputException.class, () -> LiveStream.builder(null));
        assertThrows(
                InvalidInputException.class, () -> LiveStream.builder(f -> f).threadName(" "));
    }

    @Test
    void closeDropsTheWaitingFrameWaitsForTheRunningOneAndIsFinal() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        LiveStream<Integer> live = LiveStream.builder((ImageFrame f) -> {
                    started.countDown();
                    await(release);
                    return value(f);
                })
                .onResult((v, f) -> seen.add(v))
                .threadName("test-live")
                .build();
        live.offer(frame(1, 1));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        live.offer(frame(2, 2));
        Thread closer = new Thread(live::close);
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "close waits for the frame being processed");
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(List.of(1), seen);
        assertEquals(new LiveStream.Stats(2, 1, 0, 1), live.stats());
        assertThrows(ClosedException.class, () -> live.offer(frame(3, 3)));
        live.close(); // idempotent
        assertTrue(live.awaitIdle(Duration.ZERO));
    }

    @Test
    void aListenerMayCloseTheStream() throws Exception {
        AtomicReference<LiveStream<Integer>> ref = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        LiveStream<Integer> live = LiveStream.builder(LiveStreamTest::value)
                .onResult((v, f) -> {
                    ref.get().close();
                    closed.countDown();
                })
                .build();
        ref.set(live);
        live.offer(frame(1, 1));
        assertTrue(closed.await(10, TimeUnit.SECONDS), "close() from the stream's own thread returned");
        assertThrows(ClosedException.class, () -> live.offer(frame(2, 2)));
        live.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
