package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.recognizer.OpenSetRejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few-shot protocol: how well signs the embedder never saw are recognised from k takes by one signer, on other
 * signers. The sign labels (all but the no-sign label) are dealt into folds; for each fold an embedder
 * ({@link NetworkFamily#COSINE_TCN}) trains without the fold's labels. Each fold label is then enrolled from ONE
 * session (draw 0: the lowest session id holding it, its first k windows in file order; later draws: a random
 * session and k random windows of it) as the normalised mean of the takes' embeddings (a prototype), and tested on
 * every window of it in the other sessions. The no-sign windows and the other folds' labels (never enrolled) must be
 * rejected. A window goes to the prototype of highest cosine similarity, or to none when the run-time rule
 * ({@link OpenSetRejection}, exactly as {@code VocabularySignClassifier} applies it) rejects it: below the threshold,
 * or not {@code margin} above its best similarity to the fold embedder's background prototypes
 * ({@link EmbedderBackground}: computed from that embedder's training data, as {@code kslr train-embedder} does).
 *
 * <p>For comparison every draw is also scored by the rule before background prototypes: a single threshold
 * calibrated on the embedder's own training labels ({@link #calibrate}).
 *
 * <p>Note: the embedder trains on the no-sign label and on the other folds' labels, and the background prototypes
 * are means of those windows, so those negatives are windows it has seen (as classes it was taught, in every
 * session); only the fold's labels are truly new. For a deployed embedder the no-sign windows are of that kind too
 * (no sign looks alike in any sign language); the other folds' labels stand for signs of its training language.
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
public final class FewShotEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(FewShotEvaluation.class);

    private FewShotEvaluation() {
    }

    /**
     * One enrolment draw's figures. Immutable.
     *
     * @param background        true: the run-time rule (threshold and background margin); false: the single
     *                          threshold calibrated on the embedder's training labels (the rule before)
     * @param noSignFalseAccept the share of no-sign windows given a sign
     * @param otherFalseAccept  the share of the other folds' sign windows given a sign
     */
    public record Outcome(int fold, int shots, int draw, boolean background, double threshold,
            double closedSetAccuracy, double accuracy, double macroF1, double falseAccept, double rejected,
            double noSignFalseAccept, double otherFalseAccept) {
    }

    /** All draws of all folds, each scored by the run-time rule and by the single calibrated threshold. Immutable. */
    public record Report(List<Outcome> outcomes, List<List<String>> folds, String recipe) {

        /** The mean and spread of a figure over the folds and draws of {@code shots} takes. */
        public CrossValidation.Report.Spread spread(int shots, boolean background,
                java.util.function.ToDoubleFunction<Outcome> figure) {
            return CrossValidation.spread(outcomes.stream().filter(o -> o.shots() == shots
                    && o.background() == background).mapToDouble(figure).toArray());
        }

        /** One line for {@code shots}: accuracy=... macro_f1=... false_accept=... rejected=... (means). */
        public String summaryLine(int shots, boolean background) {
            return String.format(Locale.ROOT, "%sshots=%d accuracy=%.4f macro_f1=%.4f false_accept=%.4f"
                    + " rejected=%.4f closed_set=%.4f", background ? "" : "threshold only: ", shots,
                    spread(shots, background, Outcome::accuracy).mean(),
                    spread(shots, background, Outcome::macroF1).mean(),
                    spread(shots, background, Outcome::falseAccept).mean(),
                    spread(shots, background, Outcome::rejected).mean(),
                    spread(shots, background, Outcome::closedSetAccuracy).mean());
        }

        public String text() {
            StringBuilder sb = new StringBuilder("few-shot protocol: ").append(folds.size())
                    .append(" folds of unseen labels, one session enrolled, other sessions tested\n");
            sb.append("recipe: ").append(recipe).append('\n');
            for (int f = 0; f < folds.size(); f++) {
                sb.append("fold ").append(f + 1).append(" labels: ").append(folds.get(f)).append('\n');
            }
            sb.append("rule: run time = threshold and margin over the embedder's background prototypes (as"
                    + " VocabularySignClassifier); threshold only = one threshold calibrated on the embedder's"
                    + " training labels (the rule before)\n");
            sb.append(String.format(Locale.ROOT, "%-5s %-6s %-5s %-10s %9s %10s %9s %9s %12s %9s %8s %8s%n", "fold",
                    "shots", "draw", "rule", "threshold", "closed-set", "accuracy", "macro_f1", "false_accept",
                    "rejected", "no-sign", "other"));
            for (Outcome o : outcomes) {
                sb.append(String.format(Locale.ROOT, "%-5d %-6d %-5d %-10s %9.4f %10.4f %9.4f %9.4f %12.4f %9.4f"
                        + " %8.4f %8.4f%n", o.fold(), o.shots(), o.draw(), o.background() ? "run-time" : "thr-only",
                        o.threshold(), o.closedSetAccuracy(), o.accuracy(), o.macroF1(), o.falseAccept(),
                        o.rejected(), o.noSignFalseAccept(), o.otherFalseAccept()));
            }
            int foldCount = folds.size();
            for (boolean bg : new boolean[] {false, true}) {
                for (int k : outcomes.stream().mapToInt(Outcome::shots).distinct().sorted().toArray()) {
                    for (int f = 1; f <= foldCount; f++) {
                        int ff = f;
                        double[][] v = outcomes.stream().filter(o -> o.fold() == ff && o.shots() == k
                                && o.background() == bg).map(o -> new double[] {o.accuracy(), o.falseAccept(),
                                    o.noSignFalseAccept(), o.otherFalseAccept(), o.rejected()})
                                .toArray(double[][]::new);
                        sb.append(String.format(Locale.ROOT, "fold %d %d-shot %s: accuracy %s, false accept %s"
                                + " (no-sign %s, other folds' signs %s), rejected %s%n", f, k,
                                bg ? "run-time" : "threshold only", column(v, 0), column(v, 1), column(v, 2),
                                column(v, 3), column(v, 4)));
                    }
                }
            }
            int[] shotCounts = outcomes.stream().mapToInt(Outcome::shots).distinct().sorted().toArray();
            for (boolean bg : new boolean[] {false, true}) {
                for (int k : shotCounts) {
                    sb.append(String.format(Locale.ROOT, "%d-shot%s: accuracy %s, macro-F1 %s, false accept %s"
                            + " (no-sign windows %s), rejected %s, closed-set %s%n", k, bg ? "" : ", threshold only",
                            spread(k, bg, Outcome::accuracy), spread(k, bg, Outcome::macroF1),
                            spread(k, bg, Outcome::falseAccept), spread(k, bg, Outcome::noSignFalseAccept),
                            spread(k, bg, Outcome::rejected), spread(k, bg, Outcome::closedSetAccuracy)));
                }
            }
            for (int k : shotCounts) {
                sb.append(summaryLine(k, false)).append('\n');
            }
            for (int k : shotCounts) {
                sb.append(summaryLine(k, true)).append('\n');
            }
            return sb.toString();
        }

        private static String column(double[][] rows, int c) {
            double[] v = new double[rows.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = rows[i][c];
            }
            CrossValidation.Report.Spread sp = CrossValidation.spread(v);
            return String.format(Locale.ROOT, "%.3f +- %.3f", sp.mean(), sp.std());
        }
    }

    /**
     * Runs the protocol.
     *
     * @param config   the embedder's training options (its network family is replaced by
     *                 {@link NetworkFamily#COSINE_TCN})
     * @param noSign   the no-sign label ("" for none)
     * @param onFold   told each fold's index as it starts, or null
     */
    public static Report run(SignDataset data, String noSign, TrainingConfig config, int folds, int[] shots,
            int draws, long seed, Consumer<Integer> onFold) {
        return run(data, noSign, config, folds, shots, draws, seed, EmbedderBackground.THRESHOLD,
                EmbedderBackground.MARGIN, onFold);
    }

    /**
     * Runs the protocol with a run-time rule of this threshold and margin (what {@code kslr train-embedder} would
     * write into the embedder).
     */
    public static Report run(SignDataset data, String noSign, TrainingConfig config, int folds, int[] shots,
            int draws, long seed, double threshold, double margin, Consumer<Integer> onFold) {
        Checks.notNull(data, "data");
        Checks.notNull(noSign, "noSign");
        Checks.positive(draws, "draws");
        List<String> signs = new ArrayList<>(data.labels());
        signs.remove(noSign);
        if (folds < 2 || signs.size() < folds) {
            throw new InvalidInputException("the few-shot protocol needs 2 to " + signs.size() + " folds, was "
                    + folds);
        }
        Collections.shuffle(signs, new Random(seed));
        List<List<String>> foldLabels = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<String> l = new ArrayList<>();
            for (int i = f; i < signs.size(); i += folds) {
                l.add(signs.get(i));
            }
            Collections.sort(l);
            foldLabels.add(List.copyOf(l));
        }
        TrainingConfig embedderConfig = config.toBuilder().architecture(NetworkFamily.COSINE_TCN).ensemble(1)
                .checkpointDir(null).build();
        // (The other options are the caller's: TrainingConfig.embedderBuilder() holds the embedder's recipe.)
        List<Outcome> outcomes = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            if (onFold != null) {
                onFold.accept(f + 1);
            }
            SignDataset train = data.withoutLabels(foldLabels.get(f));
            TrainedModel embedder = new Trainer(embedderConfig).train(train, null, noSign, null).model();
            SignDataset all = data.convertTo(embedder.metadata().layout());
            float[] emb = embedder.embeddings(all.windows(), all.size());
            int e = embedder.embeddingSize();
            double calibrated = calibrate(data, emb, e, foldLabels.get(f), noSign);
            int[] enrolled = foldLabels.get(f).stream().mapToInt(data.labels()::indexOf).toArray();
            OpenSetRejection runtime = new OpenSetRejection((float) threshold, (float) margin,
                    EmbedderBackground.prototypes(data, emb, e, noSign, foldLabels.get(f)), e);
            OpenSetRejection before = new OpenSetRejection((float) calibrated, 0f, new float[0], e);
            for (int k : shots) {
                for (int d = 0; d < draws; d++) {
                    Random r = new Random(Trainer.mix(seed, f * 1000L + k, d));
                    Episode ep = Episode.enrol(data, emb, e, enrolled, k, d == 0 ? null : r);
                    if (ep == null) {
                        continue;
                    }
                    int[] negatives = IntStream.range(0, data.size())
                            .filter(i -> Arrays.stream(enrolled).noneMatch(c -> c == data.label(i))).toArray();
                    for (OpenSetRejection rule : new OpenSetRejection[] {before, runtime}) {
                        // As VocabularySignClassifier: background prototypes that are taught signs left out.
                        Outcome o = ep.score(data, emb, e, negatives, rule.excluding(List.of(ep.prototypes())),
                                rule == runtime, noSign, f + 1, k, d);
                        LOG.info("few-shot fold {} {}-shot draw {} {}: accuracy {} (closed set {}), false accept {}"
                                + " (no-sign {}), rejected {}", f + 1, k, d, rule == runtime ? "run-time" : "threshold",
                                f4(o.accuracy()), f4(o.closedSetAccuracy()), f4(o.falseAccept()),
                                f4(o.noSignFalseAccept()), f4(o.rejected()));
                        outcomes.add(o);
                    }
                }
            }
        }
        return new Report(outcomes, foldLabels, embedderConfig.toString());
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Prototypes of the enrolled labels and the windows that test them. */
    private record Episode(int[] labels, float[][] prototypes, int[] enrolSession, int[] positives) {

        /** Enrols each label from one session; null when some label has no session with k windows. */
        static Episode enrol(SignDataset data, float[] emb, int e, int[] labels, int k, Random random) {
            float[][] protos = new float[labels.length][];
            int[] sessions = new int[labels.length];
            List<Integer> positives = new ArrayList<>();
            for (int li = 0; li < labels.length; li++) {
                int c = labels[li];
                int[] candidates = IntStream.range(0, data.size()).filter(i -> data.label(i) == c)
                        .map(data::session).distinct().sorted()
                        .filter(s -> IntStream.range(0, data.size())
                                .filter(i -> data.label(i) == c && data.session(i) == s).count() >= k).toArray();
                if (candidates.length == 0) {
                    return null;
                }
                int s = random == null ? candidates[0] : candidates[random.nextInt(candidates.length)];
                List<Integer> pool = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    if (data.label(i) == c && data.session(i) == s) {
                        pool.add(i);
                    }
                }
                if (random != null) {
                    Collections.shuffle(pool, random);
                }
                float[] p = new float[e];
                for (int t = 0; t < k; t++) {
                    FloatMath.axpy(1f, emb, pool.get(t) * e, p, 0, e);
                }
                TemporalConvNetwork.normalise(p.clone(), p);
                protos[li] = p;
                sessions[li] = s;
                for (int i = 0; i < data.size(); i++) {
                    if (data.label(i) == c && data.session(i) != s) {
                        positives.add(i);
                    }
                }
            }
            return new Episode(labels, protos, sessions, positives.stream().mapToInt(Integer::intValue).toArray());
        }

        /** The best prototype's index and similarity for window {@code i}. */
        double[] nearest(float[] emb, int e, int i) {
            int best = -1;
            double bestSim = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < prototypes.length; p++) {
                double sim = FloatMath.dot(emb, i * e, prototypes[p], 0, e);
                if (sim > bestSim) {
                    bestSim = sim;
                    best = p;
                }
            }
            return new double[] {best, bestSim};
        }

        Outcome score(SignDataset data, float[] emb, int e, int[] negatives, OpenSetRejection rule,
                boolean runtime, String noSign, int fold, int k, int draw) {
            int noSignIndex = data.labels().indexOf(noSign);
            int noSignWindows = 0;
            int noSignAccepted = 0;
            int otherWindows = 0;
            int otherAccepted = 0;
            int n = labels.length;
            int[] tp = new int[n];
            int[] fp = new int[n];
            int[] fn = new int[n];
            int correct = 0;
            int closedCorrect = 0;
            int rejected = 0;
            for (int i : positives) {
                double[] nb = nearest(emb, e, i);
                int truth = indexOf(labels, data.label(i));
                boolean accepted = rule.accepts(nb[1], emb, i * e);
                closedCorrect += (int) nb[0] == truth ? 1 : 0;
                if (!accepted) {
                    rejected++;
                    fn[truth]++;
                } else if ((int) nb[0] == truth) {
                    correct++;
                    tp[truth]++;
                } else {
                    fn[truth]++;
                    fp[(int) nb[0]]++;
                }
            }
            int falseAccepts = 0;
            for (int i : negatives) {
                double[] nb = nearest(emb, e, i);
                boolean accepted = rule.accepts(nb[1], emb, i * e);
                if (data.label(i) == noSignIndex) {
                    noSignWindows++;
                    noSignAccepted += accepted ? 1 : 0;
                } else {
                    otherWindows++;
                    otherAccepted += accepted ? 1 : 0;
                }
                if (accepted) {
                    falseAccepts++;
                    fp[(int) nb[0]]++;
                }
            }
            double f1 = 0;
            for (int c = 0; c < n; c++) {
                double denom = 2.0 * tp[c] + fp[c] + fn[c];
                f1 += denom == 0 ? 0 : 2.0 * tp[c] / denom;
            }
            double pos = positives.length;
            return new Outcome(fold, k, draw, runtime, rule.threshold(), closedCorrect / pos, correct / pos, f1 / n,
                    negatives.length == 0 ? Double.NaN : (double) falseAccepts / negatives.length, rejected / pos,
                    noSignWindows == 0 ? Double.NaN : (double) noSignAccepted / noSignWindows,
                    otherWindows == 0 ? Double.NaN : (double) otherAccepted / otherWindows);
        }

        private static int indexOf(int[] a, int v) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == v) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * The rejection threshold of {@code embedder} from the data it was trained on (see the class comment).
     *
     * @param data the embedder's training data (labels it knows), in any layout
     */
    public static double calibrate(TrainedModel embedder, SignDataset data, String noSign) {
        Checks.notNull(embedder, "embedder");
        SignDataset in = data.convertTo(embedder.metadata().layout());
        return calibrate(data, embedder.embeddings(in.windows(), in.size()), embedder.embeddingSize(), List.of(),
                Checks.notNull(noSign, "noSign"));
    }

    /**
     * The rejection threshold from the embedder's training labels (never the fold's): enrol half of them from 5
     * takes, the rest and the no-sign windows are negatives; the similarity threshold that minimises false accepts
     * plus rejections; both halves, averaged.
     */
    static double calibrate(SignDataset data, float[] emb, int e, List<String> foldLabels, String noSign) {
        List<Integer> known = new ArrayList<>();
        for (int c = 0; c < data.labels().size(); c++) {
            String l = data.labels().get(c);
            if (!foldLabels.contains(l) && !l.equals(noSign)) {
                known.add(c);
            }
        }
        double sum = 0;
        int halves = 0;
        for (int half = 0; half < 2; half++) {
            int h = half;
            int[] enrolled = IntStream.range(0, known.size()).filter(i -> i % 2 == h).map(known::get).toArray();
            int[] unenrolled = IntStream.range(0, known.size()).filter(i -> i % 2 != h).map(known::get).toArray();
            Episode ep = Episode.enrol(data, emb, e, enrolled, 5, null);
            if (ep == null || ep.positives().length == 0) {
                continue;
            }
            int noSignIndex = data.labels().indexOf(noSign);
            int[] negatives = IntStream.range(0, data.size()).filter(i -> data.label(i) == noSignIndex
                    || Arrays.stream(unenrolled).anyMatch(c -> c == data.label(i))).toArray();
            double[] pos = Arrays.stream(ep.positives()).mapToDouble(i -> ep.nearest(emb, e, i)[1]).sorted()
                    .toArray();
            double[] neg = Arrays.stream(negatives).mapToDouble(i -> ep.nearest(emb, e, i)[1]).sorted().toArray();
            // Errors at threshold t: positives below t (rejected) as a share + negatives at or above t as a share.
            double best = Double.POSITIVE_INFINITY;
            double bestT = 0.5;
            for (double t : concat(pos, neg)) {
                double rej = (double) lowerBound(pos, t) / pos.length;
                double fa = neg.length == 0 ? 0 : (double) (neg.length - lowerBound(neg, t)) / neg.length;
                if (rej + fa < best) {
                    best = rej + fa;
                    bestT = t;
                }
            }
            sum += bestT;
            halves++;
        }
        return halves == 0 ? 0.5 : sum / halves;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** How many values of sorted {@code a} are below {@code t}. */
    private static int lowerBound(double[] a, double t) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
