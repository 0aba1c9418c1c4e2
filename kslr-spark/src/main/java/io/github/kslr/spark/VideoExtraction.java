package io.github.kslr.spark;

import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.video.VideoFrames;
import io.github.kslr.video.VideoLandmarks;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * One task's work: one video through {@link VideoLandmarks#forEachFrame}, the loop {@code kslr landmarks} runs, with a
 * landmarker of this executor's {@link ExecutorLandmarkers}. A video that cannot be read to the end gives no frame
 * rows, a video row with its error and a failure row; it never fails the task.
 *
 * <p><b>Thread-safety.</b> Immutable; Spark calls it on several task threads at once.
 */
final class VideoExtraction implements Function<String, VideoExtraction.Result> {
    private static final long serialVersionUID = 1L;

    private final LandmarkerSettings settings;
    private final int maxFrames;
    private final LongAccumulator videosDone;
    private final LongAccumulator framesDone;

    /**
     * @param maxFrames  frames a video at most (as {@code kslr landmarks --max-frames}); 0 = all
     * @param videosDone counts videos finished, for the driver's progress line
     * @param framesDone counts frames, for the driver's progress line
     */
    VideoExtraction(
            LandmarkerSettings settings, int maxFrames, LongAccumulator videosDone, LongAccumulator framesDone) {
        this.settings = settings;
        this.maxFrames = maxFrames;
        this.videosDone = videosDone;
        this.framesDone = framesDone;
    }

    /**
     * What one video gave.
     *
     * @param frames  its frame rows (none when it failed)
     * @param video   its video row
     * @param failure its failure row, or null
     */
    record Result(List<Row> frames, Row video, Row failure) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Result call(String videoId) {
        long start = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        long[] detectNanos = {0};
        int[] withHands = {0};
        HolisticLandmarker landmarker = ExecutorLandmarkers.borrow(settings);
        try (VideoFrames source = VideoFrames.open(videoId)) {
            VideoLandmarks.forEachFrame(landmarker, source, maxFrames, (index, frame, lm, nanos) -> {
                rows.add(FramesTable.toRow(videoId, index, lm));
                detectNanos[0] += nanos;
                withHands[0] += lm.hasAnyHand() ? 1 : 0;
            });
        } catch (IOException | RuntimeException e) {
            // Corrupt, truncated, zero-length or unreadable: a row in the failures table, and the job goes on.
            String message = String.valueOf(e.getMessage());
            videosDone.add(1);
            return new Result(
                    List.of(),
                    RowFactory.create(videoId, 0, 0, 0.0, (System.nanoTime() - start) / 1_000_000, message),
                    RowFactory.create(videoId, e.getClass().getSimpleName(), message));
        } finally {
            ExecutorLandmarkers.giveBack(settings, landmarker);
        }
        int n = rows.size();
        videosDone.add(1);
        framesDone.add(n);
        return new Result(
                rows,
                RowFactory.create(
                        videoId,
                        n,
                        withHands[0],
                        n == 0 ? 0.0 : detectNanos[0] / 1e6 / n,
                        (System.nanoTime() - start) / 1_000_000,
                        null),
                null);
    }
}
