package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parity with MediaPipe's own Holistic (the reference tool, run now on the same decoded frames): the signing clip in
 * video mode, smoothing on both sides; gate: each part's median error <= 1 % of the image diagonal. One reference run
 * is compared with each {@link ModelPrecision} (the same gate for int8, issue #21).
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
            assertTrue(
                    ref.size() == clip.frames().size(),
                    "frame counts differ: " + ref.size() + " vs "
                            + clip.frames().size());
            double diagonal = Math.hypot(clip.width(), clip.height());
            // One reference run, compared with each precision (int8: issue #21's gate is the same 1 %).
            for (ModelPrecision precision : ModelPrecision.values()) {
                try (LandmarkerModels models = TestMedia.models(precision)) {
                    signingVideo(ref, clip, diagonal, models, precision);
                }
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void signingVideo(
            List<LandmarksJson.Frame> ref,
            TestMedia.Clip clip,
            double diagonal,
            LandmarkerModels models,
            ModelPrecision precision) {
        // Palm fallback on (the default) and off (Holistic's exact graph).
        for (boolean palm : new boolean[] {true, false}) {
            List<HolisticLandmarks> kslr = new java.util.ArrayList<>();
            try (HolisticLandmarker lm = HolisticLandmarker.builder(models)
                    .runningMode(RunningMode.VIDEO)
                    .palmFallback(palm)
                    .build()) {
                for (int i = 0; i < clip.frames().size(); i++) {
                    kslr.add(lm.detect(clip.frame(i)));
                }
            }
            Map<String, Parity> m = compare(ref, kslr);
            StringBuilder sb = new StringBuilder();
            m.values().forEach(p -> sb.append("\n  ").append(p));
            LOG.info(
                    "test_video.mp4 vs MediaPipe (video mode, smoothing on both; KSLR palm fallback {}, {}),"
                            + " diagonal {} px:{}",
                    palm ? "on" : "off",
                    precision,
                    diagonal,
                    sb);
            for (Parity p : m.values()) {
                if (p.referenceFrames == 0) {
                    continue;
                }
                assertTrue(p.found() >= 0.95, precision + " " + p);
                assertTrue(
                        p.median() <= 0.01 * diagonal,
                        precision + " " + p + " exceeds 1 % of the diagonal " + diagonal);
            }
        }
    }

    /**
     * The Khmer hand-form photos in image mode (MediaPipe: reset() before each, no smoothing): KSLR finds a hand
     * wherever MediaPipe does, and each part's median error over the photos is <= 1 % of the photo's diagonal.
     */
    @Test
    void khmerFormPhotosMatchMediaPipe() throws Exception {
        Path dir = SharedFiles.require("media/khmer-forms");
        List<Path> photos;
        try (Stream<Path> s = Files.list(dir)) {
            photos = s.filter(p -> p.getFileName().toString().endsWith(".jpg"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(!photos.isEmpty(), "no photos in " + dir);
        Path outDir = Files.createTempDirectory("kslr-ref-forms-");
        try {
            List<String> args = new ArrayList<>();
            photos.forEach(p -> args.add(p.toString()));
            args.add("--out-dir");
            args.add(outDir.toString());
            TestMedia.runReference(args);
            for (ModelPrecision precision : ModelPrecision.values()) {
                khmerForms(photos, outDir, precision);
            }
        } finally {
            try (Stream<Path> s = Files.list(outDir)) {
                for (Path p : s.collect(Collectors.toList())) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(outDir);
        }
    }

    private static void khmerForms(List<Path> photos, Path outDir, ModelPrecision precision) throws Exception {
        Map<String, Parity> relative = new LinkedHashMap<>();
        for (String part : PARTS) {
            relative.put(part, new Parity(part + " (% of diagonal)"));
        }
        List<String> missed = new ArrayList<>();
        try (LandmarkerModels models = TestMedia.models(precision);
                HolisticLandmarker lm = HolisticLandmarker.builder(models)
                        .runningMode(RunningMode.IMAGE)
                        .build()) {
            for (Path photo : photos) {
                String name = photo.getFileName().toString().replace(".jpg", "");
                LandmarksJson.Frame ref =
                        LandmarksJson.read(outDir.resolve(name + ".json")).get(0);
                TestMedia.Clip img = TestMedia.decode(photo, 1);
                HolisticLandmarks r = lm.detect(img.frame(0));
                double diagonal = Math.hypot(img.width(), img.height());
                for (String part : PARTS) {
                    double[][] k = LandmarksJson.part(r, part);
                    double[][] e = ref.part(part);
                    if (e != null && k == null && part.endsWith("Hand")) {
                        missed.add(name + " " + part);
                    }
                    relative.get(part)
                            .add(
                                    k == null ? null : scale(k, 100 / diagonal),
                                    e == null ? null : scale(e, 100 / diagonal));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        relative.values().forEach(p -> sb.append("\n  ").append(p.toString().replace(" px", " %")));
        LOG.info(
                "khmer-forms ({} photos) vs MediaPipe (image mode, no smoothing), {}:{}\n  hands missed: {}",
                photos.size(),
                precision,
                sb,
                missed);
        assertTrue(missed.isEmpty(), precision + ": hands MediaPipe found and KSLR did not: " + missed);
        for (Parity p : relative.values()) {
            if (!p.errors.isEmpty()) {
                assertTrue(p.median() <= 1.0, precision + " " + p + " exceeds 1 % of the diagonal");
            }
        }
    }

    private static double[][] scale(double[][] p, double f) {
        double[][] q = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            q[i] = new double[] {p[i][0] * f, p[i][1] * f};
        }
        return q;
    }
}
