package io.github.kslr.spark;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver of {@code extract}: lists the videos, skips those the output already holds, and runs the rest in
 * batches, one Spark task a video. Each batch is written under {@code OUT/_staging} and then committed by renames:
 * its frames, its failures, and last its video rows, so that a video counts as done exactly when its video row is
 * there. A run that was killed leaves at most uncommitted files, which the next run deletes before it starts; no
 * video is ever in the tables twice.
 *
 * <p>Layout: {@code OUT/frames/batch=ID/*.parquet}, {@code OUT/videos/batch=ID/}, {@code OUT/failures/batch=ID/}
 * (read each folder as one table; {@code batch} becomes a column) and {@code OUT/_schema_version}. One run at a time
 * may write to one output.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one run at a time.
 */
public final class ExtractJob {
    /** What a run did, as its last line reports it. */
    public record Counts(int videos, int done, int skipped, int failed, long frames) {
        /** {@code videos=N done=D skipped=S failed=F frames=R}. */
        public String line() {
            return "videos=" + videos + " done=" + done + " skipped=" + skipped + " failed=" + failed + " frames="
                    + frames;
        }
    }

    private final SparkSession spark;
    private final LandmarkerSettings settings;
    private final int maxFrames;
    private final int batchVideos;
    private final PrintStream progressOut;

    /**
     * @param maxFrames   frames a video at most (0 = all)
     * @param batchVideos videos a batch (a commit); 0 = four a core of the cluster
     * @param progressOut where progress lines go (standard error in the command line)
     * @throws InvalidInputException for a negative {@code maxFrames} or {@code batchVideos}
     */
    public ExtractJob(
            SparkSession spark, LandmarkerSettings settings, int maxFrames, int batchVideos, PrintStream progressOut) {
        if (maxFrames < 0) {
            throw new InvalidInputException("--max-frames must be >= 0, was " + maxFrames);
        }
        if (batchVideos < 0) {
            throw new InvalidInputException("--batch-videos must be >= 0, was " + batchVideos);
        }
        this.spark = spark;
        this.settings = settings;
        this.maxFrames = maxFrames;
        this.batchVideos = batchVideos;
        this.progressOut = progressOut;
    }

    /** Extracts the landmarks of the videos {@code input} names into {@code output}. */
    public Counts run(String input, String output) throws IOException {
        List<String> videos = VideoInputs.list(input);
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        checkSchemaVersion(fs, out);
        dropUncommitted(fs, out);
        Set<String> done = doneVideos(fs, out);
        List<String> pending = new ArrayList<>();
        for (String v : videos) {
            if (!done.contains(v)) {
                pending.add(v);
            }
        }
        int skipped = videos.size() - pending.size();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator videosDone = jsc.sc().longAccumulator("kslr videos");
        LongAccumulator framesDone = jsc.sc().longAccumulator("kslr frames");
        int batch = batchVideos > 0 ? batchVideos : 4 * Math.max(1, jsc.defaultParallelism());
        long start = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kslr-spark-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(
                () -> progress(videosDone.value(), pending.size(), framesDone.value(), start), 5, 5, TimeUnit.SECONDS);
        int ok = 0;
        int failed = 0;
        long frames = 0;
        try {
            for (int from = 0; from < pending.size(); from += batch) {
                List<String> slice = pending.subList(from, Math.min(pending.size(), from + batch));
                List<Row> videoRows = runBatch(jsc, fs, out, slice, videosDone, framesDone);
                for (Row r : videoRows) {
                    if (r.isNullAt(FramesTable.VIDEOS.fieldIndex("error"))) {
                        ok++;
                        frames += r.getInt(FramesTable.VIDEOS.fieldIndex("frames"));
                    } else {
                        failed++;
                    }
                }
            }
        } finally {
            ticker.shutdownNow();
        }
        progress(videosDone.value(), pending.size(), framesDone.value(), start);
        return new Counts(videos.size(), ok, skipped, failed, frames);
    }

    /** One batch: extract, stage, commit; returns its video rows. */
    private List<Row> runBatch(
            JavaSparkContext jsc,
            FileSystem fs,
            Path out,
            List<String> videos,
            LongAccumulator videosDone,
            LongAccumulator framesDone)
            throws IOException {
        String id =
                System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = new Path(new Path(out, "_staging"), id);
        jsc.setJobGroup("kslr-extract-" + id, "kslr extract: " + videos.size() + " video(s)", false);
        // One partition a video: one task a video, so that the videos of a batch spread over every core.
        JavaRDD<VideoExtraction.Result> results = jsc.parallelize(videos, videos.size())
                .map(new VideoExtraction(settings, maxFrames, videosDone, framesDone))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            spark.createDataFrame(results.flatMap(r -> r.frames().iterator()), FramesTable.FRAMES)
                    .write()
                    .parquet(new Path(staging, "frames").toString());
            List<Row> videoRows = results.map(VideoExtraction.Result::video).collect();
            List<Row> failures = results.filter(r -> r.failure() != null)
                    .map(VideoExtraction.Result::failure)
                    .collect();
            if (!failures.isEmpty()) {
                spark.createDataFrame(failures, FramesTable.FAILURES)
                        .coalesce(1)
                        .write()
                        .parquet(new Path(staging, "failures").toString());
            }
            spark.createDataFrame(videoRows, FramesTable.VIDEOS)
                    .coalesce(1)
                    .write()
                    .parquet(new Path(staging, "videos").toString());
            // The commit: frames and failures first, the video rows (which mark the videos done) last.
            commit(fs, staging, out, "frames", id);
            if (!failures.isEmpty()) {
                commit(fs, staging, out, "failures", id);
            }
            commit(fs, staging, out, "videos", id);
            fs.delete(staging, true);
            return videoRows;
        } finally {
            results.unpersist(false);
            jsc.clearJobGroup();
        }
    }

    private static void commit(FileSystem fs, Path staging, Path out, String table, String id) throws IOException {
        Path target = new Path(new Path(out, table), "batch=" + id);
        fs.mkdirs(target.getParent());
        if (!fs.rename(new Path(staging, table), target)) {
            throw new KslrException("cannot commit " + target + " (rename from " + staging + " failed)");
        }
    }

    /** Video ids with a committed video row. */
    private Set<String> doneVideos(FileSystem fs, Path out) throws IOException {
        Set<String> done = new HashSet<>();
        Path videos = new Path(out, "videos");
        if (!fs.exists(videos) || fs.listStatus(videos).length == 0) {
            return done;
        }
        for (Row r : spark.read()
                .parquet(videos.toString())
                .select("video_id")
                .distinct()
                .collectAsList()) {
            done.add(r.getString(0));
        }
        return done;
    }

    /** Removes what a killed run left: its staging folder and batches of frames or failures without video rows. */
    private static void dropUncommitted(FileSystem fs, Path out) throws IOException {
        fs.delete(new Path(out, "_staging"), true);
        Set<String> committed = new HashSet<>();
        Path videos = new Path(out, "videos");
        if (fs.exists(videos)) {
            for (FileStatus s : fs.listStatus(videos)) {
                committed.add(s.getPath().getName());
            }
        }
        for (String table : List.of("frames", "failures")) {
            Path t = new Path(out, table);
            if (!fs.exists(t)) {
                continue;
            }
            for (FileStatus s : fs.listStatus(t)) {
                String name = s.getPath().getName();
                if (name.startsWith("batch=") && !committed.contains(name)) {
                    fs.delete(s.getPath(), true);
                }
            }
        }
    }

    /** Writes the schema version into a new output; refuses an output of another version. */
    private static void checkSchemaVersion(FileSystem fs, Path out) throws IOException {
        Path file = new Path(out, "_schema_version");
        String mine = Integer.toString(FramesTable.SCHEMA_VERSION);
        if (fs.exists(file)) {
            String theirs;
            try (var in = fs.open(file)) {
                theirs = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!theirs.equals(mine)) {
                throw new InvalidInputException("--output " + out + " holds tables of schema version " + theirs
                        + "; this kslr-spark writes version " + mine + " (use a new output folder)");
            }
            return;
        }
        fs.mkdirs(out);
        // Written whole under another name, then renamed: a reader never sees half a version.
        Path tmp = new Path(out, "_schema_version.tmp");
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write((mine + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(tmp, file)) {
            throw new KslrException("cannot write " + file);
        }
    }

    private void progress(long videosDone, int total, long frames, long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        progressOut.printf(
                Locale.ROOT,
                "extract: %d/%d video(s), %d frames, %.1f frames/s, %.0f s%n",
                videosDone,
                total,
                frames,
                s > 0 ? frames / s : 0,
                s);
    }
}
