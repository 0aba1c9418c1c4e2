package io.github.kslr.benchmarks;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LiveStream;
import io.github.kslr.api.PixelFormat;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
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

/**
 * What {@link LiveStream#offer} costs the camera thread: copying one frame into the stream's reused buffer while the
 * step is busy (the step here blocks until tear-down, so every offer replaces the waiting frame, as with a step
 * slower than the camera).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LiveStreamBenchmark extends SuiteMeasurement {

    /** Camera frame sizes, BGR. */
    @Param({"640x480", "1280x720", "1920x1080"})
    public String size;

    private LiveStream<Object> live;
    private final CountDownLatch release = new CountDownLatch(1);
    private ByteBuffer pixels;
    private int width;
    private int height;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        String[] wh = size.split("x");
        width = Integer.parseInt(wh[0]);
        height = Integer.parseInt(wh[1]);
        // A camera's buffer: direct, as FFmpeg's, OpenCV's or a JNI camera's would be.
        pixels = ByteBuffer.allocateDirect(width * height * 3);
        for (int i = 0; i < pixels.capacity(); i++) {
            pixels.put(i, (byte) i);
        }
        live = LiveStream.builder((ImageFrame f) -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                })
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        release.countDown();
        live.close();
    }

    @Benchmark
    public boolean offer() {
        return live.offer(ImageFrame.packed(width, height, PixelFormat.BGR, pixels, ++timestamp));
    }
}
