package io.github.kslr.examples.cli;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.train.EmbedderBackground;
import io.github.kslr.train.FewShotEvaluation;
import io.github.kslr.train.SignDataset;
import io.github.kslr.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr few-shot --data DIR}: the few-shot protocol ({@link FewShotEvaluation}) - signs the embedder never saw,
 * enrolled from k takes of one signer, recognised on the other signers.
 */
@Command(
        name = "few-shot",
        mixinStandardHelpOptions = true,
        description = {
            "Measures how well signs the sign embedder never saw are recognised after enrolling k takes"
                    + " of one recording session, on every other session: the labels are dealt into --folds folds;"
                    + " for each fold a COSINE_TCN embedder trains without them, each fold label is enrolled (draw 0:"
                    + " its lowest session's first k windows; later draws: a random session and random windows) and"
                    + " the no-sign windows and the other folds' labels must be rejected.",
            "Each window is scored as the run-time classifier (VocabularySignClassifier) scores it: rejected below"
                    + " --threshold or when not --margin above its best similarity to the fold embedder's background"
                    + " prototypes (--background: by default its training signs' means and its no-sign centres); and,"
                    + " for comparison, by one"
                    + " threshold calibrated on the embedder's training labels (lines prefixed 'threshold only: '). The"
                    + " last lines are one a shot count: shots=K accuracy=... macro_f1=... false_accept=... rejected=..."
                    + " closed_set=... (means over folds and draws, the run-time rule); before them, where the"
                    + " run-time rule's errors lie: each taught sign's share of windows rejected and, with"
                    + " --unseen-negatives, the unseen signs most often accepted as a taught sign.",
            "With --unseen-negatives each draw enrols half of the fold's labels and the other half, which the fold"
                    + " embedder never saw, must be rejected too (as every un-taught sign in deployment).",
            "With --seeds the protocol runs once a seed and the last lines pool every run: one seed's embedders can"
                    + " be luckier than another's, so decide recipes on several."
        })
public final class FewShotCommand extends CommandBase {

    @CommandLine.Mixin
    EmbedderTrainingOptions embedderTraining = new EmbedderTrainingOptions();

    @Option(names = "--folds", defaultValue = "3", description = "folds of labels (default ${DEFAULT-VALUE})")
    int folds;

    @Option(
            names = "--shots",
            defaultValue = "1,5",
            split = ",",
            description = "takes enrolled a sign (default ${DEFAULT-VALUE})")
    int[] shots;

    @Option(names = "--draws", defaultValue = "3", description = "enrolment draws a fold (default ${DEFAULT-VALUE})")
    int draws;

    @Option(
            names = "--unseen-negatives",
            description = "enrol half of each fold's labels and make the other half (signs the fold embedder never"
                    + " saw, never enrolled) negatives, then the other way round; their false accepts are reported"
                    + " as 'unseen signs'")
    boolean unseenNegatives;

    @Option(
            names = "--mirrored-test",
            description = "score every test window mirrored (hands and pose sides swapped, x -> 1 - x), as a"
                    + " left-handed signer's against takes of the data's signers; the takes enrolled stay as recorded")
    boolean mirroredTest;

    @Option(
            names = "--mirrored-takes",
            description = "also enrol each sign from its takes' mirror images (as if taken with the other hand): a"
                    + " window's similarity to a sign is the higher of the two prototypes'")
    boolean mirroredTakes;

    @Option(
            names = "--compare-thresholds",
            split = ",",
            paramLabel = "T1,T2,...",
            description = "also score, on the same embeddings and draws, each of these thresholds alone, with the"
                    + " no-sign centres as background and with every background prototype (at --margin)")
    List<Double> compareThresholds = List.of();

    @Option(
            names = "--seeds",
            split = ",",
            paramLabel = "S1,S2,...",
            description = "run the protocol once a seed (each seed trains its own embedders, deals its own folds and"
                    + " draws its own takes) and end with every figure pooled over the runs (default: --seed alone)")
    List<Long> seeds = List.of();

    @Option(names = "--report", paramLabel = "FILE", description = "also write the report to this file")
    Path report;

    @Option(
            names = "--enrol-sessions",
            paramLabel = "N",
            defaultValue = "1",
            description = "take each sign's takes from N sessions (people), split between them: what a teacher gains"
                    + " by asking others for takes (default ${DEFAULT-VALUE})")
    int enrolSessions;

    @Option(
            names = "--drawn-sessions",
            paramLabel = "M",
            description = "draw M sessions a sign, take the takes from the first N of them and test on the sessions"
                    + " not drawn; only signs recorded in more than M sessions are taught. The same M for two runs"
                    + " with different --enrol-sessions teaches the same signs and tests the same windows"
                    + " (default: N)")
    Integer drawnSessions;

    @Override
    public Integer call() {
        PrintWriter o = out();
        SignDataset dataset = embedderTraining.data.open();
        o.println("data: " + dataset);
        String noSign = embedderTraining.noSign(dataset);
        long started = System.nanoTime();
        TrainingConfig embedder = embedderTraining.config();
        OpenSetRuleOptions rule = embedderTraining.rule;
        List<FewShotEvaluation.Rule> compare = new ArrayList<>();
        for (double t : compareThresholds) {
            compare.add(FewShotEvaluation.Rule.of(t, rule.margin, null));
            for (EmbedderBackground.Kind kind : EmbedderBackground.Kind.values()) {
                compare.add(FewShotEvaluation.Rule.of(t, rule.margin, kind));
            }
        }
        List<Long> runSeeds = seeds.isEmpty() ? List.of(embedderTraining.training.seed) : seeds;
        List<FewShotEvaluation.Report> reports = new ArrayList<>();
        StringBuilder texts = new StringBuilder();
        for (long seed : runSeeds) {
            if (runSeeds.size() > 1) {
                o.printf(Locale.ROOT, "seed %d:%n", seed);
            }
            FewShotEvaluation.Report r = FewShotEvaluation.run(
                    dataset,
                    noSign,
                    embedder.toBuilder().seed(seed).build(),
                    folds,
                    shots,
                    draws,
                    new FewShotEvaluation.Enrolment(
                            enrolSessions, drawnSessions == null ? enrolSessions : drawnSessions),
                    seed,
                    new FewShotEvaluation.Rule(
                            FewShotEvaluation.RUN_TIME, embedderTraining.threshold(), rule.margin, rule.background),
                    unseenNegatives,
                    mirroredTest,
                    mirroredTakes,
                    compare,
                    fold -> {
                        o.printf(Locale.ROOT, "fold %d/%d: training the embedder ...%n", fold, folds);
                        o.flush();
                    });
            reports.add(r);
            texts.append(runSeeds.size() > 1 ? "seed " + seed + ": " : "").append(r.text());
        }
        if (runSeeds.size() > 1) {
            texts.append("pooled over seeds ")
                    .append(runSeeds)
                    .append(" (every fold, draw and half of every run):\n")
                    .append(FewShotEvaluation.Report.pooledClosingLines(reports));
        }
        String text = String.format(Locale.ROOT, "few-shot protocol took %.1f s%n", (System.nanoTime() - started) / 1e9)
                + texts;
        if (report != null) {
            try {
                AtomicFiles.write(report, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + report, e);
            }
        }
        o.print(text);
        o.flush();
        return 0;
    }
}
