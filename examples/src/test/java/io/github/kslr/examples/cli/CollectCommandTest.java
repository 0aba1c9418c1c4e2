package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.train.SignDataset;
import io.github.kslr.video.VideoFrames;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kslr collect} with the signing clip standing in for a camera (it runs at 29.9 frames/s, 58 frames). */
class CollectCommandTest {

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Every frame of a video as packed BGR bytes. */
    private static List<byte[]> frames(Path video) {
        List<byte[]> out = new ArrayList<>();
        try (VideoFrames v = VideoFrames.open(video.toString())) {
            for (ImageFrame f = v.next(); f != null; f = v.next()) {
                byte[] b = new byte[f.width() * f.height() * 3];
                ByteBuffer p = f.pixels().duplicate();
                for (int y = 0; y < f.height(); y++) {
                    p.position(f.offset() + y * f.rowStride());
                    p.get(b, y * f.width() * 3, f.width() * 3);
                }
                out.add(b);
            }
        }
        return out;
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    /** {@code kslr collect --input VIDEO --out OUT ARGS...}. */
    private static String[] collect(Path video, Path out, String... args) {
        return run("collect", List.of("--input", video.toString(), "--out", out.toString()), args);
    }

    @Test
    void recordsTakesThatDatasetReadsAndResumesNumbering(@TempDir Path dir) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path out = dir.resolve("signer-1");
        String[] r = collect(video, out, "--signs", "a,b", "--takes", "2", "--seconds", "0.2", "--pause", "0.1");
        assertSucceeded(r, "a: take 1 of 2 - get ready", "4 take(s) of 2 sign(s)");
        assertEquals(
                List.of(
                        out.resolve("a/take-001.mp4"),
                        out.resolve("a/take-002.mp4"),
                        out.resolve("b/take-001.mp4"),
                        out.resolve("b/take-002.mp4")),
                files(out));

        // A take is 0.2 s of frames after a 0.1 s pause: the first take holds source frames 3..8 (timestamps 100 to
        // 267 ms at 29.9 frames/s), re-encoded, so it is close to them and far from frames later in the clip.
        List<byte[]> source = frames(video);
        List<byte[]> take = frames(out.resolve("a/take-001.mp4"));
        assertEquals(6, take.size());
        int closest = 0;
        double[] diff = new double[16];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = meanAbsDiff(source.get(i), take.get(0));
            closest = diff[i] < diff[closest] ? i : closest;
        }
        assertEquals(3, closest, "mean |difference| to source frames 0-15: " + Arrays.toString(diff));
        assertTrue(diff[3] < 5, "re-encoding changed pixels by " + diff[3] + " on average");

        // kslr dataset reads what collect wrote.
        Path data = dir.resolve("data");
        r = run("dataset", out.toString(), "--out", data.toString(), "--frames", "5", "--layout", "pose-hands-258");
        assertEquals("0", r[0], r[2]);
        SignDataset d = SignDataset.load(data);
        assertEquals(List.of("a", "b"), d.labels());
        assertArrayEquals(new int[] {0, 0, 1, 1}, d.labelsArray());

        // A second session continues the numbering and leaves the first takes alone.
        byte[] before = Files.readAllBytes(out.resolve("a/take-001.mp4"));
        r = collect(video, out, "--signs", "a", "--takes", "1", "--seconds", "0.2", "--pause", "0");
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.isRegularFile(out.resolve("a/take-003.mp4")));
        assertArrayEquals(before, Files.readAllBytes(out.resolve("a/take-001.mp4")));
    }

    @Test
    void anInputThatEndsKeepsTheFinishedTakesOnly(@TempDir Path dir) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path out = dir.resolve("s");
        // 1.94 s of video: two takes of 0.1 s pause + 0.7 s, the third runs out of frames and is discarded.
        String[] r = collect(video, out, "--signs", "a", "--takes", "10", "--seconds", "0.7", "--pause", "0.1");
        assertSucceeded(r, "input ended during a take 3 (discarded): 2 take(s) recorded");
        assertEquals(List.of(out.resolve("a/take-001.mp4"), out.resolve("a/take-002.mp4")), files(out));
    }

    @Test
    void badOptionsAreRefusedBeforeRecording(@TempDir Path dir) {
        Path out = dir.resolve("s");
        String[] r = run("collect", "--input", "nope.mp4", "--out", out.toString(), "--signs", "../x");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("cannot be a folder name"), r[2]);
        r = run("collect", "--input", "nope.mp4", "--out", out.toString(), "--signs", "a", "--takes", "0");
        assertEquals("2", r[0]);
        r = run("collect", "--input", "nope.mp4", "--out", out.toString(), "--signs", "a", "--seconds", "0");
        assertEquals("2", r[0]);
        // A missing input file is a usage error too.
        r = run("collect", "--input", dir.resolve("missing.mp4").toString(), "--out", out.toString(), "--signs", "a");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("missing.mp4"), r[2]);
        assertFalse(Files.exists(out));
    }
}
