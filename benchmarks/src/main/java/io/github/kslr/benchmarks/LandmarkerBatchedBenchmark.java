package io.github.kslr.benchmarks;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.landmarks.MultiStreamLandmarker;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Several camera streams through the batched path in one thread: one {@link MultiStreamLandmarker} advances all
 * streams a frame per call, each model stage running once over every stream's crops. The comparison is
 * {@link LandmarkerStreamsBenchmark} (one landmarker per stream, a JMH thread each). The primary score is steps/s
 * (ops/s; one step = one frame of every stream) or a step's latency; the {@code frames} secondary score is
 * frames/s summed over the streams (ops/s only).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LandmarkerBatched -p streams=8 -p device=cuda -p fixedBatches=true,false \
 *     -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class LandmarkerBatchedBenchmark {
    @Param({"../shared/media/signing/test_video.mp4"})
    public String video;

    @Param({"cpu"})
    public String device;

    /** ONNX Runtime threads per model session (the landmarker's default is 1). */
    @Param({"1"})
    public int threads;

    @Param({"1", "8"})
    public int streams;

    /** MultiStreamLandmarker.Builder.fixedBatches: auto (on for CUDA, off for the CPU), true or false. */
    @Param({"auto"})
    public String fixedBatches;

    private LandmarkerModels models;
    private MultiStreamLandmarker landmarker;
    private List<ImageFrame> frames;
    private int[] next;
    private long timestampMs;
    private final List<ImageFrame> step = new ArrayList<>();

    /** Frames processed, summed over streams: JMH reports it as a rate next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long frames;

        @Setup(Level.Iteration)
        public void clear() {
            frames = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        frames = LandmarkerBenchmark.decode(Paths.get(video));
        models = LandmarkerModels.builder().device(ExecutionDevice.parse(device)).intraOpThreads(threads).build();
        MultiStreamLandmarker.Builder builder = MultiStreamLandmarker.builder(models).streams(streams);
        if (!"auto".equals(fixedBatches)) {
            builder.fixedBatches(Boolean.parseBoolean(fixedBatches));
        }
        landmarker = builder.build();
        // Streams start at different frames of the clip, as independent cameras would.
        next = new int[streams];
        for (int i = 0; i < streams; i++) {
            next[i] = (int) ((long) i * frames.size() / streams);
            step.add(null);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        landmarker.close();
        models.close();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<HolisticLandmarks> step(Counters counters) {
        timestampMs += 33;
        for (int i = 0; i < streams; i++) {
            if (next[i] == frames.size()) {
                next[i] = 0;
                landmarker.reset(i);
            }
            step.set(i, frames.get(next[i]++).withTimestamp(timestampMs));
        }
        counters.frames += streams;
        return landmarker.detect(step);
    }
}
