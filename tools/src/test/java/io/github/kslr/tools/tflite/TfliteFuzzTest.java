package io.github.kslr.tools.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kslr.api.testing.ByteMutations.Mutant;
import io.github.kslr.api.testing.FuzzChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzz property (#18) for the converter's TFLite flatbuffer reader: damaged copies of a small real model (buffers,
 * a CSR-sparse float16 constant, DENSIFY, DEQUANTIZE and ADD operators with options, tensor names) are read or
 * refused with the {@link IllegalArgumentException} {@link TfliteModel#read} documents, within bounded allocation.
 *
 * <p>No MediaPipe {@code .tflite} is on this machine or in {@code ../shared} (the converter downloads them at
 * conversion time), so the seed is built here with {@link TfliteBuilder}, laid out by the same schema slots.
 */
class TfliteFuzzTest {
    private static final int ADD = 0;
    private static final int DEQUANTIZE = 6;
    private static final int DENSIFY = 124;
    private static final int ADD_OPTS = 11;
    private static final int DEQUANT_OPTS = 38;
    private static final int DENSIFY_OPTS = 99;

    static byte[] seed() {
        TfliteBuilder b = new TfliteBuilder();
        int x = b.input("x", 2, 8);
        short[] half = new short[5];
        for (int i = 0; i < half.length; i++) {
            half[i] = (short) (0x3c00 + i * 0x40); // 1.0, 1.0625, ... in float16
        }
        int ws = b.constF16(
                "w_sparse", half, new TfliteBuilder.SparseDef(new int[] {0, 3, 5}, new int[] {0, 2, 5, 1, 7}), 2, 8);
        int wd = b.tensorF16("w_dense16", 2, 8);
        b.op(DENSIFY, DENSIFY_OPTS, empty(), new int[] {ws}, wd);
        int w = b.tensor("w", 2, 8);
        b.op(DEQUANTIZE, DEQUANT_OPTS, empty(), new int[] {wd}, w);
        int sum = b.tensor("sum", 2, 8);
        b.op(ADD, ADD_OPTS, add(), new int[] {x, w}, sum);
        int bias = b.constF32("bias", new float[] {0.5f, -0.5f, 0, 1, 2, 3, 4, 5}, 8);
        int y = b.tensor("y", 2, 8);
        b.op(ADD, ADD_OPTS, add(), new int[] {sum, bias}, y);
        b.output(y);
        return b.build();
    }

    private static java.util.function.ToIntFunction<com.google.flatbuffers.FlatBufferBuilder> empty() {
        return fb -> {
            fb.startTable(1);
            return fb.endTable();
        };
    }

    private static java.util.function.ToIntFunction<com.google.flatbuffers.FlatBufferBuilder> add() {
        return fb -> {
            fb.startTable(2);
            fb.addByte(0, (byte) 0, 0); // fused activation NONE
            return fb.endTable();
        };
    }

    @Test
    void theSeedIsARealModel() {
        TfliteModel m = TfliteModel.read(seed());
        assertEquals(4, m.operators().size());
        assertEquals(
                List.of("x", "w_sparse", "w_dense16", "w", "sum", "bias", "y"),
                m.tensors().stream().map(TfliteModel.Tensor::name).toList());
        assertEquals(2, m.tensor(1).sparsity().dimensions().size());
    }

    @Test
    void damagedModelsAreReadOrRefusedByName() {
        FuzzChecks.forEachMutant("TfliteModel.read", seed(), 500, (Mutant m) -> {
            var outcome = FuzzChecks.parses(m, () -> TfliteModel.read(m.bytes()), IllegalArgumentException.class);
            if (outcome.accepted()) {
                // What is read is safe to walk: every tensor's shape, data view and element count.
                for (TfliteModel.Tensor t : outcome.value().tensors()) {
                    t.elementCount();
                    t.data().capacity();
                }
            }
        });
    }

    @Test
    void everyTruncationAndTheFuzzersFindingsAreRefusedByName() {
        // Found by damagedModelsAreReadOrRefusedByName: offsets past the end threw IndexOutOfBoundsException from
        // flatbuffers' absolute reads, and inflated vector lengths were allocated before being read.
        byte[] seed = seed();
        for (int len = 8; len < seed.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(seed, len);
            FuzzChecks.parses("first " + len + " bytes", () -> {
                try {
                    return TfliteModel.read(cut);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            });
        }
        for (long s : new long[] {
            3143262695485243802L,
            3341358689149018393L,
            3680530705396474461L,
            3429740334391516668L,
            -8934184487537426584L
        }) {
            Mutant m = io.github.kslr.api.testing.ByteMutations.mutate(seed, s);
            FuzzChecks.parses(m, () -> TfliteModel.read(m.bytes()), IllegalArgumentException.class);
        }
        // A vector length inflated to 2^31 - 1: the tensors vector is refused before 2 G of list slots are made.
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(seed.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int inflated = 0;
        for (int p = 8; p + 4 <= seed.length; p += 4) {
            if (bb.getInt(p) == 7) { // the subgraph's seven tensors
                byte[] b = seed.clone();
                java.nio.ByteBuffer.wrap(b)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putInt(p, Integer.MAX_VALUE);
                var outcome = FuzzChecks.parses(
                        "length 2^31-1 at " + p, () -> TfliteModel.read(b), IllegalArgumentException.class);
                inflated += outcome.accepted() ? 0 : 1;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(inflated > 0, "no length 7 found to inflate");
    }

    /**
     * The smallest MediaPipe {@code .tflite} that {@code tools/install-test-deps.sh} brought in with the npm reference
     * tools ({@code tools/<tool>/node_modules/@mediapipe}); skips with a message where they are not installed.
     */
    @Test
    void damagedMediapipeModelsAreReadOrRefusedByName() throws java.io.IOException {
        java.nio.file.Path tools = java.nio.file.Paths.get(System.getProperty("user.dir"));
        java.nio.file.Path smallest = null;
        try (var dirs = java.nio.file.Files.list(tools)) {
            for (java.nio.file.Path d : dirs.toList()) {
                java.nio.file.Path mp = d.resolve("node_modules/@mediapipe");
                if (!java.nio.file.Files.isDirectory(mp)) {
                    continue;
                }
                try (var files = java.nio.file.Files.walk(mp)) {
                    for (java.nio.file.Path f :
                            files.filter(f -> f.toString().endsWith(".tflite")).toList()) {
                        if (smallest == null || java.nio.file.Files.size(f) < java.nio.file.Files.size(smallest)) {
                            smallest = f;
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                smallest != null,
                "no .tflite under tools/*/node_modules/"
                        + "@mediapipe (run tools/install-test-deps.sh); the built seed above still covers the reader");
        byte[] real = java.nio.file.Files.readAllBytes(smallest);
        TfliteModel.read(real);
        FuzzChecks.forEachMutant(
                "TfliteModel.read " + smallest.getFileName(),
                real,
                150,
                (Mutant m) -> FuzzChecks.parses(m, () -> TfliteModel.read(m.bytes()), IllegalArgumentException.class));
    }
}
