package io.github.kslr.spark;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.train.CsvTable;
import io.github.kslr.train.RecordingDataset;
import io.github.kslr.train.RecordingWindows;
import io.github.kslr.train.SignDataset;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * The driver of {@code dataset}: a labels table (CSV {@code video,start_ms,end_ms,label[,signer]}) and the frames
 * {@code extract} wrote become the dataset folder {@code kslr train} reads. Each labelled segment is the frames of
 * its video with {@code start_ms <= timestamp_ms < end_ms}, cut into windows by {@link RecordingWindows} and
 * assembled by {@link RecordingDataset}, as {@code kslr dataset} does with a whole recording; the signer column
 * becomes the session. Segments are cut on the executors (one group a video); the windows come to the driver, which
 * writes the folder ({@code kslr train} reads it into memory whole anyway).
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one run at a time.
 */
public final class DatasetJob {
    /** One labelled segment of a video, in the labels table's order. */
    record Segment(int index, long line, String videoId, long startMs, long endMs, String label, String signer)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** One segment's windows, as they travel back to the driver. */
    record SegmentWindows(int index, float[] windows, int count, int frames, boolean padded) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final SparkSession spark;
    private final FeatureLayout layout;
    private final RecordingWindows windowing;

    public DatasetJob(SparkSession spark, FeatureLayout layout, RecordingWindows windowing) {
        this.spark = spark;
        this.layout = layout;
        this.windowing = windowing;
    }

    /**
     * Builds the dataset and saves it to {@code out} (which must not exist, or be empty).
     *
     * @param landmarks the output folder of {@code extract}
     * @throws InvalidInputException for a malformed labels table, a video the frames table does not hold, or a
     *                               segment without frames
     */
    public SignDataset run(Path labels, String landmarks, Path out) {
        SignDataset.checkSaveTarget(out);
        List<Segment> segments = readLabels(labels);
        Map<String, List<Segment>> byVideo = new HashMap<>();
        for (Segment s : segments) {
            byVideo.computeIfAbsent(s.videoId(), v -> new ArrayList<>()).add(s);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Map<String, List<Segment>>> wanted = jsc.broadcast(byVideo);
        // Neither a layout nor a windowing is Serializable: executors rebuild them from these values.
        String layoutName = layout.name();
        String layoutSpec = layout.spec();
        int frames = windowing.frames();
        double fps = windowing.fps();
        int stride = windowing.stride();
        List<SegmentWindows> cut = spark.read()
                .parquet(landmarks + "/frames")
                .filter(functions.col("video_id").isin(byVideo.keySet().toArray()))
                .javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(FramesTable.index(r, "video_id")), r))
                .groupByKey()
                .flatMap(v -> cutVideo(
                                v._2(),
                                wanted.value().get(v._1()),
                                FeatureLayout.parse(layoutName, layoutSpec),
                                new RecordingWindows(frames, fps, stride))
                        .iterator())
                .collect();
        SegmentWindows[] bySegment = new SegmentWindows[segments.size()];
        for (SegmentWindows w : cut) {
            bySegment[w.index()] = w;
        }
        List<RecordingDataset.Recording> recordings = new ArrayList<>();
        for (Segment s : segments) {
            SegmentWindows w = bySegment[s.index()];
            if (w == null) {
                throw new InvalidInputException("labels line " + s.line() + ": video " + s.videoId()
                        + " is not in the frames table of " + landmarks + " (run extract on it first)");
            }
            recordings.add(new RecordingDataset.Recording(
                    s.label(),
                    s.signer(),
                    new RecordingDataset.ClipWindows(w.windows(), w.count(), w.frames(), w.padded())));
        }
        SignDataset dataset = RecordingDataset.assemble(layout, windowing, recordings);
        dataset.save(out);
        return dataset;
    }

    /** One video's frames (any order) cut into the windows of each of its segments. */
    private static List<SegmentWindows> cutVideo(
            Iterable<Row> rows, List<Segment> segments, FeatureLayout layout, RecordingWindows windowing) {
        List<Row> frames = new ArrayList<>();
        rows.forEach(frames::add);
        frames.sort(Comparator.comparingInt(r -> r.getInt(FramesTable.index(r, "frame"))));
        int f = layout.size();
        long[] ts = new long[frames.size()];
        float[] features = new float[frames.size() * f];
        for (int i = 0; i < frames.size(); i++) {
            var lm = FramesTable.toLandmarks(frames.get(i));
            ts[i] = lm.timestampMs();
            layout.write(lm, features, i * f);
        }
        List<SegmentWindows> out = new ArrayList<>();
        for (Segment s : segments) {
            int from = 0;
            while (from < ts.length && ts[from] < s.startMs()) {
                from++;
            }
            int to = from;
            while (to < ts.length && ts[to] < s.endMs()) {
                to++;
            }
            if (to == from) {
                throw new InvalidInputException("labels line " + s.line() + ": video " + s.videoId()
                        + " has no frame in [" + s.startMs() + ", " + s.endMs() + ") ms");
            }
            RecordingDataset.ClipWindows w = RecordingDataset.cut(
                    windowing,
                    layout,
                    Arrays.copyOfRange(ts, from, to),
                    Arrays.copyOfRange(features, from * f, to * f),
                    to - from);
            out.add(new SegmentWindows(s.index(), w.windows(), w.count(), w.frames(), w.padded()));
        }
        return out;
    }

    /** The labels table: header video,start_ms,end_ms,label[,signer]; video paths relative to the CSV's folder. */
    static List<Segment> readLabels(Path csv) {
        List<String> five = List.of("video", "start_ms", "end_ms", "label", "signer");
        CsvTable table = CsvTable.read(
                csv,
                "--labels " + csv + " is not a file",
                List.of(five, five.subList(0, 4)),
                "video,start_ms,end_ms,label[,signer]");
        Path base = csv.toAbsolutePath().getParent();
        List<Segment> segments = new ArrayList<>();
        for (CsvTable.Row r : table.rows()) {
            long line = r.line();
            long start = millis(r.get(1), csv, line, "start_ms");
            long end = millis(r.get(2), csv, line, "end_ms");
            if (end <= start) {
                throw new InvalidInputException(
                        csv + ": line " + line + ": end_ms " + end + " must be after start_ms " + start);
            }
            if (r.get(0).isEmpty() || r.get(3).isEmpty()) {
                throw new InvalidInputException(csv + ": line " + line + " has an empty video or label");
            }
            String signer = table.header().size() == 5 && !r.get(4).isEmpty() ? r.get(4) : null;
            segments.add(new Segment(
                    segments.size(), line, VideoInputs.id(base.resolve(r.get(0))), start, end, r.get(3), signer));
        }
        if (segments.isEmpty()) {
            throw new InvalidInputException(csv + " holds no labelled segment");
        }
        return segments;
    }

    private static long millis(String s, Path csv, long line, String column) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    csv + ": line " + line + ": " + column + " must be a whole number of ms >= 0, was " + s);
        }
    }
}
