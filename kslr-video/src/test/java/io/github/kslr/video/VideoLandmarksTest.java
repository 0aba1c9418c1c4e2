package io.github.kslr.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.api.testing.VideoModeLandmarker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared frame loop: every frame in order, each to the landmarker once, and no frame decoded past a limit. */
class VideoLandmarksTest {

    /** Answers each frame with nothing found, keeping what it saw. */
    private static final class Recording extends VideoModeLandmarker {
        final List<Long> timestamps = new ArrayList<>();

        @Override
        public HolisticLandmarks detect(ImageFrame frame) {
            timestamps.add(frame.timestampMs());
            return HolisticLandmarks.empty(frame.timestampMs(), frame.width(), frame.height());
        }
    }

    @Test
    void everyFrameInOrderThenALimitDecodesNoFurther() throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Recording all = new Recording();
        List<Integer> indices = new ArrayList<>();
        try (VideoFrames source = VideoFrames.open(video.toString())) {
            int n = VideoLandmarks.forEachFrame(all, source, 0, (i, frame, lm, nanos) -> {
                indices.add(i);
                assertEquals(all.timestamps.get(i), lm.timestampMs());
            });
            assertEquals(source.lengthInFrames(), n);
            assertEquals(n, source.framesDecoded());
        }
        assertEquals(all.timestamps.size(), indices.size());
        for (int i = 0; i < indices.size(); i++) {
            assertEquals(i, indices.get(i));
        }

        Recording five = new Recording();
        try (VideoFrames source = VideoFrames.open(video.toString())) {
            assertEquals(5, VideoLandmarks.forEachFrame(five, source, 5, (i, frame, lm, nanos) -> {}));
            assertEquals(5, source.framesDecoded());
        }
        assertEquals(all.timestamps.subList(0, 5), five.timestamps);
    }

    @Test
    void aNegativeLimitIsRefusedBeforeAnyFrame() throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        try (VideoFrames source = VideoFrames.open(video.toString())) {
            assertThrows(
                    InvalidInputException.class,
                    () -> VideoLandmarks.forEachFrame(new Recording(), source, -1, (i, frame, lm, nanos) -> {}));
            assertEquals(0, source.framesDecoded());
        }
    }
}
