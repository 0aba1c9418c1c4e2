package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ModelSource;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.data.Npy;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.train.SignDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kslr dataset} on real recordings: the windows it writes must be exactly the frames {@code kslr landmarks}
 * gives for the same clip, picked as {@code RecordingWindows} says, with the right labels and sessions.
 */
class DatasetCommandTest {
    private static final int F = 258;
    private static Path signing;
    private static Path squats;
    /** {@code kslr landmarks --npy} of the signing clip: [58 frames, 258]. */
    private static float[] signingFeatures;

    private static int signingFrames;

    @TempDir
    static Path shared;

    @BeforeAll
    static void landmarksOfTheSigningClip() {
        signing = SharedFiles.require("media/signing/test_video.mp4");
        squats = SharedFiles.require("media/tfjs/pose_squats.mp4");
        Path npy = shared.resolve("signing.npy");
        String[] r = run(
                "landmarks",
                signing.toString(),
                "--out",
                shared.resolve("signing.json").toString(),
                "--npy",
                npy.toString(),
                "--layout",
                "pose-hands-258");
        assertEquals("0", r[0], r[2]);
        signingFeatures = Npy.read(npy).toFloatArray();
        signingFrames = signingFeatures.length / F;
        assertEquals(58, signingFrames);
    }

    private static float[] rows(int from, int count) {
        return Arrays.copyOfRange(signingFeatures, from * F, (from + count) * F);
    }

    private static float[] window(SignDataset d, int i) {
        float[] w = new float[d.windowSize()];
        d.copyWindow(i, w, 0);
        return w;
    }

    /** {@code kslr dataset IN --out OUT} of 20-frame windows in pose-hands-258 (as {@link #rows}), with {@code args}. */
    private static String[] dataset20(Path in, Path out, String... args) {
        return run(
                "dataset",
                List.of(in.toString(), "--out", out.toString(), "--frames", "20", "--layout", "pose-hands-258"),
                args);
    }

    @Test
    void sessionFoldersGiveLabelsSessionsAndTheMiddleWindows(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("recordings");
        Files.createDirectories(in.resolve("signer-a/wave"));
        Files.createDirectories(in.resolve("signer-a/squat"));
        Files.createDirectories(in.resolve("signer-b/wave"));
        Files.copy(signing, in.resolve("signer-a/wave/take1.mp4"));
        Files.copy(squats, in.resolve("signer-a/squat/take1.MP4"));
        Files.copy(signing, in.resolve("signer-b/wave/take1.mp4"));
        Files.writeString(in.resolve("signer-b/wave/notes.txt"), "not a video");
        Path out = dir.resolve("data");
        String[] r = dataset20(in, out, "--session-folders");
        assertSucceeded(r, "3 recording(s)", "windows per label: squat=1 wave=2", "sessions: {signer-a=1, signer-b=2}");

        SignDataset d = SignDataset.load(out);
        assertEquals(List.of("squat", "wave"), d.labels());
        assertEquals(3, d.size());
        assertEquals(20, d.sequenceLength());
        assertEquals(F, d.layout().size());
        // Sorted scan: signer-a/squat, signer-a/wave, signer-b/wave.
        assertArrayEquals(new int[] {0, 1, 1}, d.labelsArray());
        assertEquals(1, d.session(0));
        assertEquals(1, d.session(1));
        assertEquals(2, d.session(2));
        // The signing clip's middle 20 of 58 frames: 19..38, exactly what `kslr landmarks` gives for them.
        assertArrayEquals(rows(19, 20), window(d, 1));
        assertArrayEquals(rows(19, 20), window(d, 2));
        assertNotEquals(Arrays.toString(window(d, 0)), Arrays.toString(window(d, 1)));

        // Three recordings at once, each on its own landmarker: the same files, byte for byte.
        Path parallel = dir.resolve("parallel");
        r = dataset20(in, parallel, "--session-folders", "--jobs", "3");
        assertEquals("0", r[0], r[2]);
        for (String file : List.of("X.npy", "y.npy", "session.npy", "labels.txt")) {
            assertArrayEquals(Files.readAllBytes(out.resolve(file)), Files.readAllBytes(parallel.resolve(file)), file);
        }
    }

