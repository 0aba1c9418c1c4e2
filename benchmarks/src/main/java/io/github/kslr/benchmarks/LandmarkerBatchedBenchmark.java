package io.github.kslr.benchmarks;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.landmarks.MultiStreamLandmarker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Several camera streams through the batched path: each JMH thread drives one {@link MultiStreamLandmarker} that
 * advances {@code streams} streams a frame per call, each model stage running once over every stream's crops; all
 * threads share one {@link LandmarkerModels}. {@code -t 1 -p streams=8} is 8 streams in one thread; {@code -t 2 -p
 * streams=4} is 8 streams in two threads, whose crops and decoding overlap the other thread's model calls. The
 * comparison is {@link LandmarkerStreamsBenchmark} (one {@code HolisticLandmarker} per stream, a JMH thread each). The
 * score is steps/s summed over threads (ops/s; one step = one frame of every stream of one thread), so frames/s over
 * all streams is the score times {@code streams}; or a step's latency. (A JMH auxiliary frame counter was dropped:
 * with several threads it also counted frames made while the other threads were still warming up or finishing.)
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LandmarkerBatched -p streams=8 -p device=cuda -p fixedBatches=true,false \
 *     -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Threads(1)
public class LandmarkerBatchedBenchmark extends SuiteMeasurement {

    /** One thread's streams: its own multi-stream landmarker and each stream's position in the clip. */
    @State(Scope.Thread)
    public static class Streams {
        @Param({"1", "8"})
        public int streams;

        /** MultiStreamLandmarker.Builder.fixedBatches: auto (on for CUDA, off for the CPU), true or false. */
        @Param({"auto"})
        public String fixedBatches;

        MultiStreamLandmarker landmarker;
        int[] next;
        long timestampMs;
        final List<ImageFrame> step = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp(LandmarkerStreamsBenchmark.Shared shared) {
            MultiStreamLandmarker.Builder builder =
                    MultiStreamLandmarker.builder(shared.models).streams(streams);
            if (!"auto".equals(fixedBatches)) {
                builder.fixedBatches(Boolean.parseBoolean(fixedBatches));
            }
            landmarker = builder.build();
            // Streams start at different frames of the clip, as independent cameras would.
            int frames = shared.frames.size();
            long thread = Thread.currentThread().getId();
            next = new int[streams];
            for (int i = 0; i < streams; i++) {
                next[i] = (int) ((thread + (long) i * frames / streams) % frames);
                step.add(null);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            landmarker.close();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<HolisticLandmarks> step(LandmarkerStreamsBenchmark.Shared shared, Streams s) {
        s.timestampMs += 33;
        List<ImageFrame> frames = shared.frames;
        for (int i = 0; i < s.streams; i++) {
            if (s.next[i] == frames.size()) {
                s.next[i] = 0;
                s.landmarker.reset(i);
            }
            s.step.set(i, frames.get(s.next[i]++).withTimestamp(s.timestampMs));
        }
        return s.landmarker.detect(s.step);
    }
}
