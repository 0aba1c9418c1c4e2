package io.github.kslr.train;

import io.github.kslr.api.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The fixed robustness checks, applied to the raw validation windows before they reach a predictor:
 * <ul>
 *   <li>{@code clean} - unchanged;</li>
 *   <li>{@code mirrored} - x to 1 - x for present points, hands swapped, pose left/right partners swapped;</li>
 *   <li>{@code shift} - (0.15, 0.05) added to x, y of present points;</li>
 *   <li>{@code scale} - (p - 0.5) * 0.8 + 0.5 on x, y of present points;</li>
 *   <li>{@code tempo_1.3x}, {@code tempo_0.75x} - frames resampled at that speed, nearest frame
 *       ({@code round(t * speed)}), clamped at the last.</li>
 * </ul>
 *
 * <p><b>Thread-safety.</b> Stateless; safe from any thread.
 */
public final class PerturbationSuite {

    /** One perturbation's outcome; {@code delta} is its accuracy minus the clean accuracy. Immutable. */
    public record Outcome(String name, Evaluation evaluation, double delta) {
        public double accuracy() {
            return evaluation.accuracy();
        }
    }

    private PerturbationSuite() {}

    /** The perturbation names, in report order. */
    public static List<String> names() {
        return List.of("clean", "mirrored", "shift", "scale", "tempo_1.3x", "tempo_0.75x");
    }

    /** {@code data} changed by the named perturbation (in the data's own layout, which must be mirrorable). */
    public static SignDataset perturb(SignDataset data, String name) {
        Checks.notNull(data, "data");
        Perturbations p = new Perturbations(data.layout());
        int t = data.sequenceLength();
        switch (name) {
            case "clean":
                return data;
            case "mirrored":
                return p.apply(data, (a, b) -> p.mirror(a, 0, b, 0, t));
            case "shift":
                return p.apply(data, (a, b) -> {
                    p.shift(a, 0, t, 0.15f, 0.05f);
                    System.arraycopy(a, 0, b, 0, a.length);
                });
            case "scale":
                return p.apply(data, (a, b) -> {
                    p.scale(a, 0, t, 0.8f);
                    System.arraycopy(a, 0, b, 0, a.length);
                });
            case "tempo_1.3x":
                return p.apply(data, (a, b) -> p.tempo(a, 0, b, 0, t, 1.3, 0));
            case "tempo_0.75x":
                return p.apply(data, (a, b) -> p.tempo(a, 0, b, 0, t, 0.75, 0));
            default:
                throw new io.github.kslr.api.InvalidInputException(
                        "unknown perturbation '" + name + "', expected one of " + names());
        }
    }

    /**
     * Runs every perturbation of {@code data} through {@code predictor} (which returns a class per window). The
     * {@code mirrored} check is left out when the data's layout has points without a left/right partner in it (face
     * points): run a model's suite on the data in the model's own layout, which always mirrors.
     */
    public static List<Outcome> run(SignDataset data, Function<SignDataset, int[]> predictor) {
        Checks.notNull(data, "data");
        boolean mirrorable = new Perturbations(data.layout()).canMirror();
        List<Outcome> out = new ArrayList<>();
        double clean = Double.NaN;
        for (String name : names()) {
            if (name.equals("mirrored") && !mirrorable) {
                continue;
            }
            Evaluation e = Evaluation.of(data.labels(), data.labelsArray(), predictor.apply(perturb(data, name)));
            if (name.equals("clean")) {
                clean = e.accuracy();
            }
            out.add(new Outcome(name, e, e.accuracy() - clean));
        }
        return out;
    }

    /** A predictor for {@code model}: converts windows to the model's layout, then takes the most likely class. */
    public static Function<SignDataset, int[]> predictor(ProbabilityModel model) {
        return d -> Evaluation.predict(model, d.convertTo(model.metadata().layout()));
    }

    /** The outcomes as a text table. */
    public static String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder(
                String.format(Locale.ROOT, "%-12s %9s %9s %9s%n", "perturbation", "accuracy", "macro_f1", "delta"));
        for (Outcome o : outcomes) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-12s %9.4f %9.4f %+9.4f%n",
                    o.name(),
                    o.accuracy(),
                    o.evaluation().macroF1(),
                    o.delta()));
        }
        return sb.toString();
    }
}
