package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The face branch on its own thread ({@code faceInParallel}) changes when the work is done, never the results. */
class FaceInParallelTest {
    private static final int FRAMES = 30;
    private static LandmarkerModels models;
    private static TestMedia.Clip signing;
    private static TestMedia.Clip squats;

    @BeforeAll
    static void load() throws Exception {
        signing = TestMedia.decode(SharedFiles.require("media/signing/test_video.mp4"), FRAMES);
        squats = TestMedia.decode(SharedFiles.require("media/tfjs/pose_squats.mp4"), FRAMES);
        models = TestMedia.models();
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    private static void assertSame(HolisticLandmarks a, HolisticLandmarks b, String where) {
        for (LandmarkPart p : LandmarkPart.values()) {
            assertEquals(a.part(p).isPresent(), b.part(p).isPresent(), where + " " + p);
            assertArrayEquals(a.part(p).toArray(), b.part(p).toArray(), where + " " + p);
            assertEquals(a.part(p).score(), b.part(p).score(), where + " " + p);
        }
    }

    @Test
    void oneStreamGivesTheSameLandmarksInVideoAndImageMode() {
        for (RunningMode mode : RunningMode.values()) {
            int faces = 0;
            try (HolisticLandmarker serial =
                            HolisticLandmarker.builder(models).runningMode(mode).build();
                    HolisticLandmarker parallel = HolisticLandmarker.builder(models)
                            .runningMode(mode)
                            .faceInParallel(true)
                            .build()) {
                for (int i = 0; i < FRAMES; i++) {
                    HolisticLandmarks a = serial.detect(signing.frame(i));
                    HolisticLandmarks b = parallel.detect(signing.frame(i));
                    assertSame(a, b, mode + " frame " + i);
                    faces += a.face().isPresent() ? 1 : 0;
                }
            }
            assertTrue(faces > FRAMES / 2, mode + ": the clip must show a face: " + faces);
        }
    }

    @Test
    void severalStreamsGiveTheSameLandmarks() {
        try (MultiStreamLandmarker serial =
                        MultiStreamLandmarker.builder(models).streams(2).build();
                MultiStreamLandmarker parallel = MultiStreamLandmarker.builder(models)
                        .streams(2)
                        .faceInParallel(true)
                        .build()) {
            for (int i = 0; i < FRAMES; i++) {
                List<ImageFrame> frames = List.of(
                        signing.frame(i),
                        squats.frame(i).withTimestamp(signing.frame(i).timestampMs()));
                List<HolisticLandmarks> a = serial.detect(frames);
                List<HolisticLandmarks> b = parallel.detect(frames);
                for (int s = 0; s < 2; s++) {
                    assertSame(a.get(s), b.get(s), "stream " + s + " frame " + i);
                }
            }
        }
    }

    @Test
    void closeStopsTheFaceThreadAndNoFaceMeansNoThread() throws Exception {
        HolisticLandmarker parallel =
                HolisticLandmarker.builder(models).faceInParallel(true).build();
        parallel.detect(signing.frame(0));
        assertTrue(faceThreads() > 0, "the face branch ran on its own thread");
        parallel.close();
        for (int i = 0; i < 100 && faceThreads() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, faceThreads(), "close() stops the face thread");
        try (HolisticLandmarker noFace = HolisticLandmarker.builder(models)
                .faceLandmarks(false)
                .faceInParallel(true)
                .build()) {
            HolisticLandmarks r = noFace.detect(signing.frame(0));
            assertFalse(r.face().isPresent());
            assertEquals(0, faceThreads(), "no face branch, no thread");
        }
    }

    private static long faceThreads() {
        List<Thread> all = new ArrayList<>(Thread.getAllStackTraces().keySet());
        return all.stream()
                .filter(t -> t.getName().equals("kslr-face-branch") && t.isAlive())
                .count();
    }
}
