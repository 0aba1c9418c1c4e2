package io.github.kslr.tools.models;

import ai.onnx.proto.OnnxMl;
import io.github.kslr.tools.tflite.TfliteModel;
import io.github.kslr.tools.tflite.TfliteToOnnx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts MediaPipe's pinned holistic models to ONNX and writes them with a manifest and a NOTICE.
 *
 * <pre>
 * java -cp tools/target/kslr-tools.jar io.github.kslr.tools.models.ConvertModels \
 *     --tarball DIR/mediapipe-holistic-0.5.1675471629.tgz --out DIR [--all]
 * </pre>
 * Without {@code --all} it writes the models the product bundles; {@code --all} adds pose_landmark_lite and _heavy.
 * {@code --int8 MEDIA_DIR} then also writes {@code NAME.int8.onnx} for the stages
 * {@link io.github.kslr.tools.quant.Int8Models#PLAN} lists, calibrated on the landmarker's crops of the media there
 * (the float files are not changed by it). {@code --with-segmentation} keeps the pose models' segmentation output (Identity_2), which the bundled ones leave out
 * (then no manifest is written: it describes the bundled outputs).
 * Output bytes depend only on the tarball (no timestamps), so running it twice gives identical files.
 *
 * <p>Stateless static methods; thread-safe.
 */
public final class ConvertModels {
    private static final Logger LOG = LoggerFactory.getLogger(ConvertModels.class);
    public static final String MANIFEST = "manifest.json";
    public static final String NOTICE = "NOTICE";

    private ConvertModels() {}

    /** A converted model and its ONNX bytes. */
    public record Converted(ModelCatalog.Spec spec, byte[] onnx, byte[] tflite, String origin) {}

    /** Converts one catalog model from the source and checks its ports against the catalog. */
    public static Converted convert(MediapipeSource source, ModelCatalog.Spec spec) {
        return convert(source, spec, false);
    }

    /**
     * Converts one catalog model; with {@code keepOmitted} the outputs the catalog leaves out (pose segmentation) are
     * kept, in TFLite's output order.
     */
    public static Converted convert(MediapipeSource source, ModelCatalog.Spec spec, boolean keepOmitted) {
        byte[] tflite = source.model(spec.tflite());
        String origin = source.origin(spec.tflite());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kslr.model", spec.name());
        meta.put("kslr.source", MediapipeSource.PACKAGE + "@" + MediapipeSource.VERSION + ": " + origin);
        meta.put("kslr.source.sha256", MediapipeSource.sha256(tflite));
        meta.put("kslr.license", "Apache-2.0 (MediaPipe, Copyright The MediaPipe Authors / Google LLC)");
        meta.put("kslr.layout", "input NHWC float32 [N,H,W,3] RGB; outputs in TFLite's shapes with batch N");
        OnnxMl.ModelProto model = TfliteToOnnx.convert(
                TfliteModel.read(tflite),
                new TfliteToOnnx.Options(
                        spec.name(),
                        "MediaPipe " + spec.tflite() + " converted to ONNX by kslr-tools: " + spec.purpose(),
                        meta,
                        keepOmitted ? java.util.Set.of() : spec.omitted().keySet()));
        if (!keepOmitted) {
            check(spec, model);
        }
        return new Converted(spec, model.toByteArray(), tflite, origin);
    }

    private static void check(ModelCatalog.Spec spec, OnnxMl.ModelProto model) {
        List<String> ins = model.getGraph().getInputList().stream()
                .map(OnnxMl.ValueInfoProto::getName)
                .toList();
        List<String> outs = model.getGraph().getOutputList().stream()
                .map(OnnxMl.ValueInfoProto::getName)
                .toList();
        List<String> expectedOuts =
                spec.outputs().stream().map(ModelCatalog.Port::name).toList();
        if (!ins.equals(List.of(spec.input().name())) || !outs.equals(expectedOuts)) {
            throw new IllegalStateException(spec.name() + ": converted graph has inputs " + ins + " outputs " + outs
                    + ", the catalog says " + spec.input().name() + " / " + expectedOuts);
        }
    }

    /** Converts {@code specs} and writes the .onnx files, {@value #MANIFEST} and {@value #NOTICE} into {@code out}. */
    public static List<Converted> write(MediapipeSource source, List<ModelCatalog.Spec> specs, Path out)
            throws IOException {
        return write(source, specs, out, false);
    }

    /** As {@link #write(MediapipeSource, List, Path)}; {@code keepOmitted} keeps pose segmentation outputs. */
    public static List<Converted> write(
            MediapipeSource source, List<ModelCatalog.Spec> specs, Path out, boolean keepOmitted) throws IOException {
        Files.createDirectories(out);
        List<Converted> done = new ArrayList<>();
        for (ModelCatalog.Spec spec : specs) {
            Converted c = convert(source, spec, keepOmitted);
            Files.write(out.resolve(spec.onnxFile()), c.onnx());
            LOG.info("{}: {} bytes of TFLite -> {} bytes of ONNX", spec.name(), c.tflite().length, c.onnx().length);
            done.add(c);
        }
        if (keepOmitted) {
            // The manifest describes the catalog's outputs; a segmentation build documents itself in its graphs.
            Files.writeString(out.resolve(NOTICE), notice(done), StandardCharsets.UTF_8);
            return done;
        }
        Files.writeString(out.resolve(MANIFEST), manifest(done), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(NOTICE), notice(done), StandardCharsets.UTF_8);
        return done;
    }

    static String manifest(List<Converted> models) {
        Json j = new Json();
        j.open('{');
        j.key("format").value(1);
        j.key("source")
                .open('{')
                .key("package")
                .value(MediapipeSource.PACKAGE)
                .key("version")
                .value(MediapipeSource.VERSION)
                .key("tarball")
                .value(MediapipeSource.TARBALL)
                .key("tarballSha256")
                .value(MediapipeSource.TARBALL_SHA256)
                .key("license")
                .value("Apache-2.0")
                .close('}');
        j.key("converter").value("kslr-tools io.github.kslr.tools.models.ConvertModels (tools/convert-models.sh)");
        j.key("onnxOpset").value(TfliteToOnnx.OPSET);
        j.key("conventions")
                .value("Inputs are NHWC float32 [N,H,W,3], RGB, with a free batch dimension N (several"
                        + " crops per call). Outputs keep the TFLite names and shapes, batch N first. Bind by name."
                        + " Weights are float16 initializers cast to float32 at load (lossless).");
        j.key("models").open('[');
        for (Converted c : models) {
            OnnxMl.GraphProto g;
            try {
                g = OnnxMl.ModelProto.parseFrom(c.onnx()).getGraph();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            ModelCatalog.Spec s = c.spec();
            j.open('{');
            j.key("name").value(s.name());
            j.key("file").value(s.onnxFile());
            j.key("bundled").value(s.bundled());
            j.key("purpose").value(s.purpose());
            j.key("sha256").value(MediapipeSource.sha256(c.onnx()));
            j.key("bytes").value(c.onnx().length);
            j.key("source")
                    .open('{')
                    .key("file")
                    .value(s.tflite())
                    .key("from")
                    .value(c.origin())
                    .key("sha256")
                    .value(MediapipeSource.sha256(c.tflite()))
                    .key("bytes")
                    .value(c.tflite().length)
                    .close('}');
            j.key("inputs").open('[');
            port(j, g.getInput(0), s.input(), "NHWC");
            j.close(']');
            j.key("outputs").open('[');
            for (int i = 0; i < g.getOutputCount(); i++) {
                port(j, g.getOutput(i), s.outputs().get(i), null);
            }
            j.close(']');
            if (!s.omitted().isEmpty()) {
                j.key("omittedOutputs").open('{');
                for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.omitted()).entrySet()) {
                    j.key(e.getKey()).value(e.getValue());
                }
                j.close('}');
            }
            j.close('}');
        }
        j.close(']');
        j.close('}');
        return j.toString() + "\n";
    }

    private static void port(Json j, OnnxMl.ValueInfoProto v, ModelCatalog.Port p, String layout) {
        j.open('{').key("name").value(v.getName()).key("dtype").value("float32");
        j.key("shape").open('[');
        for (OnnxMl.TensorShapeProto.Dimension d :
                v.getType().getTensorType().getShape().getDimList()) {
            if (d.hasDimParam()) {
                j.value(d.getDimParam());
            } else {
                j.value(d.getDimValue());
            }
        }
        j.close(']');
        if (layout != null) {
            j.key("layout").value(layout);
            j.key("channels").value("RGB");
        }
        if (!Double.isNaN(p.min())) {
            j.key("range").open('[').value(p.min()).value(p.max()).close(']');
        }
        j.key("description").value(p.description());
        j.close('}');
    }

    static String notice(List<Converted> models) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("The ONNX models in this folder are converted from MediaPipe's models in the npm package\n")
                .append(MediapipeSource.PACKAGE)
                .append('@')
                .append(MediapipeSource.VERSION)
                .append(" (https://github.com/google-ai-edge/mediapipe), Copyright The MediaPipe Authors,\n")
                .append("licensed under the Apache License, Version 2.0 (full text below).\n\n")
                .append(
                        "Modifications: the TFLite graphs were converted to ONNX by KSLR's tools (TFLite -> ONNX operator\n")
                .append(
                        "mapping, NCHW layout inside, a free batch dimension, sparse weights stored dense). The weights\n")
                .append("are unchanged.\n\nFiles and their sources:\n");
        for (Converted c : models) {
            b.append("  ")
                    .append(c.spec().onnxFile())
                    .append(" <- ")
                    .append(c.origin())
                    .append('\n');
        }
        b.append("\n");
        try (InputStream in = ConvertModels.class.getResourceAsStream("LICENSE-2.0.txt")) {
            if (in == null) {
                throw new IOException("LICENSE-2.0.txt resource missing from kslr-tools");
            }
            b.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        Path tarball = null;
        Path out = null;
        boolean all = false;
        boolean segmentation = false;
        Path int8Media = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tarball" -> tarball = Paths.get(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--all" -> all = true;
                case "--with-segmentation" -> segmentation = true;
                case "--int8" -> int8Media = Paths.get(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; usage: --tarball FILE --out DIR [--all] [--with-segmentation] [--int8 MEDIA_DIR]");
            }
        }
        if (tarball == null || out == null) {
            throw new IllegalArgumentException("usage: --tarball FILE --out DIR [--all]");
        }
        MediapipeSource source = MediapipeSource.read(tarball);
        boolean everything = all;
        List<ModelCatalog.Spec> specs =
                ModelCatalog.ALL.stream().filter(s -> everything || s.bundled()).toList();
        write(source, specs, out, segmentation);
        if (int8Media != null) {
            if (segmentation) {
                throw new IllegalArgumentException(
                        "--int8 makes the bundled stages' int8 models; not with" + " --with-segmentation");
            }
            // Beside the float files, which stay as written above (byte for byte what a run without --int8 writes).
            io.github.kslr.tools.quant.Int8Models.write(out, int8Media);
        }
    }

    /** Just enough JSON writing for the manifest (stable formatting: one value per line, two-space indent). */
    private static final class Json {
        private final StringBuilder b = new StringBuilder();
        private int depth;
        private boolean first = true;
        private boolean afterKey;

        Json open(char c) {
            prefix();
            b.append(c);
            depth++;
            first = true;
            return this;
        }

        Json close(char c) {
            depth--;
            if (!first) {
                b.append('\n').append("  ".repeat(depth));
            }
            b.append(c);
            first = false;
            return this;
        }

        Json key(String k) {
            prefix();
            str(k);
            b.append(": ");
            afterKey = true;
            return this;
        }

        Json value(String v) {
            prefix();
            str(v);
            return this;
        }

        Json value(long v) {
            prefix();
            b.append(v);
            return this;
        }

        Json value(double v) {
            prefix();
            b.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
            return this;
        }

        Json value(boolean v) {
            prefix();
            b.append(v);
            return this;
        }

        private void prefix() {
            if (afterKey) {
                afterKey = false;
                return;
            }
            if (depth > 0) {
                if (!first) {
                    b.append(',');
                }
                b.append('\n').append("  ".repeat(depth));
            }
            first = false;
        }

        private void str(String s) {
            b.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
