package io.github.kslr.api.testing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.opentest4j.AssertionFailedError;

/**
 * The parsers' standing fuzz properties (#18): damaged copies of a real file ({@link ByteMutations}), and what every
 * parser must do with one - return, or throw one of the named exceptions it documents; never anything else (an
 * {@code IndexOutOfBoundsException}, a {@code NegativeArraySizeException}, an {@code OutOfMemoryError}) - while
 * allocating at most {@link #MAX_ALLOCATION} bytes of Java heap on the calling thread (a forged length field must be
 * refused before it is believed).
 *
 * <p>Plain JUnit 5, so they run in every module's normal Surefire JVM. Runs are reproducible: the mutant seeds come
 * from {@code -Dkslr.fuzz.seed} (default fixed, so CI is deterministic; {@code random} draws one and prints it) and
 * the property's name; {@code -Dkslr.fuzz.scale=10} runs ten times the tries for a longer local session.
 *
 * <p>Allocation is measured with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, so it counts the
 * calling thread's heap allocation only: native memory (ONNX Runtime's) is not seen; there the check is that no
 * {@code Error} escapes.
 */
public final class FuzzChecks {
    /** The most heap one parse of a small (KB to sub-MB) input may allocate. */
    public static final long MAX_ALLOCATION = 64L << 20;
    /** Failures reported at most per property (the first ones; the rest are counted). */
    private static final int REPORTED = 5;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long BASE_SEED = baseSeed();
    /** Parses accepted and refused on this thread since the current property began (for its summary line). */
    private static final ThreadLocal<long[]> COUNTS = ThreadLocal.withInitial(() -> new long[2]);

    private FuzzChecks() {}

    private static long baseSeed() {
        String s = System.getProperty("kslr.fuzz.seed", "18");
        if (s.equals("random")) {
            long seed = new SplittableRandom().nextLong();
            System.out.println("kslr.fuzz.seed=" + seed);
            return seed;
        }
        return Long.parseLong(s);
    }

    /** {@code tries} scaled by {@code -Dkslr.fuzz.scale}. */
    public static int tries(int tries) {
        return (int) Math.max(1, tries * Double.parseDouble(System.getProperty("kslr.fuzz.scale", "1")));
    }

    /**
     * Runs {@code check} on {@link #tries tries(tries)} mutants of {@code seed}, then fails listing the first few
     * mutants that failed (each description names the seed that rebuilds it).
     */
    public static void forEachMutant(String property, byte[] seed, int tries, Consumer<ByteMutations.Mutant> check) {
        SplittableRandom seeds = new SplittableRandom(BASE_SEED ^ property.hashCode() * 0x9E3779B97F4A7C15L);
        List<String> failures = new ArrayList<>();
        int failed = 0;
        int n = tries(tries);
        long[] counts = COUNTS.get();
        counts[0] = 0;
        counts[1] = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ByteMutations.Mutant m = ByteMutations.mutate(seed, seeds.nextLong());
            try {
                check.accept(m);
            } catch (AssertionError e) {
                failed++;
                if (failures.size() < REPORTED) {
                    failures.add(e.getMessage() + (e.getCause() == null ? "" : "\n    " + trace(e.getCause())));
                }
            }
        }
        // One line a property, so a run shows how deep the mutants got (all refused at the magic is a weak fuzz).
        System.out.printf(
                "fuzz %s: %d mutants, %d parses accepted, %d refused by name, %d failed, %d ms%n",
                property, n, counts[0], counts[1], failed, (System.nanoTime() - start) / 1_000_000);
        if (failed > 0) {
            throw new AssertionFailedError(property + ": " + failed + " of " + n + " mutants failed (base seed "
                    + BASE_SEED + "); first:\n  " + String.join("\n  ", failures));
        }
    }

    private static String trace(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return t + " at " + Arrays.toString(Arrays.copyOf(st, Math.min(4, st.length)));
    }

    /** How a parse ended. */
    public record Outcome<T>(T value, RuntimeException refusal, long allocatedBytes) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Runs {@code parse}; fails (with {@code input} in the message) unless it returns or throws an instance of one of
     * {@code allowed}, within {@link #MAX_ALLOCATION} bytes.
     */
    @SafeVarargs
    public static <T> Outcome<T> parses(Object input, Callable<T> parse, Class<? extends RuntimeException>... allowed) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        T value = null;
        RuntimeException refusal = null;
        try {
            value = parse.call();
        } catch (Throwable t) {
            boolean named = false;
            java.util.List<String> names = new java.util.ArrayList<>();
            for (Class<? extends RuntimeException> c : allowed) {
                named |= c.isInstance(t);
                names.add(c.getSimpleName());
            }
            if (!named) {
                throw new AssertionFailedError("input " + input + " threw " + t + ", not one of " + names, t);
            }
            refusal = (RuntimeException) t;
        }
        long allocated = THREADS.getThreadAllocatedBytes(id) - before;
        COUNTS.get()[refusal == null ? 0 : 1]++;
        if (allocated > MAX_ALLOCATION) {
            throw new AssertionFailedError("input " + input + " made the parser allocate " + (allocated >> 20)
                    + " MB (limit " + (MAX_ALLOCATION >> 20) + " MB) before "
                    + (refusal == null ? "returning" : "refusing it: " + refusal));
        }
        return new Outcome<>(value, refusal, allocated);
    }
}