    /**
     * {@code kslr dataset} of a list {@code dir/clips.csv} holding {@code csv}, beside the signing clip copied to
     * {@code dir/CLIP}, into {@code dir/data} in pose-hands-258 with {@code args}.
     */
    private static String[] signingDataset(Path dir, String clip, String csv, String... args) throws IOException {
        Files.copy(signing, dir.resolve(clip));
        Path list = Files.writeString(dir.resolve("clips.csv"), csv);
        return run(
                "dataset",
                List.of(list.toString(), "--out", dir.resolve("data").toString(), "--layout", "pose-hands-258"),
                args);
    }

    @Test
    void csvWithStrideGivesEveryWindowAndNumericSessions(@TempDir Path dir) throws Exception {
        String[] r = signingDataset(
                dir, "clip.mp4", "video,label,session\nclip.mp4,hello,7\n\n", "--frames", "30", "--stride", "10");
        assertEquals("0", r[0], r[2]);
        SignDataset d = SignDataset.load(dir.resolve("data"));
        // Windows start at 0, 10 and 20 (20 + 30 <= 58 < 30 + 30).
        assertEquals(3, d.size());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(rows(10 * k, 30), window(d, k), "window " + k);
            assertEquals(7, d.session(k));
            assertEquals(0, d.label(k));
        }
        assertEquals(List.of("hello"), d.labels());
    }

    @Test
    void csvFieldsMayBeQuoted(@TempDir Path dir) throws Exception {
        String[] r = signingDataset(
                dir, "take, 1.mp4", "\uFEFFvideo,label\n\"take, 1.mp4\",\"hello, world\"\n", "--frames", "30");
        assertEquals("0", r[0], r[2]);
        SignDataset d = SignDataset.load(dir.resolve("data"));
        assertEquals(List.of("hello, world"), d.labels());
        assertArrayEquals(rows(14, 30), window(d, 0));
    }

    @Test
    void shortRecordingsRepeatTheirLastFrame(@TempDir Path dir) throws Exception {
        String[] r = signingDataset(dir, "clip.mp4", "video,label\nclip.mp4,long\n", "--frames", "60");
        assertSucceeded(r, "1 recording(s) shorter than 60 frames");
        SignDataset d = SignDataset.load(dir.resolve("data"));
        float[] w = window(d, 0);
        assertArrayEquals(rows(0, 58), Arrays.copyOfRange(w, 0, 58 * F));
        assertArrayEquals(rows(57, 1), Arrays.copyOfRange(w, 58 * F, 59 * F));
        assertArrayEquals(rows(57, 1), Arrays.copyOfRange(w, 59 * F, 60 * F));
        assertEquals(0, d.session(0));
    }

    @Test
    void theDefaultLayoutTrainsAndEvaluates(@TempDir Path dir) throws Exception {
        // reports-177 (the default) carries face points that cannot be mirrored; train and evaluate must still run
        // their whole report, mirrored check included (in the model's own layout).
        Files.copy(signing, dir.resolve("wave.mp4"));
        Files.copy(squats, dir.resolve("squat.mp4"));
        Path csv = Files.writeString(
                dir.resolve("clips.csv"),
                "video,label,session\nwave.mp4,wave,1\n" + "squat.mp4,squat,1\nwave.mp4,wave,2\nsquat.mp4,squat,2\n");
        Path data = dir.resolve("data");
        String[] r = run("dataset", csv.toString(), "--out", data.toString(), "--stride", "10", "--fps", "30");
        assertSucceeded(r, "177 features (reports-177)");
        assertEquals("30\n", Files.readString(data.resolve("frame_rate.txt")));
        Path model = dir.resolve("model.onnx");
        r = run(
                "train",
                "--data",
                data.toString(),
                "--out",
                model.toString(),
                "--report",
                dir.resolve("report").toString(),
                "--session",
                "2",
                "--epochs",
                "2",
                "--no-baseline");
        assertSucceeded(r, "mirrored");
        // The windows' rate reaches the model, where a recognizer finds it.
        try (OnnxSignClassifier c =
                OnnxSignClassifier.builder().model(ModelSource.ofPath(model)).build()) {
            assertEquals(30, c.metadata().frameRate());
        }
        r = run("evaluate", "--data", data.toString(), "--model", model.toString(), "--perturbations");
        assertSucceeded(r, "mirrored", "accuracy=");
    }

    @Test
    void badInputFailsNamingTheProblemAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("data");
        // A listed recording that does not exist.
        Path missing = Files.writeString(dir.resolve("missing.csv"), "video,label\nnope.mp4,a\n");
        String[] r = run("dataset", missing.toString(), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("nope.mp4") && r[2].contains("does not exist"), r[2]);
        // A header that is not video,label[,session].
        Path header = Files.writeString(dir.resolve("header.csv"), "file,sign\nx.mp4,a\n");
        r = run("dataset", header.toString(), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("video,label or video,label,session"), r[2]);
        // A row with a missing column.
        Path columns = Files.writeString(dir.resolve("columns.csv"), "video,label,session\nx.mp4,a\n");
        r = run("dataset", columns.toString(), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("line 2 has 2 columns"), r[2]);
        // A file named like a video that is not one, after a good recording: nothing may be written.
        Files.copy(signing, dir.resolve("good.mp4"));
        Files.writeString(dir.resolve("broken.mp4"), "this is not a video");
        Path broken = Files.writeString(dir.resolve("broken.csv"), "video,label\ngood.mp4,a\nbroken.mp4,b\n");
        r = run("dataset", broken.toString(), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("broken.mp4"), r[2]);
        // An empty folder, and windows of no frames.
        Path empty = Files.createDirectory(dir.resolve("empty"));
        r = run("dataset", empty.toString(), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no recordings found"), r[2]);
        r = run("dataset", broken.toString(), "--out", out.toString(), "--frames", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("frames must be"), r[2]);
        r = run("dataset", broken.toString(), "--out", out.toString(), "--jobs", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--jobs must be >= 1"), r[2]);
        // The broken recording fails its job while the good one runs in another: still nothing written.
        r = run("dataset", broken.toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("broken.mp4"), r[2]);
        assertFalse(Files.exists(out), "nothing may be written after a failure");
        // An output folder that already holds files is refused before any work.
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        r = run("dataset", broken.toString(), "--out", full.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("not an empty folder"), r[2]);
        assertEquals("mine", Files.readString(full.resolve("keep.txt")));
    }

    /** A .pose file of a recording gives the windows the recording itself gives (landmarks as they are). */
    @Test
    void poseFilesAreRecordingsToo(@TempDir Path dir) throws Exception {
        Path videos = dir.resolve("videos");
        Path poses = dir.resolve("poses");
        Files.createDirectories(videos.resolve("wave"));
        Files.createDirectories(poses.resolve("wave"));
        Files.copy(signing, videos.resolve("wave/take1.mp4"));
        String[] lm = run(
                "landmarks",
                signing.toString(),
                "--out",
                poses.resolve("wave/take1.pose").toString());
        assertEquals("0", lm[0], lm[2]);
        String[] a = dataset20(videos, dir.resolve("a"));
        String[] b = dataset20(poses, dir.resolve("b"));
        assertEquals("0", a[0], a[2]);
        assertEquals("0", b[0], b[2]);
        SignDataset fromVideo = SignDataset.load(dir.resolve("a"));
        SignDataset fromPose = SignDataset.load(dir.resolve("b"));
        assertEquals(1, fromPose.size());
        // The .pose keeps float32 pixels: the same landmarks to a few ulp.
        assertArrayEquals(window(fromVideo, 0), window(fromPose, 0), 1e-5f);
    }
}
