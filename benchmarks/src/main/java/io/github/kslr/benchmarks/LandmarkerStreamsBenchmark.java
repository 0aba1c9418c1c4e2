package io.github.kslr.benchmarks;

import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.RunningMode;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import java.io.IOException;
import java.nio.file.Paths;
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
 * Several camera streams at once: each JMH thread is one stream with its own {@link HolisticLandmarker} in video
 * mode, all sharing one {@link LandmarkerModels} (the SDK's intended shape for a server). Run with {@code -t N} for N
 * streams; the throughput score is frames/s summed over the streams and the average-time score is one frame's
 * latency in one stream.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LandmarkerStreams -t 8 -p device=cuda -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Threads(1)
public class LandmarkerStreamsBenchmark extends SuiteMeasurement {

    /** The models and the decoded clip, shared by every stream. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"../shared/media/signing/test_video.mp4"})
        public String video;

        @Param({"cpu"})
        public String device;

        /** ONNX Runtime threads per model session (the landmarker's default is 1). */
        @Param({"1"})
        public int threads;

        /**
         * true: every stream shares one LandmarkerModels (the SDK's intended shape); false: each stream loads its own
         * sessions (on CUDA, ONNX Runtime's convolution kernels lock their per-node state during a call, so streams
         * sharing a session take turns launching each convolution).
         */
        @Param({"true"})
        public boolean sharedModels;

        /** Each stream's face branch on a second thread ({@code HolisticLandmarker.Builder#faceInParallel}). */
        @Param({"false"})
        public boolean faceInParallel;

        LandmarkerModels models;
        List<ImageFrame> frames;

        @Setup(Level.Trial)
        public void setUp() throws IOException, InterruptedException {
            frames = LandmarkerBenchmark.decode(Paths.get(video));
            models = newModels();
        }

        LandmarkerModels newModels() {
            return LandmarkerModels.builder()
                    .device(ExecutionDevice.parse(device))
                    .intraOpThreads(threads)
                    .build();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            models.close();
        }
    }

    /** One stream: its own landmarker and position in the clip (streams start at different frames). */
    @State(Scope.Thread)
    public static class Stream {
        HolisticLandmarker landmarker;
        /** This stream's own models when {@code sharedModels} is false, else null. */
        LandmarkerModels ownModels;

        int next;
        long timestampMs;

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            ownModels = shared.sharedModels ? null : shared.newModels();
            LandmarkerModels models = ownModels != null ? ownModels : shared.models;
            landmarker = HolisticLandmarker.builder(models)
                    .runningMode(RunningMode.VIDEO)
                    .faceInParallel(shared.faceInParallel)
                    .build();
            next = (int) (Thread.currentThread().getId() % shared.frames.size());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            landmarker.close();
            if (ownModels != null) {
                ownModels.close();
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public HolisticLandmarks frame(Shared shared, Stream s) {
        if (s.next == shared.frames.size()) {
            s.next = 0;
            s.landmarker.reset();
        }
        s.timestampMs += 33;
        return s.landmarker.detect(shared.frames.get(s.next++).withTimestamp(s.timestampMs));
    }
}
