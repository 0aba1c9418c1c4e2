package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ClosedException;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.testing.SharedFiles;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HolisticLandmarkerTest {
    private static LandmarkerModels models;
    private static TestMedia.Clip clip;

    @BeforeAll
    static void load() throws Exception {
        clip = TestMedia.decode(SharedFiles.require("media/signing/test_video.mp4"), 8);
        models = TestMedia.models();
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    private static void assertSame(HolisticLandmarks a, HolisticLandmarks b) {
        for (LandmarkPart p : LandmarkPart.values()) {
            assertEquals(a.part(p).isPresent(), b.part(p).isPresent(), p.toString());
            assertArrayEquals(a.part(p).toArray(), b.part(p).toArray(), p.toString());
        }
    }

    @Test
    void withoutTheFaceBranchPoseAndHandsAreUnchanged() {
        int faces = 0;
        try (HolisticLandmarker all = HolisticLandmarker.builder(models).build();
                HolisticLandmarker noFace =
                        HolisticLandmarker.builder(models).faceLandmarks(false).build()) {
            for (int i = 0; i < clip.frames().size(); i++) {
                HolisticLandmarks a = all.detect(clip.frame(i));
                HolisticLandmarks b = noFace.detect(clip.frame(i));
                faces += a.face().isPresent() ? 1 : 0;
                assertTrue(!b.face().isPresent(), "frame " + i + " has a face with the face branch off");
                for (LandmarkPart p : LandmarkPart.values()) {
                    if (p != LandmarkPart.FACE) {
                        assertEquals(a.part(p).isPresent(), b.part(p).isPresent(), p + " in frame " + i);
                        assertArrayEquals(a.part(p).toArray(), b.part(p).toArray(), p + " in frame " + i);
                    }
                }
            }
        }
        assertEquals(clip.frames().size(), faces, "the clip shows a face in every frame");
    }

    /** Two threads in one landmarker: one of them is refused with a named error; the other's call completes. */
    @Test
    void aSecondThreadInsideOneLandmarkerIsRefused() throws Exception {
        try (HolisticLandmarker lm = HolisticLandmarker.builder(models)
                .runningMode(RunningMode.IMAGE)
                .build()) {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> other =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Runnable caller = () -> {
                for (int round = 0; round < 10; round++) {
                    try {
                        start.await();
                        lm.detect(clip.frame(round % clip.frames().size()));
                        done.incrementAndGet();
                    } catch (io.github.kslr.api.KslrException e) {
                        assertTrue(e.getMessage().contains("another thread"), e.getMessage());
                        refused.incrementAndGet();
                    } catch (Throwable t) {
                        other.set(t);
                    }
                }
            };
            Thread a = new Thread(caller);
            Thread b = new Thread(caller);
            a.start();
            b.start();
            a.join();
            b.join();
            assertEquals(null, other.get());
            assertEquals(20, refused.get() + done.get());
            assertTrue(refused.get() > 0 && done.get() >= 10, refused + " refused, " + done + " done");
            // The landmarker is intact afterwards.
            try (HolisticLandmarker fresh = HolisticLandmarker.builder(models)
                    .runningMode(RunningMode.IMAGE)
                    .build()) {
                assertSame(lm.detect(clip.frame(0)), fresh.detect(clip.frame(0)));
            }
        }
    }

    @Test
    void builderRejectsBadOptions() {
        assertThrows(
                InvalidInputException.class,
                () -> HolisticLandmarker.builder(models).minPosePresence(1.5f).build());
        assertThrows(
                InvalidInputException.class,
                () -> HolisticLandmarker.builder(models)
                        .minWristVisibility(Float.NaN)
                        .build());
        assertThrows(
                InvalidInputException.class,
                () -> HolisticLandmarker.builder(models).palmInterval(0).build());
        assertThrows(InvalidInputException.class, () -> HolisticLandmarker.builder(null));
    }

    @Test
    void videoModeNeedsIncreasingTimestampsAndCloseIsIdempotent() {
        HolisticLandmarker lm = HolisticLandmarker.builder(models)
                .runningMode(RunningMode.VIDEO)
                .build();
        lm.detect(clip.frame(0).withTimestamp(100));
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> lm.detect(clip.frame(1).withTimestamp(100)));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
        lm.reset();
        lm.detect(clip.frame(1).withTimestamp(100));
        lm.close();
        lm.close();
        assertThrows(ClosedException.class, () -> lm.detect(clip.frame(2)));
    }

    @Test
    void everyPixelFormatAndStrideGivesTheSameLandmarks() {
        ImageFrame rgb = clip.frame(3);
        HolisticLandmarks expected;
        try (HolisticLandmarker lm = HolisticLandmarker.builder(models)
                .runningMode(RunningMode.IMAGE)
                .build()) {
            expected = lm.detect(rgb);
            assertTrue(expected.pose().isPresent() && expected.face().isPresent(), "the signer is found");
            for (PixelFormat f : PixelFormat.values()) {
                assertSame(expected, lm.detect(convert(rgb, f, 12, false)));
            }
            // A heap buffer is copied, not wrapped: same result.
            assertSame(expected, lm.detect(convert(rgb, PixelFormat.BGR, 0, true)));
        }
    }

    /** Repacks an RGB frame into {@code format} with {@code padding} bytes at the end of each row. */
    private static ImageFrame convert(ImageFrame rgb, PixelFormat format, int padding, boolean heap) {
        int w = rgb.width(), h = rgb.height(), bpp = format.bytesPerPixel(), stride = w * bpp + padding;
        ByteBuffer out = heap ? ByteBuffer.allocate(stride * h + 3) : ByteBuffer.allocateDirect(stride * h + 3);
        ByteBuffer in = rgb.pixels();
        boolean bgr = format == PixelFormat.BGR || format == PixelFormat.BGRA;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int s = rgb.offset() + y * rgb.rowStride() + x * 3, d = 3 + y * stride + x * bpp;
                out.put(d, in.get(bgr ? s + 2 : s));
                out.put(d + 1, in.get(s + 1));
                out.put(d + 2, in.get(bgr ? s : s + 2));
                if (bpp == 4) {
                    out.put(d + 3, (byte) 255);
                }
            }
        }
        out.position(3);
        return ImageFrame.of(w, h, stride, format, out, rgb.timestampMs());
    }

    @Test
    void landmarkersSharingModelsOnTwoThreadsMatchOneAlone() throws Exception {
        List<HolisticLandmarks> alone = new ArrayList<>();
        try (HolisticLandmarker lm = HolisticLandmarker.builder(models).build()) {
            for (int i = 0; i < clip.frames().size(); i++) {
                alone.add(lm.detect(clip.frame(i)));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<HolisticLandmarks>>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                runs.add(pool.submit(() -> {
                    List<HolisticLandmarks> out = new ArrayList<>();
                    try (HolisticLandmarker lm =
                            HolisticLandmarker.builder(models).build()) {
                        for (int i = 0; i < clip.frames().size(); i++) {
                            out.add(lm.detect(clip.frame(i)));
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<HolisticLandmarks>> f : runs) {
                List<HolisticLandmarks> got = f.get();
                for (int i = 0; i < alone.size(); i++) {
                    assertSame(alone.get(i), got.get(i));
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The palm path names hands from the hand model's handedness, which assumes a mirrored image. Holistic's pose path
     * names them from the pose's own wrists. A crop of the signer's right hand alone (no body, so the palm path runs)
     * must come out as the right hand too.
     */
    @Test
    void palmPathNamesTheSignersRightHandAsThePosePathDoes() throws Exception {
        TestMedia.Clip full = TestMedia.decode(SharedFiles.require("media/signing/test_video.mp4"), Integer.MAX_VALUE);
        int checked = 0;
        try (HolisticLandmarker lm = HolisticLandmarker.builder(models)
                .runningMode(RunningMode.IMAGE)
                .build()) {
            for (int i = 0; i < full.frames().size() && checked < 3; i += 3) {
                HolisticLandmarks r = lm.detect(full.frame(i));
                if (!r.rightHand().isPresent() || r.leftHand().isPresent()) {
                    continue;
                }
                ImageFrame crop = cropAround(full.frame(i), r.rightHand().toArray());
                HolisticLandmarks c = lm.detect(crop);
                if (c.pose().isPresent()) {
                    continue;
                }
                assertTrue(
                        c.rightHand().isPresent() && !c.leftHand().isPresent(),
                        "frame " + i + ": the signer's right hand, alone, came out as " + c.leftHand() + " / "
                                + c.rightHand());
                checked++;
            }
        }
        assertTrue(checked > 0, "no frame with the right hand alone to check");
    }

    /** A packed RGB copy of the square around the hand, twice the hand's size. */
    private static ImageFrame cropAround(ImageFrame f, float[] hand) {
        float minX = 1, minY = 1, maxX = 0, maxY = 0;
        for (int k = 0; k < 21; k++) {
            minX = Math.min(minX, hand[3 * k]);
            maxX = Math.max(maxX, hand[3 * k]);
            minY = Math.min(minY, hand[3 * k + 1]);
            maxY = Math.max(maxY, hand[3 * k + 1]);
        }
        int size = (int) (2 * Math.max((maxX - minX) * f.width(), (maxY - minY) * f.height()));
        int x0 = Math.max(0, (int) ((minX + maxX) / 2 * f.width()) - size / 2);
        int y0 = Math.max(0, (int) ((minY + maxY) / 2 * f.height()) - size / 2);
        int w = Math.min(size, f.width() - x0), h = Math.min(size, f.height() - y0);
        ByteBuffer out = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w * 3; x++) {
                out.put(y * w * 3 + x, f.pixels().get(f.offset() + (y0 + y) * f.rowStride() + x0 * 3 + x));
            }
        }
        return ImageFrame.packed(w, h, PixelFormat.RGB, out, 0);
    }
}
