package io.github.kslr.examples.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.video.VideoFrames;
import org.junit.jupiter.api.Test;

class SdkModelsTest {

    @Test
    void recognitionOnlySessionsSkipTheFaceTheDemoModelDoesNotRead() {
        String video = SharedFiles.require("media/signing/test_video.mp4").toString();
        try (SdkModels models = SdkModels.load(null, null, null, ExecutionDevice.cpu())) {
            assertFalse(models.signModel().layout().uses(LandmarkPart.FACE), "the demo model reads no face");
            int frames = 0;
            try (RecognitionSession all = models.newSession();
                    RecognitionSession lean = models.newSession(false);
                    VideoFrames source = VideoFrames.open(video)) {
                for (ImageFrame f = source.next(); f != null && frames < 10; f = source.next(), frames++) {
                    FrameResult a = all.process(f);
                    FrameResult b = lean.process(f);
                    assertTrue(a.landmarks().face().isPresent(), "frame " + frames);
                    assertFalse(b.landmarks().face().isPresent(), "frame " + frames);
                    assertArrayEquals(
                            a.landmarks().pose().toArray(), b.landmarks().pose().toArray());
                    assertArrayEquals(
                            a.landmarks().rightHand().toArray(),
                            b.landmarks().rightHand().toArray());
                    assertEquals(a.window() == null, b.window() == null);
                }
            }
            assertEquals(10, frames);
        }
    }
}
