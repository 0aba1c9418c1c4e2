package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class SequenceBufferTest {

    private static float[] frame(int size, float value) {
        float[] f = new float[size];
        java.util.Arrays.fill(f, value);
        return f;
    }

    @Test
    void windowIsOldestFirstAfterWrapping() {
        SequenceBuffer b = SequenceBuffer.builder().length(3).featureSize(2).build();
        assertFalse(b.push(new float[] {1, 1}));
        assertFalse(b.push(new float[] {2, 2}));
        assertTrue(b.push(new float[] {3, 3}));
        assertTrue(b.push(new float[] {4, 4}));
        assertTrue(b.push(new float[] {5, 5}));
        assertArrayEquals(new float[] {3, 3, 4, 4, 5, 5}, b.window());
        FloatBuffer fb = FloatBuffer.allocate(8);
        fb.put(9f);
        b.copyWindow(fb);
        assertEquals(7, fb.position());
        assertEquals(3f, fb.get(1));
        assertEquals(5f, fb.get(6));
    }

    @Test
    void strideSpacesWindows() {
        SequenceBuffer b =
                SequenceBuffer.builder().length(2).featureSize(1).stride(3).build();
        boolean[] ready = new boolean[9];
        for (int i = 0; i < 9; i++) {
            ready[i] = b.push(new float[] {i});
        }
        // First window when full (frame 1), then every third frame.
        assertArrayEquals(new boolean[] {false, true, false, false, true, false, false, true, false}, ready);
    }

    @Test
    void clearPolicyEmptiesTheWindowWhenHandsDisappear() {
        SequenceBuffer b = SequenceBuffer.builder()
                .length(2)
                .layout(FeatureLayout.REPORTS_177)
                .handLossPolicy(HandLossPolicy.CLEAR)
                .build();
        assertFalse(b.push(frame(177, 0.5f)));
        assertFalse(b.push(frame(177, 0f))); // no hands: cleared, not pushed
        assertEquals(0, b.size());
        assertFalse(b.push(frame(177, 0.5f)));
        assertTrue(b.push(frame(177, 0.6f)));
    }

    @Test
    void skipPolicyDropsTheFrameOnly() {
        SequenceBuffer b = SequenceBuffer.builder()
                .length(2)
                .featureSize(1)
                .handLossPolicy(HandLossPolicy.SKIP)
                .build();
        b.push(new float[] {1}, 0, true);
        assertFalse(b.push(new float[] {2}, 0, false));
        assertTrue(b.push(new float[] {3}, 0, true));
        assertArrayEquals(new float[] {1, 3}, b.window());
    }

    @Test
    void pushLandmarksWritesTheLayout() {
        SequenceBuffer b = SequenceBuffer.builder()
                .length(1)
                .layout(FeatureLayout.REPORTS_177)
                .build();
        HolisticLandmarks lm = FeatureLayoutTest.all();
        assertTrue(b.push(lm));
        assertArrayEquals(FeatureLayout.REPORTS_177.toFeatures(lm), b.window());
        SequenceBuffer bare =
                SequenceBuffer.builder().length(1).featureSize(177).build();
        assertThrows(InvalidInputException.class, () -> bare.push(lm));
    }

    @Test
    void rejectsBadFramesWithoutChangingState() {
        SequenceBuffer b = SequenceBuffer.builder().length(2).featureSize(3).build();
        b.push(new float[] {1, 2, 3});
        assertThrows(InvalidInputException.class, () -> b.push(new float[2]));
        assertThrows(InvalidInputException.class, () -> b.push((float[]) null));
        InvalidInputException nan =
                assertThrows(InvalidInputException.class, () -> b.push(new float[] {1, Float.NaN, 3}));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        assertThrows(InvalidInputException.class, () -> b.push(new float[] {1, 2, Float.POSITIVE_INFINITY}));
        assertThrows(InvalidInputException.class, () -> b.push(new float[4], 2));
        assertEquals(1, b.size());
    }

    @Test
    void copyWindowNeedsAFullBufferAndRoom() {
        SequenceBuffer b = SequenceBuffer.builder().length(2).featureSize(2).build();
        b.push(new float[] {1, 1});
        KslrException e = assertThrows(KslrException.class, b::window);
        assertTrue(e.getMessage().contains("1 of 2"), e.getMessage());
        b.push(new float[] {2, 2});
        assertThrows(InvalidInputException.class, () -> b.copyWindow(new float[3], 0));
        assertThrows(InvalidInputException.class, () -> b.copyWindow(FloatBuffer.allocate(3)));
        b.clear();
        assertEquals(0, b.size());
        assertFalse(b.isFull());
    }

    @Test
    void builderValidates() {
        assertThrows(InvalidInputException.class, () -> SequenceBuffer.builder().length(0));
        assertThrows(InvalidInputException.class, () -> SequenceBuffer.builder().stride(-1));
        assertThrows(InvalidInputException.class, () -> SequenceBuffer.builder().build());
        assertThrows(
                InvalidInputException.class,
                () -> SequenceBuffer.builder()
                        .layout(FeatureLayout.REPORTS_177)
                        .featureSize(176)
                        .build());
        assertThrows(InvalidInputException.class, () -> SequenceBuffer.builder().handLossPolicy(null));
        assertEquals(30 * 177, SequenceBuffer.of(30, FeatureLayout.REPORTS_177).windowSize());
    }
}
