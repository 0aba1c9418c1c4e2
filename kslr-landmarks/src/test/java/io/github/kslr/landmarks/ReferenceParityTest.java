package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parity with MediaPipe's own Holistic (the reference tool, run now on the same decoded frames): the signing clip in
 * video mode, smoothing on both sides; gate: each part's median error <= 1 % of the image diagonal.
 */
class ReferenceParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceParityTest.class);
    static final String[] PARTS = {"pose", "leftHand", "rightHand", "face"};

    static Map<String, Parity> compare(List<LandmarksJson.Frame> ref, List<HolisticLandmarks> kslr) {
        Map<String, Parity> m = new LinkedHashMap<>();
        for (String part : PARTS) {
            Parity p = new Parity(part);
            for (int i = 0; i < ref.size(); i++) {
                p.add(LandmarksJson.part(kslr.get(i), part), ref.get(i).part(part));
            }
            m.put(part, p);
        }
        return m;
    }

    @Test
    void signingVideoMatchesMediaPipeWithinOnePercentOfTheDiagonal() throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path out = Files.createTempFile("kslr-ref-", ".json");
        try {
            String log = TestMedia.runReference(List.of(video.toString(), "--out", out.toString()));
            LOG.info("reference: {}", log.trim());
            List<LandmarksJson.Frame> ref = LandmarksJson.read(out);
            TestMedia.Clip clip = TestMedia.decode(video, Integer.MAX_VALUE);
            assertTrue(ref.size() == clip.frames().size(), "frame counts differ: " + ref.size() + " vs "
                    + clip.frames().size());
            List<HolisticLandmarks> kslr = new java.util.ArrayList<>();
            try (LandmarkerModels models = TestMedia.models();
                    HolisticLandmarker lm = HolisticLandmarker.builder(models).runningMode(RunningMode.VIDEO).build()) {
                for (int i = 0; i < clip.frames().size(); i++) {
                    kslr.add(lm.detect(clip.frame(i)));
                }
            }
            double diagonal = Math.hypot(clip.width(), clip.height());
            Map<String, Parity> m = compare(ref, kslr);
            StringBuilder sb = new StringBuilder();
            m.values().forEach(p -> sb.append("\n  ").append(p));
            LOG.info("test_video.mp4 vs MediaPipe (video mode, smoothing on both), diagonal {} px:{}", diagonal, sb);
            for (Parity p : m.values()) {
                if (p.referenceFrames == 0) {
                    continue;
                }
                assertTrue(p.found() >= 0.95, p.toString());
                assertTrue(p.median() <= 0.01 * diagonal, p + " exceeds 1 % of the diagonal " + diagonal);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
