package io.github.kslr.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.LiveStream;
import io.github.kslr.api.testing.SharedFiles;
import org.junit.jupiter.api.Test;

/** README's live-camera example with the signing clip as the camera (frames handed over at the clip's pace). */
class LiveCameraTest {

    @Test
    void everyFrameIsEitherProcessedOrDroppedAndNoneFails() throws Exception {
        String video = SharedFiles.require("media/signing/test_video.mp4").toString();
        LiveCamera.Result r = LiveCamera.run(video, Integer.MAX_VALUE);
        LiveStream.Stats s = r.stats();
        assertEquals(58, s.offered(), s.toString());
        assertEquals(0, s.failed(), s.toString());
        assertEquals(0, s.inProgress(), "all done after awaitIdle: " + s);
        assertEquals(s.offered(), s.completed() + s.dropped(), s.toString());
        // How many are dropped depends on the machine's speed (and load); the newest frame is always processed.
        assertTrue(s.completed() > 0, s.toString());
        assertEquals(r.sentence().isEmpty(), r.signs().isEmpty());
    }
}
