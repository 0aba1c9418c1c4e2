package io.github.kslr.benchmarks;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.SequenceBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the sliding window on the hot path: pushing one frame, and pushing plus copying the window into the
 * direct buffer a classifier's input tensor wraps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SequenceBufferBenchmark extends SuiteMeasurement {

    @Param({"reports-177", "holistic-1662"})
    public String layout;

    private SequenceBuffer buffer;
    private float[] frame;
    private FloatBuffer window;

    @Setup
    public void setUp() {
        FeatureLayout l = FeatureLayout.of(layout);
        buffer = SequenceBuffer.of(30, l);
        frame = new float[l.size()];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = 0.25f + i * 1e-4f;
        }
        window = ByteBuffer.allocateDirect(4 * buffer.windowSize())
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < 30; i++) {
            buffer.push(frame);
        }
    }

    @Benchmark
    public boolean push() {
        return buffer.push(frame);
    }

    @Benchmark
    public FloatBuffer pushAndCopyWindow() {
        buffer.push(frame);
        window.clear();
        buffer.copyWindow(window);
        return window;
    }
}
