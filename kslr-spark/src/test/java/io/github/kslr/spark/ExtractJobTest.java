package io.github.kslr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.train.RecordingDataset;
import io.github.kslr.train.RecordingWindows;
import io.github.kslr.train.SignDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extract} and {@code dataset} in local mode ({@code local[2]}) over two clips of the shared test video, a
 * photo, and files made here that cannot be read (random bytes, zero length, missing): the frames equal {@code kslr
 * landmarks}' exactly, the unreadable files land in the failures table, a rerun adds nothing, and the dataset's arrays
 * equal {@code kslr dataset}'s. One run of each, shared by the assertions (landmark extraction is the slow part).
 */
class ExtractJobTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path video;
    static Path photo;
    static Path out;
    static Path list;
    static ExtractJob.Counts first;
    static String progress;

    @BeforeAll
    static void extractOnce() throws Exception {
        video = SharedFiles.require("media/signing/test_video.mp4");
        photo = SharedFiles.require("media/tfjs/portrait.jpg");
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(video, in.resolve("a.mp4"));
        Files.copy(video, in.resolve("b.mp4"));
        byte[] noise = new byte[4096];
        new Random(16).nextBytes(noise);
        Files.write(in.resolve("corrupt.mp4"), noise);
        Files.write(in.resolve("empty.mp4"), new byte[0]);
        list = dir.resolve("videos.txt");
        Files.writeString(
                list,
                "# the test's videos\nin/a.mp4\nin/b.mp4\n\n" + photo
                        + "\nin/corrupt.mp4\nin/empty.mp4\nin/missing.mp4\n");
        out = dir.resolve("out");
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("kslr-spark test")
                .getOrCreate();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Batches of two: three commits in the run.
        first = new ExtractJob(spark, LandmarkerSettings.defaults(), 0, 2, new PrintStream(err, true, "UTF-8"))
                .run(list.toString(), out.toString());
        progress = err.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static String id(String name) {
        return dir.resolve("in").resolve(name).toAbsolutePath().normalize().toString();
    }

    private static List<HolisticLandmarks> framesOf(String videoId) {
        List<Row> rows = spark.read()
                .parquet(out.resolve("frames").toString())
                .filter(functions.col("video_id").equalTo(videoId))
                .orderBy("frame")
                .collectAsList();
        List<HolisticLandmarks> lms = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getInt(rows.get(i).fieldIndex("frame")), "frame indices of " + videoId);
            lms.add(FramesTable.toLandmarks(rows.get(i)));
        }
        return lms;
    }

    @Test
    void framesEqualKslrLandmarksExactlyForEachClip() throws Exception {
        List<HolisticLandmarks> expected = Reference.landmarks(video, 0);
        assertEquals(58, expected.size());
        // HolisticLandmarks.equals is exact: every value, score and presence (max difference 0).
        assertEquals(expected, framesOf(id("a.mp4")));
        assertEquals(expected, framesOf(id("b.mp4")));
        assertEquals(
                Reference.landmarks(photo, 0),
                framesOf(photo.toAbsolutePath().normalize().toString()));
        assertEquals("videos=6 done=3 skipped=0 failed=3 frames=117", first.line());
        assertTrue(progress.contains("extract: 6/6 video(s), 117 frames"), progress);
        // One executor JVM here (local mode): the models were loaded once for all videos.
        assertEquals(1, ExecutorLandmarkers.loads());
    }

    @Test
    void unreadableVideosAreFailuresAndTheJobGoesOn() {
        Map<String, String> failures = new TreeMap<>();
        for (Row r : spark.read().parquet(out.resolve("failures").toString()).collectAsList()) {
            failures.put(r.getString(0), r.getString(1) + ": " + r.getString(2));
        }
        assertEquals(List.of(id("corrupt.mp4"), id("empty.mp4"), id("missing.mp4")), List.copyOf(failures.keySet()));
        assertTrue(failures.get(id("missing.mp4")).contains("does not exist"), failures.toString());
        Dataset<Row> videos = spark.read().parquet(out.resolve("videos").toString());
        assertEquals(6, videos.count());
        assertEquals(3, videos.filter(functions.col("error").isNotNull()).count());
        Row a = videos.filter(functions.col("video_id").equalTo(id("a.mp4"))).first();
        assertEquals(58, a.getInt(a.fieldIndex("frames")));
        assertEquals(Reference.countWithHands(framesOf(id("a.mp4"))), a.getInt(a.fieldIndex("frames_with_hands")));
    }

    @Test
    void aRerunAddsNothingAndDropsWhatAKilledRunLeft() throws Exception {
        long frames = spark.read().parquet(out.resolve("frames").toString()).count();
        // What a run killed before its commit leaves: a staging folder and frames of a batch with no video rows.
        Path orphan = Files.createDirectories(out.resolve("frames/batch=killed"));
        try (Stream<Path> s = Files.list(out.resolve("frames"))) {
            Path someBatch = s.filter(p -> !p.equals(orphan)).findFirst().orElseThrow();
            try (Stream<Path> files = Files.list(someBatch)) {
                Path parquet = files.filter(p -> p.toString().endsWith(".parquet"))
                        .findFirst()
                        .orElseThrow();
                Files.copy(parquet, orphan.resolve(parquet.getFileName()));
            }
        }
        Files.createDirectories(out.resolve("_staging/killed/frames"));
        ExtractJob.Counts again = new ExtractJob(
                        spark, LandmarkerSettings.defaults(), 0, 0, new PrintStream(new ByteArrayOutputStream()))
                .run(list.toString(), out.toString());
        assertEquals("videos=6 done=0 skipped=6 failed=0 frames=0", again.line());
        assertFalse(Files.exists(orphan));
        assertEquals(
                frames, spark.read().parquet(out.resolve("frames").toString()).count());
        assertEquals(6, spark.read().parquet(out.resolve("videos").toString()).count());
        // The folder input names the same videos (ids are absolute paths): all skipped.
        assertEquals(
                "videos=4 done=0 skipped=4 failed=0 frames=0",
                new ExtractJob(spark, LandmarkerSettings.defaults(), 0, 0, new PrintStream(new ByteArrayOutputStream()))
                        .run(dir.resolve("in").toString(), out.toString())
                        .line());
    }

    @Test
    void datasetArraysEqualKslrDataset() throws Exception {
        FeatureLayout layout = FeatureLayout.REPORTS_177;
        RecordingWindows windowing = new RecordingWindows(30, 0, 10);
        Path labels = dir.resolve("labels.csv");
        Files.writeString(
                labels,
                "video,start_ms,end_ms,label,signer\nin/a.mp4,0,100000,hello,s1\nin/b.mp4,0,100000,thanks,s2\n"
                        + "in/a.mp4,0,400,hello,s2\n");
        Path sparkOut = dir.resolve("dataset-spark");
        new DatasetJob(spark, layout, windowing).run(labels, out.toString(), sparkOut);

        // kslr dataset's path over the same clips: its landmarker, then RecordingDataset.
        List<HolisticLandmarks> lms = Reference.datasetLandmarks(video, layout);
        int f = layout.size();
        long[] ts = new long[lms.size()];
        float[] features = new float[lms.size() * f];
        int short400 = 0;
        for (int i = 0; i < lms.size(); i++) {
            ts[i] = lms.get(i).timestampMs();
            layout.write(lms.get(i), features, i * f);
            short400 += ts[i] < 400 ? 1 : 0;
        }
        RecordingDataset.ClipWindows whole = RecordingDataset.cut(windowing, layout, ts, features, lms.size());
        RecordingDataset.ClipWindows first400 = RecordingDataset.cut(windowing, layout, ts, features, short400);
        assertTrue(whole.count() > 1 && first400.padded(), "the labels exercise strides and padding");
        SignDataset expected = RecordingDataset.assemble(
                layout,
                windowing,
                List.of(
                        new RecordingDataset.Recording("hello", "s1", whole),
                        new RecordingDataset.Recording("thanks", "s2", whole),
                        new RecordingDataset.Recording("hello", "s2", first400)));
        Path refOut = dir.resolve("dataset-reference");
        expected.save(refOut);
        for (String file : List.of("X.npy", "y.npy", "session.npy", "labels.txt")) {
            assertTrue(
                    Arrays.equals(Files.readAllBytes(refOut.resolve(file)), Files.readAllBytes(sparkOut.resolve(file))),
                    file + " differs from kslr dataset's");
        }
        assertEquals(expected.size(), SignDataset.load(sparkOut).size());
    }
}
