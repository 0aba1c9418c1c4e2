package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.util.List;

/**
 * Writes a {@link TrainedModel} as an ONNX model (opset 13) whose input is the raw layout and whose graph does the
 * whole {@link FeatureTransform} normalisation and standardisation, then the network's own layers
 * ({@link SequenceNetwork#writeLogits}), then softmax. The {@link io.github.kslr.api.SignModelMetadata} goes into
 * {@code metadata_props}. Written with the project's one {@link OnnxGraphWriter}.
 *
 * <p>Input {@value #INPUT} float32 {@code [batch, T, F]}; output {@value #OUTPUT} float32 {@code [batch, classes]}.
 * {@link WeightPrecision#INT8} stores the weight matrices as int8 with one scale per output channel (symmetric) and
 * dequantises them in the graph - a quarter of the size, same arithmetic otherwise.
 *
 * <p><b>Thread-safety.</b> Stateless; safe from any thread.
 */
public final class OnnxExport {

    public static final String INPUT = "landmarks";
    public static final String OUTPUT = "probabilities";
    static final int OPSET = 13;
    static final long IR_VERSION = 7;

    private OnnxExport() {
    }

    /** The model as ONNX bytes. */
    public static byte[] toBytes(TrainedModel model, WeightPrecision precision) {
        Checks.notNull(model, "model");
        Checks.notNull(precision, "precision");
        OnnxGraphWriter g = new OnnxGraphWriter("kslr_sign_model");
        SequenceNetwork network = model.network();
        NetworkShape s = network.shape();
        String std = writeFeatures(g, model, s.inputSize());
        String logits = network.writeLogits(g, std, precision);
        g.node("Softmax", "softmax", List.of(logits), List.of(OUTPUT), OnnxGraphWriter.intAttr("axis", 1));
        g.input(INPUT, "batch", s.frames(), model.metadata().layout().size());
        g.output(OUTPUT, "batch", s.classes());
        return g.model(IR_VERSION, OPSET, "kslr-train", "1", "KSLR sign model: "
                + network.family().description() + ", "
                + (precision == WeightPrecision.INT8 ? "int8 weights" : "float32 weights"),
                model.metadata().toProperties()).build().toByteArray();
    }

    /**
     * The {@link FeatureTransform} (points relative to the shoulders, hand points relative to the wrist) and the
     * per-feature standardisation, from the raw input; returns the standardised features {@code [B, T, d]}.
     */
    private static String writeFeatures(OnnxGraphWriter g, TrainedModel model, int d) {
        FeatureTransform tf = model.transform();
        int[] sh = tf.shoulderColumns();
        String xs = gather(g, INPUT, g.int64Vector("x_columns", tf.xColumns()));
        String ys = gather(g, INPUT, g.int64Vector("y_columns", tf.yColumns()));
        String ax = gather(g, INPUT, g.int64Vector("left_shoulder_x", sh[0]));
        String ay = gather(g, INPUT, g.int64Vector("left_shoulder_y", sh[1]));
        String bx = gather(g, INPUT, g.int64Vector("right_shoulder_x", sh[2]));
        String by = gather(g, INPUT, g.int64Vector("right_shoulder_y", sh[3]));
        String dx = op(g, "Sub", ax, bx);
        String dy = op(g, "Sub", ay, by);
        String w = op(g, "Sqrt", op(g, "Add", op(g, "Mul", dx, dx), op(g, "Mul", dy, dy)));
        String valid = cast(g, op(g, "Greater", w, g.floatScalar("min_width", FeatureTransform.MIN_WIDTH)));
        String invalid = op(g, "Sub", g.floatScalar("one", 1f), valid);
        String half = g.floatScalar("half", 0.5f);
        String mx = op(g, "Add", op(g, "Mul", op(g, "Mul", op(g, "Add", ax, bx), half), valid),
                op(g, "Mul", half, invalid));
        String my = op(g, "Add", op(g, "Mul", op(g, "Mul", op(g, "Add", ay, by), half), valid),
                op(g, "Mul", half, invalid));
        String wf = op(g, "Add", op(g, "Mul", w, valid),
                op(g, "Mul", g.floatScalar("fallback_width", FeatureTransform.FALLBACK_WIDTH), invalid));
        String present = cast(g, op(g, "Greater", op(g, "Add", op(g, "Abs", xs), op(g, "Abs", ys)),
                g.floatScalar("zero", 0f)));
        String nx = op(g, "Mul", op(g, "Div", op(g, "Sub", xs, mx), wf), present);
        String ny = op(g, "Mul", op(g, "Div", op(g, "Sub", ys, my), wf), present);
        String hp = g.int64Vector("hand_points", tf.handPoints());
        String hw = g.int64Vector("hand_wrists", tf.handWrists());
        String handPresent = gather(g, present, hp);
        String rx = op(g, "Mul", op(g, "Sub", gather(g, nx, hp), gather(g, nx, hw)), handPresent);
        String ry = op(g, "Mul", op(g, "Sub", gather(g, ny, hp), gather(g, ny, hw)), handPresent);
        String feat = g.node("Concat", List.of(nx, ny, rx, ry), OnnxGraphWriter.intAttr("axis", 2));
        return op(g, "Mul", op(g, "Sub", feat, g.initializer("feature_mean", model.mean(), d)),
                g.initializer("feature_inv_std", model.invStd(), d));
    }

    private static String op(OnnxGraphWriter g, String type, String... inputs) {
        return g.node(type, List.of(inputs));
    }

    /** Gathers feature columns (axis 2 of {@code [B, T, F]}). */
    private static String gather(OnnxGraphWriter g, String data, String indices) {
        return g.node("Gather", List.of(data, indices), OnnxGraphWriter.intAttr("axis", 2));
    }

    private static String cast(OnnxGraphWriter g, String in) {
        return g.node("Cast", List.of(in), OnnxGraphWriter.intAttr("to",
                ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE));
    }
}
