package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.Prediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Native and direct memory follow what is in use, not what was ever used: create/use/close cycles and thousands of
 * short-lived calling threads run in a JVM with little direct memory (a scratch kept per thread once ran out of it at
 * cycle 73 and at thread 4,614 with 64 MB).
 */
class ClassifierLeakTest {
    static final int CYCLES = 200;
    static final int THREADS = 3000;

    @Test
    void cyclesAndShortThreadsRunInBoundedDirectMemory() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-XX:MaxDirectMemorySize=32m",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ClassifierLeakTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("cycles=" + CYCLES + " threads=" + THREADS), out);
    }

    /** The child JVM: exits 0 only when every cycle and every thread got its predictions. */
    public static void main(String[] args) throws Exception {
        float[] batch = null;
        for (int c = 0; c < CYCLES; c++) {
            try (OnnxSignClassifier classifier =
                    OnnxSignClassifier.builder().model(DemoSignModel.source()).build()) {
                if (batch == null) {
                    batch = new float
                            [64
                                    * classifier.metadata().sequenceLength()
                                    * classifier.metadata().layout().size()];
                }
                List<Prediction> out = classifier.classifyBatch(batch, 64);
                if (out.size() != 64) {
                    throw new AssertionError("cycle " + c + ": " + out.size() + " predictions");
                }
            }
        }
        try (OnnxSignClassifier classifier =
                OnnxSignClassifier.builder().model(DemoSignModel.source()).build()) {
            float[] window = new float
                    [classifier.metadata().sequenceLength()
                            * classifier.metadata().layout().size()];
            Throwable[] failure = new Throwable[1];
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> classifier.classify(window));
                thread.setUncaughtExceptionHandler((th, e) -> failure[0] = e);
                thread.start();
                thread.join();
                if (failure[0] != null) {
                    throw new AssertionError("thread " + t + " failed", failure[0]);
                }
            }
        }
        System.out.println("cycles=" + CYCLES + " threads=" + THREADS);
        System.exit(0);
    }
}
