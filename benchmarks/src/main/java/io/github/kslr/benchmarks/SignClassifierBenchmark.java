package io.github.kslr.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.SignModelBuilder;
import io.github.kslr.recognizer.OnnxSignClassifier;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * The sign classifier on the reports-sized model (first KSL report, figure 3.5: 30 frames x 177 features -> LSTM 64
 * -> LSTM 128 -> Dense 64 -> Dense 21, softmax; random weights, which cost the same as trained ones), one
 * {@code classifyBatch} call of {@code batchSize} windows, including input checks, the copy into the input tensor
 * and building the predictions.
 *
 * <ul>
 *   <li>{@code latency}: sample mode, per-call percentiles (per window = per call / batchSize);</li>
 *   <li>{@code throughput}: calls/s, with the secondary result {@code windows} = windows/s;</li>
 *   <li>{@code naiveOrtLatency}: an experimental control, not SDK code — the same model through ONNX Runtime used
 *       the plain way (a new input tensor from a heap array and a new output read back with {@code getValue()}
 *       every call, argmax only), to show what the classifier's reused direct tensors and pinned outputs save.
 *       CPU only.</li>
 * </ul>
 * {@code provider} is {@code cpu} by default; {@code -p provider=cuda} runs on GPU 0 and fails the run at setup with
 * a {@code DeviceUnavailableException} when CUDA cannot be loaded (there is no silent CPU fallback here).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar SignClassifier -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignClassifierBenchmark extends SuiteMeasurement {
    /** The first report's class count. */
    static final int CLASSES = 21;

    static final int FRAMES = 30;

    @Param({"1", "8", "64"})
    public int batchSize;

    @Param({"cpu"})
    public String provider;

    @Param({"1"})
    public int intraOpThreads;

    private OnnxSignClassifier classifier;
    private float[] windows;
    private OrtSession naiveSession;
    private long[] naiveShape;

    @Setup(Level.Trial)
    public void setUp() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < CLASSES; i++) {
            labels.add("sign" + i);
        }
        SignModelMetadata metadata = SignModelMetadata.of(labels, FeatureLayout.REPORTS_177, FRAMES);
        byte[] model = SignModelBuilder.builder(metadata)
                .lstmUnits(64, 128)
                .denseUnits(64)
                .randomWeights(42)
                .build();
        ExecutionDevice device = ExecutionDevice.parse(provider);
        classifier = OnnxSignClassifier.builder()
                .model(model, "reports-sized random model")
                .device(device)
                .intraOpThreads(intraOpThreads)
                .maxBatch(Math.max(64, batchSize))
                .build();
        Random r = new Random(1);
        windows = new float[batchSize * metadata.windowSize()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = r.nextFloat();
        }
        // One call outside measurement so that session warm-up (and CUDA context creation) is not timed.
        classifier.classifyBatch(windows, batchSize);
        naiveShape = new long[] {batchSize, FRAMES, FeatureLayout.REPORTS_177.size()};
        if (device.kind() == ExecutionDevice.Kind.CPU) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                o.setIntraOpNumThreads(intraOpThreads);
                o.setInterOpNumThreads(1);
                naiveSession = OrtEnvironment.getEnvironment().createSession(model, o);
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        classifier.close();
        if (naiveSession != null) {
            naiveSession.close();
        }
    }

    /** Windows classified, reported as a rate next to calls/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Windows {
        public long windows;

        @Setup(Level.Iteration)
        public void reset() {
            windows = 0;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public List<Prediction> latency() {
        return classifier.classifyBatch(windows, batchSize);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<Prediction> throughput(Windows counter) {
        counter.windows += batchSize;
        return classifier.classifyBatch(windows, batchSize);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int naiveOrtLatency() throws OrtException {
        if (naiveSession == null) {
            throw new IllegalStateException("naiveOrtLatency is a CPU-only control");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(windows), naiveShape);
                OrtSession.Result result = naiveSession.run(Map.of(SignModelBuilder.INPUT_NAME, input))) {
            float[][] probabilities = (float[][]) result.get(0).getValue();
            int sum = 0;
            for (float[] p : probabilities) {
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                sum += best;
            }
            return sum;
        }
    }
}
