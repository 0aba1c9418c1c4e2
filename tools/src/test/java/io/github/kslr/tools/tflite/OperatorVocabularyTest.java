package io.github.kslr.tools.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The converter's names for TFLite's operators, options, paddings and activations (no LiteRT needed). */
class OperatorVocabularyTest {
    @Test
    void operatorCodesAreDistinctAndFoundByCode() {
        Set<Integer> codes = new HashSet<>();
        for (BuiltinOperator op : BuiltinOperator.values()) {
            assertTrue(codes.add(op.code()), op + " repeats code " + op.code());
            assertSame(op, BuiltinOperator.of(op.code()));
            assertEquals(op.name(), TfliteToOnnx.opName(op.code()));
        }
        assertEquals("BUILTIN_200", TfliteToOnnx.opName(200));
        assertFalse(OperatorConverters.ALL.containsKey(BuiltinOperator.CUSTOM));
    }

    @Test
    void operatorWithoutNameFailsWithItsCode() {
        TfliteBuilder b = new TfliteBuilder();
        b.input("x", 1, 4);
        int y = b.tensor("y", 1, 4);
        b.op(200, 0, null, new int[] {0}, y);
        b.output(y);
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class,
                () -> TfliteToOnnx.convert(TfliteModel.read(b.build()), new TfliteToOnnx.Options("m", "", Map.of())));
        assertTrue(e.getMessage().contains("unsupported TFLite operator BUILTIN_200"), e.getMessage());
    }

    @Test
    void codesOutsideTheSchemaAreRefusedWithTheCode() {
        assertSame(Activation.RELU6, Activation.of(3));
        assertSame(Padding.VALID, Padding.of(1));
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> Activation.of(9))
                .getMessage()
                .contains("fused activation 9"));
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> Padding.of(2))
                .getMessage()
                .contains("padding 2"));
    }

    @Test
    void optionalOptionTablesReadAsSchemaDefaults() {
        assertSame(Activation.NONE, BuiltinOptions.Arithmetic.read(null).fusedActivation());
        assertEquals(
                new BuiltinOptions.FullyConnected(Activation.NONE, 0, false), BuiltinOptions.FullyConnected.read(null));
        assertFalse(BuiltinOptions.Reducer.read(null).keepDims());
        assertEquals(new BuiltinOptions.ResizeBilinear(false, false), BuiltinOptions.ResizeBilinear.read(null));
    }

    @Test
    void samePaddingPutsTheOddCellAtTheEnd() {
        assertArrayEquals(new int[] {0, 1}, Padding.SAME.pads(8, 3, 2, 1, 4));
        assertArrayEquals(new int[] {1, 1}, Padding.SAME.pads(7, 3, 1, 1, 7));
        assertArrayEquals(new int[] {0, 0}, Padding.VALID.pads(6, 3, 3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Padding.VALID.pads(6, 3, 3, 1, 3));
    }
}
