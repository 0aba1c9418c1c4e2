package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ClosedException;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.testing.SharedFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched multi-stream path against one {@link HolisticLandmarker} per stream, both run here on the same frames:
 * batching must change which crops share a model call, never the results beyond floating-point noise.
 */
class MultiStreamLandmarkerTest {
    private static final int FRAMES = 24;
    /** Largest allowed difference in any coordinate, score or visibility (normalised units; z in frame widths). */
    private static final float TOLERANCE = 1e-4f;

    private static LandmarkerModels models;
    private static List<TestMedia.Clip> clips;
    /** Stream i starts at frame start[i] of clip clipOf[i]: the same clip at two offsets differs per stream too. */
    private static final int[] CLIP_OF = {0, 1, 2, 0};

    private static final int[] START = {0, 0, 0, 11};

    @BeforeAll
    static void load() throws Exception {
        clips = List.of(
                TestMedia.decode(SharedFiles.require("media/signing/test_video.mp4"), FRAMES + 11),
                TestMedia.decode(SharedFiles.require("media/tfjs/asl_hand.25fps.mp4"), FRAMES),
                TestMedia.decode(SharedFiles.require("media/tfjs/pose_squats.mp4"), FRAMES));
        models = TestMedia.models();
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    private static ImageFrame frame(int stream, int i) {
        TestMedia.Clip c = clips.get(CLIP_OF[stream]);
        ImageFrame f = c.frame(START[stream] + i);
        // Per-stream timestamps start at 0 whatever the clip offset, as a fresh stream would.
        ImageFrame first = c.frame(START[stream]);
        return ImageFrame.packed(f.width(), f.height(), f.format(), f.pixels(), f.timestampMs() - first.timestampMs());
    }

    /** Runs both paths over all frames; returns the largest difference and checks presence matches. */
    private static float compare(boolean palmFallback, int palmInterval, boolean fixedBatches) {
        int n = CLIP_OF.length;
        List<HolisticLandmarker> single = new ArrayList<>();
        float maxDiff = 0f;
        int[] present = new int[LandmarkPart.values().length];
        try (MultiStreamLandmarker multi = MultiStreamLandmarker.builder(models)
                .streams(n)
                .palmFallback(palmFallback)
                .palmInterval(palmInterval)
                .fixedBatches(fixedBatches)
                .build()) {
            for (int s = 0; s < n; s++) {
                single.add(HolisticLandmarker.builder(models)
                        .palmFallback(palmFallback)
                        .palmInterval(palmInterval)
                        .build());
            }
            for (int i = 0; i < FRAMES; i++) {
                List<ImageFrame> frames = new ArrayList<>();
                for (int s = 0; s < n; s++) {
                    frames.add(frame(s, i));
                }
                List<HolisticLandmarks> got = multi.detect(frames);
                assertEquals(n, got.size());
                for (int s = 0; s < n; s++) {
                    HolisticLandmarks want = single.get(s).detect(frames.get(s));
                    HolisticLandmarks have = got.get(s);
                    assertEquals(want.timestampMs(), have.timestampMs());
                    for (LandmarkPart p : LandmarkPart.values()) {
                        String where = "stream " + s + " frame " + i + " " + p;
                        assertEquals(want.part(p).isPresent(), have.part(p).isPresent(), where + " presence");
                        if (!want.part(p).isPresent()) {
                            continue;
                        }
                        present[p.ordinal()]++;
                        float[] a = want.part(p).toArray(), b = have.part(p).toArray();
                        assertEquals(a.length, b.length, where);
                        for (int k = 0; k < a.length; k++) {
                            maxDiff = Math.max(maxDiff, Math.abs(a[k] - b[k]));
                        }
                        maxDiff = Math.max(
                                maxDiff,
                                Math.abs(want.part(p).score() - have.part(p).score()));
                    }
                }
            }
        } finally {
            single.forEach(HolisticLandmarker::close);
        }
        System.out.printf(
                "MultiStreamLandmarker vs HolisticLandmarker (palmFallback %s, palmInterval %d, fixedBatches %s): "
                        + "max |difference| %e over %d streams x %d frames; present per part %s%n",
                palmFallback, palmInterval, fixedBatches, maxDiff, n, FRAMES, Arrays.toString(present));
        // Every part must have been exercised by some stream, or the comparison proves little.
        for (LandmarkPart p : LandmarkPart.values()) {
            assertTrue(present[p.ordinal()] > 0, p + " never present in the test streams");
        }
        return maxDiff;
    }

    @Test
    void batchedResultsEqualPerStreamResults() {
        float d = compare(true, 5, false);
        assertTrue(d <= TOLERANCE, "max difference " + d + " > " + TOLERANCE);
    }

    @Test
    void batchedResultsEqualPerStreamResultsWithoutPalmFallbackAndEveryFramePalmSearch() {
        float d = compare(false, 1, false);
        assertTrue(d <= TOLERANCE, "max difference " + d + " > " + TOLERANCE);
        d = compare(true, 1, false);
        assertTrue(d <= TOLERANCE, "max difference " + d + " > " + TOLERANCE);
    }

    @Test
    void paddedFixedBatchesGiveTheSameResults() {
        // The CUDA default: every call at the largest batch, unused items ignored.
        float d = compare(true, 5, true);
        assertTrue(d <= TOLERANCE, "max difference " + d + " > " + TOLERANCE);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(
                InvalidInputException.class,
                () -> MultiStreamLandmarker.builder(models).build());
        assertThrows(
                InvalidInputException.class,
                () -> MultiStreamLandmarker.builder(models).streams(0).build());
        assertThrows(
                InvalidInputException.class,
                () -> MultiStreamLandmarker.builder(models)
                        .streams(2)
                        .minHandPresence(2f)
                        .build());
        assertThrows(
                InvalidInputException.class,
                () -> MultiStreamLandmarker.builder(models)
                        .streams(2)
                        .palmInterval(0)
                        .build());
        assertThrows(InvalidInputException.class, () -> MultiStreamLandmarker.builder(null));
        MultiStreamLandmarker multi =
                MultiStreamLandmarker.builder(models).streams(2).build();
        try {
            assertEquals(2, multi.streams());
            assertThrows(InvalidInputException.class, () -> multi.detect(null));
            assertThrows(InvalidInputException.class, () -> multi.detect(List.of(frame(0, 0))));
            assertThrows(
                    InvalidInputException.class, () -> multi.detect(List.of(frame(0, 0), frame(1, 0), frame(2, 0))));
            assertThrows(InvalidInputException.class, () -> multi.detect(Arrays.asList(frame(0, 0), null)));
            assertEquals(2, multi.detect(List.of(frame(0, 1), frame(1, 1))).size());
            // Stream 1 repeats its timestamp: rejected, and stream 0's state is untouched, so its next frame works.
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> multi.detect(List.of(frame(0, 2), frame(1, 1))));
            assertTrue(e.getMessage().contains("stream 1"), e.getMessage());
            assertEquals(2, multi.detect(List.of(frame(0, 2), frame(1, 2))).size());
            assertThrows(InvalidInputException.class, () -> multi.reset(2));
            multi.reset(1);
            assertEquals(2, multi.detect(List.of(frame(0, 3), frame(1, 0))).size());
        } finally {
            multi.close();
            multi.close();
        }
        assertThrows(ClosedException.class, () -> multi.detect(List.of(frame(0, 4), frame(1, 4))));
    }
}
