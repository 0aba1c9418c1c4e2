package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.WindowMirror;
import io.github.kslr.recognizer.OpenSetRejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
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
 * (no sign looks alike in any sign language); the other folds' labels stand for signs of its training language. A
 * deployed embedder (trained on ASL, teaching Khmer signs) never saw any sign it is asked to reject: with unseen
 * negatives ({@code unseenNegatives} of {@link #run}) each draw enrols half of the fold's labels and the other
 * half, new to the embedder and not enrolled, are negatives too, reported apart
 * ({@link Outcome#unseenFalseAccept()}).
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
public final class FewShotEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(FewShotEvaluation.class);

    private FewShotEvaluation() {}

    /** The rule name of the single threshold calibrated on the embedder's training labels (the rule before). */
    public static final String THRESHOLD_ONLY = "threshold only";
    /** The rule name of the run-time rule (threshold and margin over the background prototypes). */
    public static final String RUN_TIME = "run-time";

    /**
     * An open-set rule to score.
     *
     * @param name       how the report names it
     * @param threshold  the cosine threshold
     * @param margin     the margin over the best background similarity
     * @param background which background prototypes (computed from the fold embedder's training data); null: the
     *                   threshold alone
     */
    public record Rule(String name, double threshold, double margin, EmbedderBackground.Kind background) {

        public Rule {
            Checks.notNull(name, "name");
        }

        /** The rule {@code kslr train-embedder} writes with these values and {@link EmbedderBackground#DEFAULT_KIND}. */
        public static Rule runTime(double threshold, double margin) {
            return new Rule(RUN_TIME, threshold, margin, EmbedderBackground.DEFAULT_KIND);
        }

        /** A comparison rule named by what it is, e.g. "no-sign bg 0.65/-0.08" or "threshold 0.70". */
        public static Rule of(double threshold, double margin, EmbedderBackground.Kind background) {
            String name = background == null
                    ? String.format(Locale.ROOT, "threshold %.2f", threshold)
                    : String.format(
                            Locale.ROOT,
                            "%s bg %.2f/%.2f",
                            background == EmbedderBackground.Kind.NO_SIGN ? "no-sign" : "signs+no-sign",
                            threshold,
                            margin);
            return new Rule(name, threshold, margin, background);
        }
    }

    /**
     * One enrolment draw's figures under one rule. Immutable.
     *
     * @param half              0: every fold label enrolled; 1 or 2: that half of the fold's labels enrolled, the
     *                          other half unseen negatives
     * @param rule              the rule's name ({@link #THRESHOLD_ONLY}, {@link #RUN_TIME} or a comparison)
     * @param noSignFalseAccept the share of no-sign windows given a sign
     * @param otherFalseAccept  the share of the other folds' sign windows (trained on) given a sign
     * @param unseenFalseAccept the share of the unseen negatives' windows (signs neither trained on nor enrolled)
     *                          given a sign; NaN without them
     * @param signs             the same windows sign by sign
     */
    public record Outcome(
            int fold,
            int shots,
            int draw,
            int half,
            String rule,
            double threshold,
            double closedSetAccuracy,
            double accuracy,
            double macroF1,
            double falseAccept,
            double rejected,
            double noSignFalseAccept,
            double otherFalseAccept,
            double unseenFalseAccept,
            SignCounts signs) {

        /** Whether this is not the single calibrated threshold. */
        public boolean background() {
            return !THRESHOLD_ONLY.equals(rule);
        }
    }

    /**
     * Where an outcome's errors lie, sign by sign (labels as the data names them). Immutable.
     *
     * @param taughtWindows each enrolled sign's test windows (its other sessions)
     * @param rejected      how many of them were given no sign
     * @param unseenWindows each unseen negative sign's windows (empty without unseen negatives)
     * @param acceptedAs    for each unseen sign, how many of its windows each enrolled sign accepted
     */
    public record SignCounts(
            Map<String, Integer> taughtWindows,
            Map<String, Integer> rejected,
            Map<String, Integer> unseenWindows,
            Map<String, Map<String, Integer>> acceptedAs) {

        public SignCounts {
            taughtWindows = Map.copyOf(taughtWindows);
            rejected = Map.copyOf(rejected);
            unseenWindows = Map.copyOf(unseenWindows);
            Map<String, Map<String, Integer>> copy = new TreeMap<>();
            acceptedAs.forEach((unseen, as) -> copy.put(unseen, Map.copyOf(as)));
            acceptedAs = Map.copyOf(copy);
        }

        /** Every taught sign's test windows. */
        public int taughtTotal() {
            return total(taughtWindows);
        }

        /** Every rejected taught window. */
        public int rejectedTotal() {
            return total(rejected);
        }

        /** Every unseen sign's windows. */
        public int unseenTotal() {
            return total(unseenWindows);
        }

        /** Every unseen window accepted as some enrolled sign. */
        public int unseenAccepted() {
            return acceptedAs.values().stream().mapToInt(SignCounts::total).sum();
        }

        private static int total(Map<String, Integer> counts) {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Every count of {@code counts} added up. */
        static SignCounts sum(List<SignCounts> counts) {
            Map<String, Integer> taught = new TreeMap<>();
            Map<String, Integer> rejected = new TreeMap<>();
            Map<String, Integer> unseen = new TreeMap<>();
            Map<String, Map<String, Integer>> acceptedAs = new TreeMap<>();
            for (SignCounts c : counts) {
                c.taughtWindows().forEach((k, v) -> taught.merge(k, v, Integer::sum));
                c.rejected().forEach((k, v) -> rejected.merge(k, v, Integer::sum));
                c.unseenWindows().forEach((k, v) -> unseen.merge(k, v, Integer::sum));
                c.acceptedAs()
                        .forEach((u, as) -> as.forEach((t, v) -> acceptedAs
                                .computeIfAbsent(u, x -> new TreeMap<>())
                                .merge(t, v, Integer::sum)));
            }
            return new SignCounts(taught, rejected, unseen, acceptedAs);
        }
    }

    /**
     * All draws of all folds, each scored by every rule. Immutable.
     *
     * @param rules  the rules' names, in the order scored
     * @param unseen whether half of each fold's labels were unseen negatives
     * @param mirroredTest whether the scored windows were mirrored (a left-handed test signer)
     * @param mirroredTakes whether each sign was also enrolled from its takes' mirror images
     * @param enrolment how many sessions each sign's takes came from
     */
    public record Report(
            List<Outcome> outcomes,
            List<List<String>> folds,
            String recipe,
            List<String> rules,
            boolean unseen,
            boolean mirroredTest,
            boolean mirroredTakes,
            Enrolment enrolment) {

        public Report {
            outcomes = List.copyOf(outcomes);
            folds = List.copyOf(folds);
            rules = List.copyOf(rules);
            Checks.notNull(enrolment, "enrolment");
        }

        /** The mean and spread of a figure over the folds and draws of {@code shots} takes. */
        public CrossValidation.Report.Spread spread(int shots, boolean background, ToDoubleFunction<Outcome> figure) {
            return spread(shots, background ? RUN_TIME : THRESHOLD_ONLY, figure);
        }

        /** The mean and spread of a figure of one rule over the folds and draws of {@code shots} takes. */
        public CrossValidation.Report.Spread spread(int shots, String rule, ToDoubleFunction<Outcome> figure) {
            return spread(shots, rule, o -> true, figure);
        }

        /** The same over the outcomes that {@code which} also keeps (one fold's, say). */
        private CrossValidation.Report.Spread spread(
                int shots, String rule, Predicate<Outcome> which, ToDoubleFunction<Outcome> figure) {
            return CrossValidation.spread(outcomes.stream()
                    .filter(o -> o.shots() == shots && o.rule().equals(rule) && which.test(o))
                    .mapToDouble(figure)
                    .toArray());
        }

        /** One line for {@code shots}: accuracy=... macro_f1=... false_accept=... rejected=... (means). */
        public String summaryLine(int shots, boolean background) {
            return String.format(
                    Locale.ROOT,
                    "%sshots=%d accuracy=%.4f macro_f1=%.4f false_accept=%.4f" + " rejected=%.4f closed_set=%.4f",
                    background ? "" : "threshold only: ",
                    shots,
                    spread(shots, background, Outcome::accuracy).mean(),
                    spread(shots, background, Outcome::macroF1).mean(),
                    spread(shots, background, Outcome::falseAccept).mean(),
                    spread(shots, background, Outcome::rejected).mean(),
                    spread(shots, background, Outcome::closedSetAccuracy).mean());
        }

        public String text() {
            StringBuilder sb = new StringBuilder("few-shot protocol: ")
                    .append(folds.size())
                    .append(" folds of unseen labels, ")
                    .append(
                            enrolment.sessions() == 1
                                    ? "one session"
                                    : enrolment.sessions() + " sessions (the takes split between them)")
                    .append(" enrolled, other sessions tested\n");
            if (enrolment.drawn() > 1) {
                sb.append("sessions drawn a sign: ")
                        .append(enrolment.drawn())
                        .append(" (takes from the first ")
                        .append(enrolment.sessions())
                        .append("), tested on the sessions not drawn; only labels recorded in at least ")
                        .append(enrolment.minSessions())
                        .append(" sessions are taught, the others stay negatives\n");
            }
            sb.append("recipe: ").append(recipe).append('\n');
            for (int f = 0; f < folds.size(); f++) {
                sb.append("fold ")
                        .append(f + 1)
                        .append(" labels: ")
                        .append(folds.get(f))
                        .append('\n');
            }
            if (unseen) {
                sb.append("unseen negatives: each fold's labels in two halves (alternate labels); each draw enrols"
                        + " one half, the other half (never trained on, never enrolled) must be rejected, then the"
                        + " other way round\n");
            }
            if (mirroredTest) {
                sb.append("mirrored test: every scored window (the taught signs' other sessions and the negatives) is"
                        + " mirrored, hands and pose sides swapped, as a left-handed signer's; the enrolled takes are"
                        + " not\n");
            }
            if (mirroredTakes) {
                sb.append("mirrored takes: each sign has a second prototype, the mean of its takes' mirror images (as"
                        + " taken with the other hand); a window's similarity to a sign is the higher of the two\n");
            }
            sb.append("rule: run time = threshold and margin over the embedder's background prototypes (as"
                    + " VocabularySignClassifier); threshold only = one threshold calibrated on the embedder's"
                    + " training labels (the rule before)\n");
            sb.append(String.format(
                    Locale.ROOT,
                    "%-5s %-6s %-5s %-4s %-28s %9s %10s %9s %9s %12s %9s %8s %8s %8s%n",
                    "fold",
                    "shots",
                    "draw",
                    "half",
                    "rule",
                    "threshold",
                    "closed-set",
                    "accuracy",
                    "macro_f1",
                    "false_accept",
                    "rejected",
                    "no-sign",
                    "other",
                    "unseen"));
            for (Outcome o : outcomes) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%-5d %-6d %-5d %-4d %-28s %9.4f %10.4f %9.4f %9.4f %12.4f" + " %9.4f %8.4f %8.4f %8.4f%n",
                        o.fold(),
                        o.shots(),
                        o.draw(),
                        o.half(),
                        o.rule(),
                        o.threshold(),
                        o.closedSetAccuracy(),
                        o.accuracy(),
                        o.macroF1(),
                        o.falseAccept(),
                        o.rejected(),
                        o.noSignFalseAccept(),
                        o.otherFalseAccept(),
                        o.unseenFalseAccept()));
            }
            int foldCount = folds.size();
            int[] shotCounts = outcomes.stream()
                    .mapToInt(Outcome::shots)
                    .distinct()
                    .sorted()
                    .toArray();
            for (String rule : List.of(THRESHOLD_ONLY, RUN_TIME)) {
                for (int k : shotCounts) {
                    for (int f = 1; f <= foldCount; f++) {
                        int ff = f;
                        Predicate<Outcome> fold = o -> o.fold() == ff;
                        sb.append(String.format(
                                Locale.ROOT,
                                "fold %d %d-shot %s: accuracy %s, false accept %s"
                                        + " (no-sign %s, other folds' signs %s%s), rejected %s%n",
                                f,
                                k,
                                rule,
                                brief(spread(k, rule, fold, Outcome::accuracy)),
                                brief(spread(k, rule, fold, Outcome::falseAccept)),
                                brief(spread(k, rule, fold, Outcome::noSignFalseAccept)),
                                brief(spread(k, rule, fold, Outcome::otherFalseAccept)),
                                unseen
                                        ? ", unseen signs " + brief(spread(k, rule, fold, Outcome::unseenFalseAccept))
                                        : "",
                                brief(spread(k, rule, fold, Outcome::rejected))));
                    }
                }
            }
            sb.append(closingLines());
            return sb.toString();
        }

        /**
         * The closing lines of {@code reports}, runs of the protocol with different seeds, pooled: each rule's mean and
         * spread over every fold-draw-half of every run, then the summary lines ({@link #summaryLine}), the run-time
         * rule's last. Their folds differ (the seed deals them), so nothing is said per fold.
         *
         * @throws InvalidInputException for no reports, or reports of different rules or kinds of negatives
         */
        public static String pooledClosingLines(List<Report> reports) {
            Checks.notNull(reports, "reports");
            if (reports.isEmpty()) {
                throw new InvalidInputException("no few-shot reports to pool");
            }
            Report first = reports.get(0);
            List<Outcome> all = new ArrayList<>();
            for (Report r : reports) {
                if (!r.rules().equals(first.rules())
                        || r.unseen() != first.unseen()
                        || !r.enrolment().equals(first.enrolment())) {
                    throw new InvalidInputException(
                            "few-shot reports of different rules, negatives or enrolments cannot be pooled");
                }
                all.addAll(r.outcomes());
            }
            return new Report(
                            all,
                            List.of(),
                            first.recipe(),
                            first.rules(),
                            first.unseen(),
                            first.mirroredTest(),
                            first.mirroredTakes(),
                            first.enrolment())
                    .closingLines();
        }

        /** The run-time rule's errors by sign, each rule's means and spreads a shot count, then the summary lines. */
        private String closingLines() {
            StringBuilder sb = new StringBuilder();
            int[] shotCounts = outcomes.stream()
                    .mapToInt(Outcome::shots)
                    .distinct()
                    .sorted()
                    .toArray();
            for (int k : shotCounts) {
                sb.append(signLines(k));
            }
            for (String rule : rules) {
                for (int k : shotCounts) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "%d-shot%s: accuracy %s, macro-F1 %s, false accept %s"
                                    + " (no-sign windows %s, other folds' signs %s%s), rejected %s, closed-set %s%n",
                            k,
                            rule.equals(RUN_TIME) ? "" : ", " + rule,
                            spread(k, rule, Outcome::accuracy),
                            spread(k, rule, Outcome::macroF1),
                            spread(k, rule, Outcome::falseAccept),
                            spread(k, rule, Outcome::noSignFalseAccept),
                            spread(k, rule, Outcome::otherFalseAccept),
                            unseen ? ", unseen signs " + spread(k, rule, Outcome::unseenFalseAccept) : "",
                            spread(k, rule, Outcome::rejected),
                            spread(k, rule, Outcome::closedSetAccuracy)));
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

        /**
         * The run-time rule's errors at {@code shots} takes, pooled over every fold, draw and half: each taught sign's
         * share of windows rejected (most first) and, with unseen negatives, the {@value #PAIRS} unseen signs most
         * often accepted as a taught sign ("unseen as taught").
         */
        private String signLines(int shots) {
            SignCounts c = SignCounts.sum(outcomes.stream()
                    .filter(o -> o.shots() == shots && o.rule().equals(RUN_TIME))
                    .map(Outcome::signs)
                    .toList());
            StringBuilder sb = new StringBuilder(String.format(
                    Locale.ROOT, "%d-shot taught windows rejected, by sign (share of its windows):", shots));
            c.taughtWindows().entrySet().stream()
                    .sorted(Comparator.comparingDouble((Map.Entry<String, Integer> e) ->
                                    -c.rejected().getOrDefault(e.getKey(), 0) / (double) e.getValue())
                            .thenComparing(Map.Entry::getKey))
                    .forEach(e -> sb.append(share(e.getKey(), c.rejected().getOrDefault(e.getKey(), 0), e.getValue())));
            sb.append('\n');
            if (unseen) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%d-shot unseen windows accepted: %d of %d; most often (share of the unseen sign's windows):",
                        shots,
                        c.unseenAccepted(),
                        c.unseenTotal()));
                c.acceptedAs().entrySet().stream()
                        .flatMap(u -> u.getValue().entrySet().stream()
                                .map(t -> Map.entry(u.getKey() + " as " + t.getKey(), new int[] {
                                    t.getValue(), c.unseenWindows().get(u.getKey())
                                })))
                        .sorted(Comparator.comparingInt((Map.Entry<String, int[]> e) -> -e.getValue()[0])
                                .thenComparing(Map.Entry::getKey))
                        .limit(PAIRS)
                        .forEach(e -> sb.append(share(e.getKey(), e.getValue()[0], e.getValue()[1])));
                sb.append('\n');
            }
            return sb.toString();
        }

        /** How many look-alike pairs {@link #signLines} lists. */
        private static final int PAIRS = 10;

        private static String share(String name, int count, int of) {
            return String.format(Locale.ROOT, " %s %.3f (%d/%d)", name, count / (double) of, count, of);
        }

        /** The per-fold lines' short form of a spread: mean and standard deviation to three places. */
        private static String brief(CrossValidation.Report.Spread sp) {
            return String.format(Locale.ROOT, "%.3f +- %.3f", sp.mean(), sp.std());
        }
    }

    /**
     * Where each taught sign's takes come from: {@code drawn} of its recording sessions (people) are drawn, the takes
     * come from the first {@code sessions} of them (split as evenly as possible, the first sessions one more), and the
     * sign is tested on the sessions not drawn. Drawing more sessions than give takes keeps the test windows the same
     * for enrolments from fewer and more people: {@code (1, 2)} against {@code (2, 2)} asks what a second person's
     * takes are worth. Labels with no session left to test on ({@code drawn} or fewer sessions) are not taught when
     * {@code drawn} is above 1; their windows stay negatives.
     *
     * @param sessions how many sessions give takes
     * @param drawn    how many sessions are drawn a sign (at least {@code sessions})
     */
    public record Enrolment(int sessions, int drawn) {

        /** The protocol's own: every label, its takes from one session, tested on all its others. */
        public static final Enrolment ONE_SESSION = new Enrolment(1, 1);

        public Enrolment {
            if (sessions < 1 || drawn < sessions) {
                throw new InvalidInputException("takes come from at least one session and from no more sessions than"
                        + " are drawn, were " + sessions + " of " + drawn);
            }
        }

        /** Labels recorded in fewer sessions are not taught. */
        int minSessions() {
            return drawn == 1 ? 1 : drawn + 1;
        }
    }

    /**
     * Runs the protocol.
     *
     * @param noSign          the no-sign label ("" for none)
     * @param config          the embedder's training options (its network family is replaced by
     *                        {@link NetworkFamily#COSINE_TCN}; an ensemble embeds as {@link TrainedModel#embeddings}
     *                        says)
     * @param enrolment       which sessions each taught sign's takes come from ({@link Enrolment#ONE_SESSION}:
     *                        the protocol's own)
     * @param runtime         the run-time rule (reported as {@link #RUN_TIME} whatever its name)
     * @param unseenNegatives true: each draw enrols half of the fold's labels and the other half are negatives the
     *                        embedder never saw (both halves in turn)
     * @param mirroredTest    true: the windows scored (not the enrolled takes) are mirrored, as a left-handed
     *                        signer's would be against takes of a right-handed one
     * @param mirroredTakes   true: each sign also gets a prototype from its takes' mirror images, and a window's
     *                        similarity to the sign is the higher of the two
     * @param compare         more rules to score on the same embeddings and draws
     * @param onFold          told each fold's index as it starts, or null
     */
    public static Report run(
            SignDataset data,
            String noSign,
            TrainingConfig config,
            int folds,
            int[] shots,
            int draws,
            Enrolment enrolment,
            long seed,
            Rule runtime,
            boolean unseenNegatives,
            boolean mirroredTest,
            boolean mirroredTakes,
            List<Rule> compare,
            Consumer<Integer> onFold) {
        Checks.notNull(data, "data");
        Checks.notNull(noSign, "noSign");
        Checks.notNull(enrolment, "enrolment");
        Checks.notNull(runtime, "runtime");
        Checks.notNull(compare, "compare");
        Checks.positive(draws, "draws");
        for (int k : shots) {
            if (k < enrolment.sessions()) {
                throw new InvalidInputException("takes from " + enrolment.sessions() + " sessions need at least one"
                        + " from each: every shot count must be at least " + enrolment.sessions() + ", was " + k);
            }
        }
        List<String> signs = new ArrayList<>(data.labels());
        signs.remove(noSign);
        if (folds < 2 || signs.size() < folds) {
            throw new InvalidInputException(
                    "the few-shot protocol needs 2 to " + signs.size() + " folds, was " + folds);
        }
        Collections.shuffle(signs, new Random(seed));
        List<List<String>> foldLabels = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<String> l = new ArrayList<>();
            for (int i = f; i < signs.size(); i += folds) {
                l.add(signs.get(i));
            }
            Collections.sort(l);
            if (unseenNegatives && l.size() < 2) {
                throw new InvalidInputException(
                        "unseen negatives need 2 labels a fold, fold " + (f + 1) + " has " + l.size());
            }
            foldLabels.add(List.copyOf(l));
        }
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule(RUN_TIME, runtime.threshold(), runtime.margin(), runtime.background()));
        for (Rule c : compare) {
            if (c.name().equals(RUN_TIME)
                    || c.name().equals(THRESHOLD_ONLY)
                    || rules.stream().anyMatch(r -> r.name().equals(c.name()))) {
                throw new InvalidInputException("rule names must differ and not be '" + RUN_TIME + "' or '"
                        + THRESHOLD_ONLY + "', was '" + c.name() + "'");
            }
            rules.add(c);
        }
        // Scored in this order: the calibrated threshold, then the rules.
        List<String> names = new ArrayList<>(List.of(THRESHOLD_ONLY));
        rules.forEach(r -> names.add(r.name()));
        TrainingConfig embedderConfig = config.toBuilder()
                .architecture(NetworkFamily.COSINE_TCN)
                .checkpointDir(null)
                .build();
        // (The other options, the ensemble's size included, are the caller's: TrainingConfig.embedderBuilder() holds
        // the embedder's recipe.)
        List<Outcome> outcomes = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            if (onFold != null) {
                onFold.accept(f + 1);
            }
            SignDataset train = data.withoutLabels(foldLabels.get(f));
            TrainedModel embedder =
                    new Trainer(embedderConfig).train(train, null, noSign, null).model();
            SignDataset all = data.convertTo(embedder.metadata().layout());
            float[] emb = embedder.embeddings(all.windows(), all.size());
            float[] mirrorEmb = mirroredTest || mirroredTakes ? embedder.embeddings(mirrored(all), all.size()) : null;
            // What is scored: the same windows, or their mirror images (the background stays as trained).
            float[] queries = mirroredTest ? mirrorEmb : emb;
            int e = embedder.embeddingSize();
            List<String> fl = foldLabels.get(f);
            List<String> taught = fl.stream()
                    .filter(l -> sessionCount(data, l) >= enrolment.minSessions())
                    .toList();
            if (taught.size() < (unseenNegatives ? 2 : 1)) {
                throw new InvalidInputException("fold " + (f + 1) + " has " + taught.size() + " labels with at least "
                        + enrolment.minSessions() + " sessions (" + taught + "); the protocol needs "
                        + (unseenNegatives ? "2" : "1") + " to teach " + enrolment);
            }
            double calibrated = calibrate(data, emb, e, fl, noSign);
            Map<EmbedderBackground.Kind, float[]> backgrounds = new EnumMap<>(EmbedderBackground.Kind.class);
            List<OpenSetRejection> scored = new ArrayList<>();
            scored.add(new OpenSetRejection((float) calibrated, 0f, new float[0], e));
            for (Rule rule : rules) {
                float[] bg = rule.background() == null
                        ? new float[0]
                        : backgrounds.computeIfAbsent(
                                rule.background(),
                                kind -> EmbedderBackground.prototypes(data, emb, e, noSign, fl, kind));
                scored.add(new OpenSetRejection((float) rule.threshold(), (float) rule.margin(), bg, e));
            }
            int[][] halves = unseenNegatives
                    ? new int[][] {labelIndices(data, taught, 0, 2), labelIndices(data, taught, 1, 2)}
                    : new int[][] {labelIndices(data, taught, 0, 1)};
            for (int k : shots) {
                for (int d = 0; d < draws; d++) {
                    for (int h = 0; h < halves.length; h++) {
                        int[] enrolled = halves[h];
                        int[] unseen = halves.length == 1 ? new int[0] : halves[1 - h];
                        // Without halves, the draws of the protocol before unseen negatives existed.
                        Random r = new Random(Trainer.mix(seed, f * 1000L + k, halves.length == 1 ? d : d * 10L + h));
                        Episode ep = Episode.enrol(
                                data,
                                emb,
                                mirroredTakes ? mirrorEmb : null,
                                e,
                                enrolled,
                                k,
                                enrolment,
                                d == 0 ? null : r);
                        if (ep == null) {
                            continue;
                        }
                        int[] negatives = IntStream.range(0, data.size())
                                .filter(i -> Arrays.stream(enrolled).noneMatch(c -> c == data.label(i)))
                                .toArray();
                        int half = halves.length == 1 ? 0 : h + 1;
                        for (int ri = 0; ri < scored.size(); ri++) {
                            // As VocabularySignClassifier: background prototypes that are taught signs left out.
                            Outcome o = ep.score(
                                    data,
                                    queries,
                                    e,
                                    negatives,
                                    unseen,
                                    scored.get(ri).excluding(List.of(ep.prototypes())),
                                    names.get(ri),
                                    noSign,
                                    fl,
                                    f + 1,
                                    k,
                                    d,
                                    half);
                            if (ri < 2) {
                                LOG.info(
                                        "few-shot fold {} {}-shot draw {} half {} {}: accuracy {} (closed set {}),"
                                                + " false accept {} (no-sign {}, unseen {}), rejected {}",
                                        f + 1,
                                        k,
                                        d,
                                        half,
                                        o.rule(),
                                        f4(o.accuracy()),
                                        f4(o.closedSetAccuracy()),
                                        f4(o.falseAccept()),
                                        f4(o.noSignFalseAccept()),
                                        f4(o.unseenFalseAccept()),
                                        f4(o.rejected()));
                            }
                            outcomes.add(o);
                        }
                    }
                }
            }
        }
        return new Report(
                outcomes,
                foldLabels,
                embedderConfig.toString(),
                names,
                unseenNegatives,
                mirroredTest,
                mirroredTakes,
                enrolment);
    }

    /** In how many sessions {@code label} has windows. */
    private static long sessionCount(SignDataset data, String label) {
        int c = data.labels().indexOf(label);
        return IntStream.range(0, data.size())
                .filter(i -> data.label(i) == c)
                .map(data::session)
                .distinct()
                .count();
    }

    /** Every window of {@code data} mirrored (x -> 1 - x, left and right parts swapped). */
    private static float[] mirrored(SignDataset data) {
        WindowMirror m = new WindowMirror(data.layout());
        if (!m.canMirror()) {
            throw new InvalidInputException(
                    "a mirrored test needs a layout that can be mirrored, was " + data.layout());
        }
        return m.mirrorAll(data.windows(), data.sequenceLength());
    }

    /** The label indices of every {@code step}-th label of {@code labels} from {@code first} (alternate halves). */
    private static int[] labelIndices(SignDataset data, List<String> labels, int first, int step) {
        return IntStream.iterate(first, i -> i < labels.size(), i -> i + step)
                .mapToObj(labels::get)
                .mapToInt(data.labels()::indexOf)
                .toArray();
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * Prototypes of the enrolled labels (one a label, or two with mirrored takes: {@code prototypeLabel} says whose)
     * and the windows that test them.
     */
    private record Episode(int[] labels, float[][] prototypes, int[] prototypeLabel, int[] positives) {

        /**
         * Enrols each label as {@code enrolment} says (draw 0: its lowest sessions and their first windows; otherwise
         * random sessions and random windows); null when some label has too few sessions with enough windows.
         *
         * @param mirrorEmb the windows' mirror images' embeddings, for a second prototype a label; or null
         */
        static Episode enrol(
                SignDataset data,
                float[] emb,
                float[] mirrorEmb,
                int e,
                int[] labels,
                int k,
                Enrolment enrolment,
                Random random) {
            int perLabel = mirrorEmb == null ? 1 : 2;
            float[][] protos = new float[labels.length * perLabel][];
            int[] protoLabel = new int[protos.length];
            List<Integer> positives = new ArrayList<>();
            // The first sessions give one take more when k does not divide evenly.
            int givers = enrolment.sessions();
            int most = (k + givers - 1) / givers;
            for (int li = 0; li < labels.length; li++) {
                int c = labels[li];
                int[] candidates = IntStream.range(0, data.size())
                        .filter(i -> data.label(i) == c)
                        .map(data::session)
                        .distinct()
                        .sorted()
                        .filter(s -> IntStream.range(0, data.size())
                                        .filter(i -> data.label(i) == c && data.session(i) == s)
                                        .count()
                                >= most)
                        .toArray();
                if (candidates.length < enrolment.drawn()) {
                    return null;
                }
                int[] chosen = choose(candidates, enrolment.drawn(), random);
                List<Integer> pool = new ArrayList<>();
                for (int j = 0; j < givers; j++) {
                    List<Integer> windows = new ArrayList<>();
                    for (int i = 0; i < data.size(); i++) {
                        if (data.label(i) == c && data.session(i) == chosen[j]) {
                            windows.add(i);
                        }
                    }
                    if (random != null) {
                        Collections.shuffle(windows, random);
                    }
                    pool.addAll(windows.subList(0, k / givers + (j < k % givers ? 1 : 0)));
                }
                protos[li] = prototype(emb, e, pool, k);
                protoLabel[li] = li;
                if (mirrorEmb != null) {
                    protos[labels.length + li] = prototype(mirrorEmb, e, pool, k);
                    protoLabel[labels.length + li] = li;
                }
                for (int i = 0; i < data.size(); i++) {
                    if (data.label(i) == c && indexOf(chosen, data.session(i)) < 0) {
                        positives.add(i);
                    }
                }
            }
            return new Episode(
                    labels,
                    protos,
                    protoLabel,
                    positives.stream().mapToInt(Integer::intValue).toArray());
        }

        /**
         * {@code n} of the sorted {@code candidates}: the first ones, or (with {@code random}) one at random for one
         * session, else the first {@code n} of a shuffle.
         */
        private static int[] choose(int[] candidates, int n, Random random) {
            if (random == null) {
                return Arrays.copyOf(candidates, n);
            }
            if (n == 1) {
                // One session as the protocol has always drawn it, so its figures stay the same.
                return new int[] {candidates[random.nextInt(candidates.length)]};
            }
            List<Integer> shuffled =
                    new ArrayList<>(Arrays.stream(candidates).boxed().toList());
            Collections.shuffle(shuffled, random);
            return shuffled.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
        }

        /** The unit-length mean of the first {@code k} takes of {@code pool}. */
        private static float[] prototype(float[] emb, int e, List<Integer> pool, int k) {
            float[] p = new float[e];
            for (int t = 0; t < k; t++) {
                FloatMath.axpy(1f, emb, pool.get(t) * e, p, 0, e);
            }
            TemporalConvNetwork.normalise(p.clone(), p);
            return p;
        }

        /** The nearest label's index (into {@link #labels}) and its similarity for window {@code i}. */
        double[] nearest(float[] emb, int e, int i) {
            int best = -1;
            double bestSim = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < prototypes.length; p++) {
                double sim = FloatMath.dot(emb, i * e, prototypes[p], 0, e);
                if (sim > bestSim) {
                    bestSim = sim;
                    best = prototypeLabel[p];
                }
            }
            return new double[] {best, bestSim};
        }

        /** Scores the windows whose embeddings are in {@code queries} against this episode's prototypes. */
        Outcome score(
                SignDataset data,
                float[] queries,
                int e,
                int[] negatives,
                int[] unseen,
                OpenSetRejection rule,
                String ruleName,
                String noSign,
                List<String> foldLabels,
                int fold,
                int k,
                int draw,
                int half) {
            int noSignIndex = data.labels().indexOf(noSign);
            int unseenWindows = 0;
            int unseenAccepted = 0;
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
            Map<String, Integer> signWindows = new TreeMap<>();
            Map<String, Integer> signRejected = new TreeMap<>();
            Map<String, Integer> unseenSignWindows = new TreeMap<>();
            Map<String, Map<String, Integer>> acceptedAs = new TreeMap<>();
            for (int i : positives) {
                double[] nb = nearest(queries, e, i);
                int truth = indexOf(labels, data.label(i));
                boolean accepted = rule.accepts(nb[1], queries, i * e);
                closedCorrect += (int) nb[0] == truth ? 1 : 0;
                String sign = data.labels().get(data.label(i));
                signWindows.merge(sign, 1, Integer::sum);
                if (!accepted) {
                    rejected++;
                    signRejected.merge(sign, 1, Integer::sum);
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
                double[] nb = nearest(queries, e, i);
                boolean accepted = rule.accepts(nb[1], queries, i * e);
                if (data.label(i) == noSignIndex) {
                    noSignWindows++;
                    noSignAccepted += accepted ? 1 : 0;
                } else if (indexOf(unseen, data.label(i)) >= 0) {
                    unseenWindows++;
                    unseenAccepted += accepted ? 1 : 0;
                    String sign = data.labels().get(data.label(i));
                    unseenSignWindows.merge(sign, 1, Integer::sum);
                    if (accepted) {
                        acceptedAs
                                .computeIfAbsent(sign, x -> new TreeMap<>())
                                .merge(data.labels().get(labels[(int) nb[0]]), 1, Integer::sum);
                    }
                } else if (!foldLabels.contains(data.labels().get(data.label(i)))) {
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
            return new Outcome(
                    fold,
                    k,
                    draw,
                    half,
                    ruleName,
                    rule.threshold(),
                    closedCorrect / pos,
                    correct / pos,
                    f1 / n,
                    negatives.length == 0 ? Double.NaN : (double) falseAccepts / negatives.length,
                    rejected / pos,
                    noSignWindows == 0 ? Double.NaN : (double) noSignAccepted / noSignWindows,
                    otherWindows == 0 ? Double.NaN : (double) otherAccepted / otherWindows,
                    unseenWindows == 0 ? Double.NaN : (double) unseenAccepted / unseenWindows,
                    new SignCounts(signWindows, signRejected, unseenSignWindows, acceptedAs));
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
        return calibrate(
                data,
                embedder.embeddings(in.windows(), in.size()),
                embedder.embeddingSize(),
                List.of(),
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
            int[] enrolled = IntStream.range(0, known.size())
                    .filter(i -> i % 2 == h)
                    .map(known::get)
                    .toArray();
            int[] unenrolled = IntStream.range(0, known.size())
                    .filter(i -> i % 2 != h)
                    .map(known::get)
                    .toArray();
            Episode ep = Episode.enrol(data, emb, null, e, enrolled, 5, Enrolment.ONE_SESSION, null);
            if (ep == null || ep.positives().length == 0) {
                continue;
            }
            int noSignIndex = data.labels().indexOf(noSign);
            int[] negatives = IntStream.range(0, data.size())
                    .filter(i -> data.label(i) == noSignIndex
                            || Arrays.stream(unenrolled).anyMatch(c -> c == data.label(i)))
                    .toArray();
            double[] pos = Arrays.stream(ep.positives())
                    .mapToDouble(i -> ep.nearest(emb, e, i)[1])
                    .sorted()
                    .toArray();
            double[] neg = Arrays.stream(negatives)
                    .mapToDouble(i -> ep.nearest(emb, e, i)[1])
                    .sorted()
                    .toArray();
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
