package io.github.kslr.train;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link SequenceNetwork} of the configured {@link NetworkFamily} (by default the temporal convolution
 * network) on a
 * {@link SignDataset} with AdamW, augmentation, early stopping on a held-out
 * monitor split and checkpoints, and returns a {@link TrainedModel}.
 *
 * <p><b>Determinism.</b> For a given seed, data and config the result is bit-identical whatever the thread count:
 * each window's augmentation and dropout come from a random source seeded by (seed, epoch, window), and a batch's
 * gradient is the sum of fixed chunks of 8 windows, added in chunk order. Transcendental functions use
 * {@link StrictMath}, whose results do not depend on the JIT or the CPU ({@code Math.exp} may differ by an ulp
 * between the interpreter and compiled code).
 *
 * <p><b>Thread-safety.</b> A trainer holds no state between calls; {@link #train} may run on several trainers at
 * once. Each call owns a worker pool that it shuts down before returning.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int CHUNK = 8;
    /** Smallest standard deviation used to standardise a feature, in shoulder widths. */
    static final double MIN_STD = 0.05;

    private final TrainingConfig config;

    public Trainer(TrainingConfig config) {
        this.config = Checks.notNull(config, "config");
    }

    /** What {@link #train} produced. Immutable. */
    public record Result(
            TrainedModel model,
            List<EpochStats> history,
            int bestEpoch,
            double seconds,
            int trainWindows,
            int monitorWindows) {
        public Result {
            history = List.copyOf(history);
        }
    }

    /**
     * Trains on {@code data}.
     *
     * @param validation shown in the per-epoch statistics only (may be null); never used to pick the model
     * @param noSignLabel the label meaning "no sign" ({@code ""} for none)
     * @param listener progress, or null
     */
    public Result train(SignDataset data, SignDataset validation, String noSignLabel, TrainingListener listener) {
        Checks.notNull(data, "data");
        Checks.notNull(noSignLabel, "noSignLabel");
        long started = System.nanoTime();
        FeatureLayout layout = FeatureTransform.selectLayout(data);
        SignDataset all = data.convertTo(layout);
        SignDataset val = validation == null ? null : validation.convertTo(layout);
        FeatureTransform transform =
                new FeatureTransform(layout, config.handShape(), config.handAngles(), config.velocities());
        Perturbations perturb = new Perturbations(layout);
        if (config.augmentation().flipProbability() > 0 && !perturb.canMirror()) {
            throw new InvalidInputException(
                    "flip augmentation needs a mirrorable layout, " + layout.spec() + " is not");
        }
        int[][] split = monitorSplit(all);
        SignDataset fit = all.subset(split[0]);
        SignDataset monitor = all.subset(split[1]);
        int t = all.sequenceLength();
        int d = transform.outputSize();
        Standardisation stats = standardisation(fit, transform, perturb);
        SignModelMetadata meta = SignModelMetadata.of(all.labels(), layout, t)
                .withNoSignLabel(noSignLabel)
                .withNormalization(transform.description())
                .withFrameRate(all.frameRate());
        NetworkShape shape = new NetworkShape(
                t, d, config.hidden1(), config.hidden2(), all.labels().size());
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread th = new Thread(r, "kslr-train");
            th.setDaemon(true);
            return th;
        });
        try {
            // An ensemble's members share the data, the monitor split and the standardisation; each has its own
            // seed for initialisation, shuffling, augmentation and dropout (member 0 the config's own).
            Result first = null;
            List<SequenceNetwork> members = new ArrayList<>();
            for (int m = 0; m < config.ensemble(); m++) {
                long seed = m == 0 ? config.seed() : mix(config.seed(), m, -3);
                SequenceNetwork net = config.architecture().create(shape, seed);
                if (config.cosineMargin() > 0) {
                    // TrainingConfig allows a margin only with COSINE_TCN, whose networks are TemporalConvNetworks.
                    net = ((TemporalConvNetwork) net).withCosineMargin(config.cosineMargin());
                }
                LOG.info(
                        "training{} on {} windows ({} held out to monitor), layout {} ({} raw -> {} features a"
                                + " frame), {} network {} with {} parameters, {} thread(s)",
                        config.ensemble() > 1 ? " ensemble member " + (m + 1) + "/" + config.ensemble() : "",
                        fit.size(),
                        monitor.size(),
                        layout.spec(),
                        layout.size(),
                        d,
                        net.family(),
                        shape,
                        net.parameterCount(),
                        config.threads());
                Result r = run(
                        fit, monitor, val, transform, perturb, stats, meta, net, pool, listener, started, seed, m == 0);
                first = first == null ? r : first;
                members.add(r.model().network());
            }
            if (members.size() == 1 && config.embeddingWhitening() == 0) {
                return first;
            }
            TrainedModel model = members.size() == 1
                    ? first.model()
                    : new TrainedModel(meta, transform, stats.mean(), stats.invStd(), new EnsembleNetwork(members));
            if (config.embeddingWhitening() > 0) {
                model = model.withWhitening(whitening(model, all, perturb));
            }
            return new Result(
                    model,
                    first.history(),
                    first.bestEpoch(),
                    (System.nanoTime() - started) / 1e9,
                    first.trainWindows(),
                    first.monitorWindows());
        } finally {
            pool.shutdownNow();
        }
    }

    private Result run(
            SignDataset fit,
            SignDataset monitor,
            SignDataset val,
            FeatureTransform transform,
            Perturbations perturb,
            Standardisation stats,
            SignModelMetadata meta,
            SequenceNetwork net,
            ExecutorService pool,
            TrainingListener listener,
            long started,
            long seed,
            boolean checkpoints) {
        int n = net.parameterCount();
        float[] params = net.parameters();
        float[] m = new float[n];
        float[] v = new float[n];
        float[] grad = new float[n];
        int step = 0;
        float[] best = params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        List<EpochStats> history = new ArrayList<>();
        int b = config.batchSize();
        int chunksPerBatch = (b + CHUNK - 1) / CHUNK;
        float[][] chunkGrad = new float[chunksPerBatch][n];
        int[] noSignIndices = config.augmentation().noSignHandMix() > 0
                        || config.augmentation().noSignEmpty() > 0
                ? noSignWindows(fit, meta)
                : new int[0];
        for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
            long epochStart = System.nanoTime();
            double lr = config.learningRate()
                    * (0.05 + 0.95 * 0.5 * (1 + StrictMath.cos(Math.PI * (epoch - 1) / config.maxEpochs())));
            int[] order = shuffled(fit.size(), mix(seed, epoch, -1));
            double lossSum = 0;
            double correct = 0;
            for (int start = 0; start < order.length; start += b) {
                int end = Math.min(order.length, start + b);
                List<Future<LossAndHits>> tasks = new ArrayList<>();
                int chunks = (end - start + CHUNK - 1) / CHUNK;
                for (int ch = 0; ch < chunks; ch++) {
                    int from = start + ch * CHUNK;
                    int to = Math.min(end, from + CHUNK);
                    final int chunk = ch;
                    final int ep = epoch;
                    tasks.add(pool.submit(() -> chunkGradient(
                            fit,
                            order,
                            from,
                            to,
                            ep,
                            seed,
                            noSignIndices,
                            transform,
                            perturb,
                            stats,
                            net,
                            chunkGrad[chunk])));
                }
                java.util.Arrays.fill(grad, 0f);
                for (int ch = 0; ch < chunks; ch++) {
                    LossAndHits chunkResult = get(tasks.get(ch));
                    FloatMath.axpy(1f, chunkGrad[ch], 0, grad, 0, n);
                    lossSum += chunkResult.loss();
                    correct += chunkResult.hits();
                }
                step++;
                adamW(params, grad, m, v, step, lr, 1f / (end - start));
            }
            LossAndHits mon = evaluate(monitor, transform, stats, net, pool);
            double valAcc = val == null
                    ? Double.NaN
                    : evaluate(val, transform, stats, net, pool).hits();
            EpochStats es = new EpochStats(
                    epoch,
                    lossSum / order.length,
                    correct / order.length,
                    mon.loss(),
                    mon.hits(),
                    valAcc,
                    lr,
                    (System.nanoTime() - epochStart) / 1e9);
            history.add(es);
            boolean improved = mon.loss() < bestLoss;
            if (improved) {
                bestLoss = mon.loss();
                bestEpoch = epoch;
                sinceBest = 0;
                System.arraycopy(params, 0, best, 0, n);
                if (checkpoints && config.checkpointDir() != null) {
                    checkpoint(new TrainedModel(meta, transform, stats.mean(), stats.invStd(), net), es);
                }
            } else {
                sinceBest++;
            }
            // With a listener the caller shows progress; the log then keeps it at debug level.
            LOG.atLevel(listener == null ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
                    .log(
                            "epoch {}/{}: train loss {} acc {}, monitor loss {} acc {}{}, lr {}, {} s{}",
                            epoch,
                            config.maxEpochs(),
                            f4(es.trainLoss()),
                            f4(es.trainAccuracy()),
                            f4(es.monitorLoss()),
                            f4(es.monitorAccuracy()),
                            val == null ? "" : ", validation acc " + f4(valAcc),
                            String.format("%.2e", lr),
                            String.format("%.1f", es.seconds()),
                            improved ? " (best)" : "");
            if (listener != null) {
                listener.onEpoch(es, improved);
            }
            if (sinceBest >= config.patience()) {
                LOG.info(
                        "early stop: monitor loss has not improved for {} epochs; best epoch {}", sinceBest, bestEpoch);
                break;
            }
        }
        SequenceNetwork bestNet = net.withParameters(best);
        TrainedModel model = new TrainedModel(meta, transform, stats.mean(), stats.invStd(), bestNet);
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info(
                "training done in {} s, best epoch {} (monitor loss {})",
                String.format("%.1f", seconds),
                bestEpoch,
                f4(bestLoss));
        return new Result(model, history, bestEpoch, seconds, fit.size(), monitor.size());
    }

    private static String f4(double v) {
        return String.format("%.4f", v);
    }

    /** Adds the gradient of windows {@code order[from .. to)} to {@code grad} (zeroed first); their loss and hits. */
    private LossAndHits chunkGradient(
            SignDataset fit,
            int[] order,
            int from,
            int to,
            int epoch,
            long seed,
            int[] noSignIndices,
            FeatureTransform transform,
            Perturbations perturb,
            Standardisation stats,
            SequenceNetwork net,
            float[] grad) {
        java.util.Arrays.fill(grad, 0f);
        int w = fit.windowSize();
        int t = fit.sequenceLength();
        float[] raw = new float[w];
        float[] aug = new float[w];
        float[] tmp = new float[w];
        float[] donor = noSignIndices.length > 1 && config.augmentation().noSignHandMix() > 0 ? new float[w] : null;
        float[] u = new float[t * transform.outputSize()];
        SequenceNetwork.Scratch ws = net.newScratch();
        float smoothing = (float) config.labelSmoothing();
        double loss = 0;
        int correct = 0;
        for (int k = from; k < to; k++) {
            int idx = order[k];
            Random r = new Random(mix(seed, epoch, idx));
            fit.copyWindow(idx, raw, 0);
            // Drawn only for no-sign windows with mixing on, so that other recipes train exactly as before.
            if (donor != null
                    && fit.label(idx) == fit.label(noSignIndices[0])
                    && r.nextDouble() < config.augmentation().noSignHandMix()) {
                fit.copyWindow(noSignIndices[r.nextInt(noSignIndices.length)], donor, 0);
                config.augmentation().mixNoSignHand(perturb, raw, donor, tmp, t, r);
            }
            config.augmentation().apply(perturb, raw, 0, aug, 0, tmp, t, r);
            // Last, so that nothing drawn after it puts a point back (noise, say).
            if (noSignIndices.length > 0 && fit.label(idx) == fit.label(noSignIndices[0])) {
                config.augmentation().emptyNoSign(aug, 0, w, r);
            }
            features(aug, transform, stats, u);
            net.forward(u, 0, ws, (float) config.dropout(), r);
            int label = fit.label(idx);
            loss += net.loss(ws, label, smoothing);
            correct += argmax(ws.probabilities()) == label ? 1 : 0;
            net.backward(u, 0, ws, label, smoothing, grad);
        }
        return new LossAndHits(loss, correct);
    }

    /** The windows of {@code data} labelled as the model's no-sign label (none when it has none). */
    private static int[] noSignWindows(SignDataset data, SignModelMetadata meta) {
        int label = meta.noSignLabel().isEmpty() ? -1 : data.labels().indexOf(meta.noSignLabel());
        return java.util.stream.IntStream.range(0, data.size())
                .filter(i -> label >= 0 && data.label(i) == label)
                .toArray();
    }

    static void features(float[] raw, FeatureTransform transform, Standardisation stats, float[] u) {
        int d = transform.outputSize();
        int t = u.length / d;
        transform.apply(raw, 0, t, u, 0);
        float[] mean = stats.mean();
        float[] inv = stats.invStd();
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < d; i++) {
                u[f * d + i] = (u[f * d + i] - mean[i]) * inv[i];
            }
        }
    }

    /** Mean cross-entropy loss and accuracy of {@code data} without augmentation. */
    private static LossAndHits evaluate(
            SignDataset data,
            FeatureTransform transform,
            Standardisation stats,
            SequenceNetwork net,
            ExecutorService pool) {
        int chunk = 64;
        List<Future<LossAndHits>> tasks = new ArrayList<>();
        for (int from = 0; from < data.size(); from += chunk) {
            final int f0 = from;
            final int f1 = Math.min(data.size(), from + chunk);
            tasks.add(pool.submit(() -> {
                float[] raw = new float[data.windowSize()];
                float[] u = new float[data.sequenceLength() * transform.outputSize()];
                SequenceNetwork.Scratch ws = net.newScratch();
                double loss = 0;
                double correct = 0;
                for (int i = f0; i < f1; i++) {
                    data.copyWindow(i, raw, 0);
                    features(raw, transform, stats, u);
                    net.forward(u, 0, ws, 0f, null);
                    loss += net.loss(ws, data.label(i), 0f);
                    correct += argmax(ws.probabilities()) == data.label(i) ? 1 : 0;
                }
                return new LossAndHits(loss, correct);
            }));
        }
        double loss = 0;
        double correct = 0;
        for (Future<LossAndHits> f : tasks) {
            LossAndHits r = get(f);
            loss += r.loss();
            correct += r.hits();
        }
        return new LossAndHits(loss / data.size(), correct / data.size());
    }

    private void adamW(float[] p, float[] g, float[] m, float[] v, int step, double lr, float gradScale) {
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - StrictMath.pow(b1, step);
        double c2 = 1 - StrictMath.pow(b2, step);
        float a = (float) (lr * Math.sqrt(c2) / c1);
        float decay = (float) (1 - lr * config.weightDecay());
        float fb1 = (float) b1;
        float fb2 = (float) b2;
        float eps = (float) (1e-8 * Math.sqrt(c2));
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] * gradScale;
            m[i] = fb1 * m[i] + (1 - fb1) * gi;
            v[i] = fb2 * v[i] + (1 - fb2) * gi * gi;
            p[i] = p[i] * decay - a * m[i] / ((float) Math.sqrt(v[i]) + eps);
        }
    }

    /**
     * The whitening of {@code model}'s embeddings fitted to all training windows and, where the layout can be
     * mirrored, their mirror images (as the standardisation: the embedder learnt both).
     */
    private EmbeddingWhitening whitening(TrainedModel model, SignDataset all, Perturbations perturb) {
        int n = all.size();
        float[] windows = all.windows();
        int[] labels = all.labelsArray();
        if (perturb.canMirror()) {
            int w = all.windowSize();
            float[] both = Arrays.copyOf(windows, 2 * n * w);
            for (int i = 0; i < n; i++) {
                perturb.mirror(windows, i * w, both, (n + i) * w, all.sequenceLength());
            }
            windows = both;
            labels = IntStream.concat(Arrays.stream(labels), Arrays.stream(labels))
                    .toArray();
        }
        int count = labels.length;
        return EmbeddingWhitening.fit(
                model.embeddings(windows, count), labels, count, model.embeddingSize(), config.embeddingWhitening());
    }

    /** Per-feature mean and 1/std over the fitting windows and their mirror images (so a flip keeps the statistics). */
    private static Standardisation standardisation(SignDataset fit, FeatureTransform transform, Perturbations perturb) {
        int d = transform.outputSize();
        int t = fit.sequenceLength();
        double[] sum = new double[d];
        double[] sq = new double[d];
        float[] raw = new float[fit.windowSize()];
        float[] mir = new float[fit.windowSize()];
        float[] u = new float[t * d];
        long frames = 0;
        boolean mirror = perturb.canMirror();
        for (int i = 0; i < fit.size(); i++) {
            fit.copyWindow(i, raw, 0);
            for (int pass = 0; pass < (mirror ? 2 : 1); pass++) {
                float[] src = raw;
                if (pass == 1) {
                    perturb.mirror(raw, 0, mir, 0, t);
                    src = mir;
                }
                transform.apply(src, 0, t, u, 0);
                for (int f = 0; f < t; f++) {
                    for (int k = 0; k < d; k++) {
                        double x = u[f * d + k];
                        sum[k] += x;
                        sq[k] += x * x;
                    }
                }
                frames += t;
            }
        }
        float[] mean = new float[d];
        float[] inv = new float[d];
        for (int k = 0; k < d; k++) {
            double mu = sum[k] / frames;
            double var = Math.max(sq[k] / frames - mu * mu, 0);
            double sd = Math.sqrt(var);
            mean[k] = (float) mu;
            // Features are in shoulder widths; a floor keeps nearly constant ones (e.g. a wrist's offset from
            // itself) from being blown up when augmentation later moves them.
            inv[k] = (float) (1 / Math.max(sd, MIN_STD));
        }
        return new Standardisation(mean, inv);
    }

    /** [fit indices, monitor indices]: a seeded share of each class held out. */
    private int[][] monitorSplit(SignDataset data) {
        int classes = data.labels().size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.label(i)).add(i);
        }
        Random r = new Random(mix(config.seed(), 0, -2));
        List<Integer> fit = new ArrayList<>();
        List<Integer> mon = new ArrayList<>();
        for (List<Integer> idx : byClass) {
            java.util.Collections.shuffle(idx, r);
            int k = idx.size() >= 2 ? Math.max(1, (int) Math.round(idx.size() * config.monitorFraction())) : 0;
            mon.addAll(idx.subList(0, k));
            fit.addAll(idx.subList(k, idx.size()));
        }
        if (fit.isEmpty() || mon.isEmpty()) {
            throw new InvalidInputException("too little training data: " + data.size() + " windows");
        }
        java.util.Collections.sort(fit);
        java.util.Collections.sort(mon);
        return new int[][] {
            fit.stream().mapToInt(Integer::intValue).toArray(),
            mon.stream().mapToInt(Integer::intValue).toArray()
        };
    }

    private void checkpoint(TrainedModel model, EpochStats es) {
        try {
            Files.createDirectories(config.checkpointDir());
            AtomicFiles.write(
                    config.checkpointDir().resolve("best.onnx"), OnnxExport.toBytes(model, WeightPrecision.FLOAT32));
            Files.writeString(
                    config.checkpointDir().resolve("best.txt"),
                    "epoch=" + es.epoch() + "\nmonitor_loss=" + es.monitorLoss() + "\nmonitor_accuracy="
                            + es.monitorAccuracy() + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + config.checkpointDir(), e);
        }
    }

    /** Per-feature mean and reciprocal standard deviation, learned from the fitting windows. */
    record Standardisation(float[] mean, float[] invStd) {}

    /** A sum (or mean) of cross-entropy losses and of correct predictions (or the accuracy). */
    record LossAndHits(double loss, double hits) {}

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }

    /** SplitMix64 over (seed, a, b): independent-looking seeds for each epoch and window. */
    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("training task failed: " + c, c);
        }
    }
}
