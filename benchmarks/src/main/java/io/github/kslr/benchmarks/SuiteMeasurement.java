package io.github.kslr.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suite's JMH measurement, in one place: the benchmarks extend this class and JMH reads these annotations from
 * their superclass (a benchmark's own {@code @Warmup} or {@code @Measurement} replaces the inherited one);
 * {@link HardwareReport} runs them with the same settings and names them in its report.
 *
 * <p><b>Thread-safety.</b> No state.
 */
@Warmup(iterations = SuiteMeasurement.WARMUP_ITERATIONS, time = SuiteMeasurement.ITERATION_SECONDS)
@Measurement(iterations = SuiteMeasurement.MEASUREMENT_ITERATIONS, time = SuiteMeasurement.ITERATION_SECONDS)
@Fork(SuiteMeasurement.FORKS)
public abstract class SuiteMeasurement {
    /** Warm-up iterations before the measured ones. */
    public static final int WARMUP_ITERATIONS = 3;

    /** Measured iterations. */
    public static final int MEASUREMENT_ITERATIONS = 5;

    /** Seconds an iteration, warm-up or measured. */
    public static final int ITERATION_SECONDS = 1;

    /** JMH forks a benchmark. */
    public static final int FORKS = 1;
}
