package io.github.kslr.benchmarks;

import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.RunningMode;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.recognizer.SignRecognizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Soak (#18; not in CI): N frames of a real clip through the recognizer, looping the clip, with the process's resident
 * memory ({@code VmRSS} of {@code /proc/self/status}) and the Java heap sampled after a warm-up. Prints one line a
 * sample and a final summary line; growth is measured from the first sample after warm-up.
 *
 * <p>Modes: {@code pipeline} (default) runs every frame through {@link HolisticLandmarker} (video mode, tracking) and
 * {@link SignRecognizer#accept(ImageFrame)} - 30-60 ms a frame on two cores; {@code landmarks} detects the clip's
 * frames once and then feeds those landmarks (re-timed at 30 frames/s) to {@link SignRecognizer#accept(HolisticLandmarks)},
 * which reaches 100,000 frames in minutes and soaks everything after the landmarker (resampling, buffer,
 * classifier, sentence). Both use the bundled demo sign model with {@link HandLossPolicy#KEEP}, so that every frame
 * after the first window is classified.
 *
 * <pre>
 * java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar io.github.kslr.benchmarks.Soak \
 *     --frames 100000 --mode landmarks --video ../shared/media/signing/test_video.mp4 [--warmup 2000] [--every 4900]
 * </pre>
 * Give the heap a fixed, pre-touched size: with the default (a quarter of the machine's memory) the young
 * generation first-touches new pages for tens of thousands of frames before its first collection, and RSS "grows" by
 * exactly the heap's growth (a 15 % rise at 100,000 frames here, all of it heap that a GC then frees) - that is not
 * the leak this tool looks for.
 */
public final class Soak {
    private Soak() {}

    public static void main(String[] args) throws Exception {
        long frames = 100_000;
        String mode = "pipeline";
        Path video = Paths.get("../shared/media/signing/test_video.mp4");
        long warmup = -1;
        long every = -1;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--frames" -> frames = Long.parseLong(v);
                case "--mode" -> mode = v;
                case "--video" -> video = Paths.get(v);
                case "--warmup" -> warmup = Long.parseLong(v);
                case "--every" -> every = Long.parseLong(v);
                default -> {
                    System.err.println("usage: Soak [--frames N] [--mode pipeline|landmarks] [--video PATH]"
                            + " [--warmup FRAMES] [--every FRAMES]");
                    System.exit(2);
                }
            }
            i++;
        }
        if (!mode.equals("pipeline") && !mode.equals("landmarks")) {
            throw new IllegalArgumentException("--mode must be pipeline or landmarks, was " + mode);
        }
        warmup = warmup >= 0 ? warmup : Math.min(2_000, frames / 10);
        every = every > 0 ? every : Math.max(1, (frames - warmup) / 20);

        List<ImageFrame> clip = LandmarkerBenchmark.decode(video);
        try (LandmarkerModels models = LandmarkerModels.builder().build();
                HolisticLandmarker landmarker = HolisticLandmarker.builder(models)
                        .runningMode(RunningMode.VIDEO)
                        .build();
                OnnxSignClassifier classifier = OnnxSignClassifier.builder()
                        .model(DemoSignModel.source())
                        .build()) {
            List<HolisticLandmarks> detected = new ArrayList<>();
            if (mode.equals("landmarks")) {
                for (int i = 0; i < clip.size(); i++) {
                    detected.add(landmarker.detect(retimed(clip.get(i), i * 1000L / 30)));
                }
            }
            // KEEP: the clip's hands come and go, and CLEAR would rarely fill a window; the soak wants every frame
            // classified (the heaviest steady state).
            SignRecognizer.Builder rb = SignRecognizer.builder(classifier).handLossPolicy(HandLossPolicy.KEEP);
            SignRecognizer recognizer =
                    mode.equals("pipeline") ? rb.landmarker(landmarker).build() : rb.build();
            MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
            // Timestamps keep rising at 30 frames/s across loops of the clip (video mode and resampling need it).
            long t0 = clip.size() * 1000L / 30 + 1000;
            long rssStart = -1;
            long rssMax = 0;
            long predictions = 0;
            long signs = 0;
            long started = System.nanoTime();
            long measuredFrom = 0;
            for (long f = 0; f < frames; f++) {
                long ts = t0 + f * 1000 / 30;
                int k = (int) (f % clip.size());
                var p = mode.equals("pipeline")
                        ? recognizer.accept(retimed(clip.get(k), ts))
                        : recognizer.accept(retimed(detected.get(k), ts));
                if (p.isPresent()) {
                    predictions++;
                    signs += p.get().recognized() ? 1 : 0;
                }
                if (recognizer.sentence().words().size() >= 50) {
                    recognizer.clear(); // a long session: the sentence is read and cleared now and then
                }
                long done = f + 1;
                if (done == warmup || (done > warmup && (done - warmup) % every == 0) || done == frames) {
                    long rss = rssKb();
                    if (rssStart < 0) {
                        rssStart = rss;
                        measuredFrom = System.nanoTime();
                    }
                    rssMax = Math.max(rssMax, rss);
                    System.out.printf(
                            Locale.ROOT,
                            "frame=%d rss_mb=%.1f heap_used_mb=%.1f%n",
                            done,
                            rss / 1024.0,
                            heap.getHeapMemoryUsage().getUsed() / 1048576.0);
                }
            }
            long rssEnd = rssKb();
            rssMax = Math.max(rssMax, rssEnd);
            System.gc();
            double heapEnd = heap.getHeapMemoryUsage().getUsed() / 1048576.0;
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "frames=%d mode=%s warmup=%d rss_start_mb=%.1f rss_end_mb=%.1f rss_max_mb=%.1f"
                            + " growth_pct=%.2f heap_end_mb=%.1f predictions=%d recognized=%d seconds=%.0f ms_per_frame=%.2f%n",
                    frames,
                    mode,
                    warmup,
                    rssStart / 1024.0,
                    rssEnd / 1024.0,
                    rssMax / 1024.0,
                    100.0 * (rssEnd - rssStart) / rssStart,
                    heapEnd,
                    predictions,
                    signs,
                    seconds,
                    1000 * seconds / frames);
            if (measuredFrom == 0) {
                System.out.println("(no sample after warm-up: raise --frames)");
            }
        }
    }

    private static ImageFrame retimed(ImageFrame f, long ts) {
        return ImageFrame.packed(f.width(), f.height(), PixelFormat.RGB, f.pixels(), ts);
    }

    private static HolisticLandmarks retimed(HolisticLandmarks l, long ts) {
        return new HolisticLandmarks(
                ts, l.imageWidth(), l.imageHeight(), l.pose(), l.poseWorld(), l.face(), l.leftHand(), l.rightHand());
    }

    /** Resident set size in KB ({@code VmRSS}). */
    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
