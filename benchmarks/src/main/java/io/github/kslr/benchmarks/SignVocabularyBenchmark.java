package io.github.kslr.benchmarks;

import io.github.kslr.api.Prediction;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.recognizer.VocabularySignClassifier;
import java.util.Random;
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
 * Teaching and recognising signs with the bundled sign embedder, one thread: {@link #enrolFiveTakes} embeds 5 windows
 * and adds them to the vocabulary as a sign; {@link #classify} classifies one window against a vocabulary of
 * {@code signs} signs (embedding included). Windows are random landmarks of the embedder's layout: the cost does not
 * depend on what they show.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignVocabularyBenchmark extends SuiteMeasurement {

    @Param({"500"})
    public int signs;

    private OnnxSignEmbedder embedder;
    private SignVocabulary vocabulary;
    private VocabularySignClassifier classifier;
    private float[] window;
    private float[] fiveWindows;
    private int taught;

    @Setup(Level.Trial)
    public void setUp() {
        embedder = OnnxSignEmbedder.open(DemoSignModel.embedderSource());
        vocabulary = SignVocabulary.create(embedder.metadata());
        int w = embedder.windowSize();
        Random r = new Random(1);
        fiveWindows = new float[5 * w];
        for (int i = 0; i < fiveWindows.length; i++) {
            fiveWindows[i] = r.nextFloat();
        }
        window = java.util.Arrays.copyOf(fiveWindows, w);
        float[] takes = embedder.embed(fiveWindows, 5);
        float[] mirrored = embedder.embedMirrored(fiveWindows, 5);
        for (int s = 0; s < signs; s++) {
            // As kslr enrol and the web demo teach: each sign with its takes' mirror images (two prototypes).
            vocabulary.add("sign" + s, "", "", takes, mirrored, 5);
        }
        classifier = VocabularySignClassifier.builder(embedder, vocabulary).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        classifier.close();
        embedder.close();
    }

    @Benchmark
    public Prediction classify() {
        return classifier.classify(window);
    }

    @Benchmark
    public int enrolFiveTakes() {
        float[] takes = embedder.embed(fiveWindows, 5);
        vocabulary.add("new" + taught++, "", "", takes, embedder.embedMirrored(fiveWindows, 5), 5);
        return taught;
    }
}
