package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.onnx.writer.DenseWeights;
import io.github.kslr.onnx.writer.InputStage;
import io.github.kslr.onnx.writer.LstmWeights;
import io.github.kslr.onnx.writer.SignModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignModelBuilderTest {
    @TempDir
    Path tmp;

    static final SignModelMetadata META = SignModelMetadata.of(List.of("a", "b", "-"), FeatureLayout.REPORTS_177, 30)
            .withTranslations(Map.of("a", "letter a"), Map.of("a", "ក"))
            .withNoSignLabel("-");

    @Test
    void reportsArchitectureHasTheReportsParameterCount() {
        OnnxMl.ModelProto m = SignModelBuilder.builder(SignModelMetadata.of(
                        java.util.stream.IntStream.range(0, 21)
                                .mapToObj(i -> "sign" + i)
                                .toList(),
                        FeatureLayout.REPORTS_177,
                        30))
                .buildProto();
        long params = 0;
        long lstmBiasExtra = 0;
        for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                continue;
            }
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            params += n;
            if (t.getName().contains("_B")) {
                lstmBiasExtra += n / 2; // ONNX keeps Wb and Rb; Keras counts one bias
            }
        }
        // Figure 3.5 of the first report: 61,952 + 98,816 + 8,256 + 1,365 = 170,389 trainable parameters.
        assertEquals(170_389, params - lstmBiasExtra);
        assertEquals(SignModelBuilder.OPSET, m.getOpsetImport(0).getVersion());
        assertTrue(
                m.getGraph().getNodeList().stream()
                        .filter(n -> n.getOpType().equals("LSTM"))
                        .allMatch(n -> n.getAttributeList().stream()
                                .anyMatch(a -> a.getName().equals("layout") && a.getI() == 0)),
                "LSTMs are time-major");
    }

    @Test
    void writesTheMetadataContract() throws Exception {
        Path file = tmp.resolve("m.onnx");
        SignModelBuilder.builder(META)
                .lstmUnits(8)
                .denseUnits()
                .randomWeights(1)
                .write(file);
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        Map<String, String> props = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : m.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        assertEquals(META, SignModelMetadata.fromProperties(props, "m"));
        try (OnnxSignClassifier c = OnnxSignClassifier.builder().model(file).build()) {
            assertEquals(META, c.metadata());
            assertEquals("ក", c.metadata().labels().get(0).khmer());
        }
    }

    @Test
    void seedsDecideRandomWeights() {
        SignModelBuilder b = SignModelBuilder.builder(META).lstmUnits(4, 3).denseUnits(5);
        assertArrayEquals(b.randomWeights(1).build(), b.randomWeights(1).build());
        assertNotEquals(
                java.util.Arrays.hashCode(b.randomWeights(1).build()),
                java.util.Arrays.hashCode(b.randomWeights(2).build()));
    }

    @Test
    void rejectsWeightsThatDoNotChain() {
        Random r = new Random(1);
        LstmWeights l1 = LstmWeights.random(177, 8, r);
        LstmWeights wrongIn = LstmWeights.random(176, 8, r);
        DenseWeights out3 = DenseWeights.random(8, 3, r);
        DenseWeights out4 = DenseWeights.random(8, 4, r);
        DenseWeights in9 = DenseWeights.random(9, 3, r);
        SignModelBuilder b = SignModelBuilder.builder(META);
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> b.weights(List.of(wrongIn), List.of(out3)).build());
        assertTrue(e.getMessage().contains("feature size"), e.getMessage());
        e = assertThrows(
                InvalidInputException.class,
                () -> b.weights(List.of(l1), List.of(out4)).build());
        assertTrue(e.getMessage().contains("3 labels"), e.getMessage());
        e = assertThrows(
                InvalidInputException.class,
                () -> b.weights(List.of(l1), List.of(in9)).build());
        assertTrue(e.getMessage().contains("dense layer 0"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> b.weights(List.of(), List.of(out3)));
        assertEquals(
                3,
                b.weights(List.of(l1), List.of(out3))
                        .buildProto()
                        .getGraph()
                        .getOutput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(1)
                        .getDimValue());
        e = assertThrows(
                InvalidInputException.class,
                () -> SignModelBuilder.builder(META)
                        .inputStage(InputStage.standardize(new float[6], new float[6]))
                        .build());
        assertTrue(e.getMessage().contains("expects 6 features"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> InputStage.standardize(new float[2], new float[] {1, -1}));
        assertThrows(
                InvalidInputException.class,
                () -> LstmWeights.of(2, 1, new float[8], new float[4], new float[4], new float[3]));
        float[] nan = new float[8];
        nan[1] = Float.NaN;
        assertThrows(
                InvalidInputException.class, () -> LstmWeights.of(2, 1, nan, new float[4], new float[4], new float[4]));
    }

    @Test
    void kerasConversionReordersGates() {
        // Keras gates i, f, c, o with H = 1: kernel columns are the gates.
        float[] kernel = {1, 2, 3, 4};
        float[] recurrent = {10, 20, 30, 40};
        float[] bias = {100, 200, 300, 400};
        LstmWeights w = LstmWeights.fromKeras(1, 1, kernel, recurrent, bias);
        // ONNX order i, o, f, c.
        assertArrayEquals(new float[] {1, 4, 2, 3}, w.w());
        assertArrayEquals(new float[] {10, 40, 20, 30}, w.r());
        assertArrayEquals(new float[] {100, 400, 200, 300}, w.wb());
        assertArrayEquals(new float[4], w.rb());
    }
}
