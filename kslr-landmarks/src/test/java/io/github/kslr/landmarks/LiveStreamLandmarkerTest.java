package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LiveStream;
import io.github.kslr.api.testing.SharedFiles;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A video-mode {@link HolisticLandmarker} as the step of a {@link LiveStream}, on a real signing clip. */
class LiveStreamLandmarkerTest {
    private static final int FRAMES = 30;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static LandmarkerModels models;
    private static TestMedia.Clip clip;

    @BeforeAll
    static void load() throws Exception {
        clip = TestMedia.decode(SharedFiles.require("media/signing/test_video.mp4"), FRAMES);
        models = TestMedia.models();
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    /** Frame i with its rows padded (as a camera's buffer may be), so the stream's packed copy is exercised. */
    private static ImageFrame padded(int i) {
        ImageFrame f = clip.frame(i);
        int row = f.width() * 3;
        int stride = row + 40;
        ByteBuffer b = ByteBuffer.allocateDirect(stride * f.height());
        for (int y = 0; y < f.height(); y++) {
            b.put(y * stride, f.pixels(), f.offset() + y * f.rowStride(), row);
        }
        return ImageFrame.of(f.width(), f.height(), stride, f.format(), b, f.timestampMs());
    }

    @Test
    void resultsEqualDirectCallsWhenEveryFrameIsProcessed() throws Exception {
        List<HolisticLandmarks> live = Collections.synchronizedList(new ArrayList<>());
        List<HolisticLandmarks> direct = new ArrayList<>();
        try (HolisticLandmarker a = HolisticLandmarker.builder(models).build();
                HolisticLandmarker b = HolisticLandmarker.builder(models).build()) {
            try (LiveStream<HolisticLandmarks> stream = LiveStream.builder(a::detect)
                    .onResult((landmarks, frame) -> live.add(landmarks))
                    .build()) {
                for (int i = 0; i < FRAMES; i++) {
                    stream.offer(padded(i));
                    assertTrue(stream.awaitIdle(WAIT));
                    direct.add(b.detect(clip.frame(i)));
                }
                assertEquals(new LiveStream.Stats(FRAMES, FRAMES, 0, 0), stream.stats());
            }
        }
        int hands = 0;
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(direct.get(i).timestampMs(), live.get(i).timestampMs());
            for (LandmarkPart p : LandmarkPart.values()) {
                assertEquals(
                        direct.get(i).part(p).isPresent(), live.get(i).part(p).isPresent(), "frame " + i + p);
                assertArrayEquals(
                        direct.get(i).part(p).toArray(), live.get(i).part(p).toArray(), "frame " + i + p);
            }
            hands += direct.get(i).hasAnyHand() ? 1 : 0;
        }
        assertTrue(hands > 0, "the clip must show hands for the comparison to mean something");
    }

    @Test
    void framesOfferedFasterThanTheLandmarkerAreDroppedAndTheNewestIsAlwaysProcessed() throws Exception {
        List<Long> times = Collections.synchronizedList(new ArrayList<>());
        LiveStream.Stats stats;
        try (HolisticLandmarker landmarker = HolisticLandmarker.builder(models).build();
                LiveStream<HolisticLandmarks> stream = LiveStream.builder(landmarker::detect)
                        .onResult((landmarks, frame) -> times.add(landmarks.timestampMs()))
                        .build()) {
            for (int i = 0; i < FRAMES; i++) {
                stream.offer(padded(i)); // as fast as the copy allows: far faster than ~25 ms a frame
            }
            assertTrue(stream.awaitIdle(WAIT));
            stats = stream.stats();
        }
        assertEquals(FRAMES, stats.offered());
        assertEquals(0, stats.failed());
        assertEquals(FRAMES, stats.completed() + stats.dropped());
        assertTrue(stats.dropped() > 0, "30 frames offered back to back must outrun the landmarker: " + stats);
        assertEquals(stats.completed(), times.size());
        assertEquals(clip.frame(FRAMES - 1).timestampMs(), times.get(times.size() - 1), "newest frame processed");
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) > times.get(i - 1), "results in timestamp order: " + times);
        }
    }
}
