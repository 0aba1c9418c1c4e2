package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureLayoutTest {

    /** Every value encodes where it came from: part code * 10000 + landmark * 10 + component. */
    static float code(int partCode, int landmark, int component) {
        return partCode * 10000 + landmark * 10 + component;
    }

    static LandmarkSet coded(LandmarkPart part, int partCode) {
        float[] v = new float[part.valueCount()];
        for (int l = 0; l < part.landmarkCount(); l++) {
            for (int k = 0; k < part.valuesPerLandmark(); k++) {
                v[l * part.valuesPerLandmark() + k] = code(partCode, l, k);
            }
        }
        return LandmarkSet.of(part, v);
    }

    /** Pose = 1, face = 2, left hand = 3, right hand = 4. */
    static HolisticLandmarks all() {
        return new HolisticLandmarks(
                0,
                640,
                480,
                coded(LandmarkPart.POSE, 1),
                coded(LandmarkPart.POSE_WORLD, 5),
                coded(LandmarkPart.FACE, 2),
                coded(LandmarkPart.LEFT_HAND, 3),
                coded(LandmarkPart.RIGHT_HAND, 4));
    }

    @Test
    void xyColumnsPairEachPointsXWithItsY() {
        FeatureLayout l = FeatureLayout.of("pose:11,12:xyzv;right_hand:0:xyz");
        int[][] xy = l.xyColumns();
        assertArrayEquals(new int[] {0, 4, 8}, xy[0]);
        assertArrayEquals(new int[] {1, 5, 9}, xy[1]);
        assertEquals(75, FeatureLayout.POSE_HANDS_258.xyColumns()[0].length); // 33 pose + 2 x 21 hand points
    }

    @Test
    void builtInSizes() {
        assertEquals(177, FeatureLayout.REPORTS_177.size());
        assertEquals(1662, FeatureLayout.HOLISTIC_1662.size());
        assertEquals(258, FeatureLayout.POSE_HANDS_258.size());
        assertSame(FeatureLayout.REPORTS_177, FeatureLayout.of("reports-177"));
        assertSame(FeatureLayout.HOLISTIC_1662, FeatureLayout.ofSize(1662));
    }

    @Test
    void reports177MatchesTheHandWrittenOrder() {
        float[] f = FeatureLayout.REPORTS_177.toFeatures(all());
        // Hand-computed: left hand 0..20, right hand 0..20, pose 0,11,12,13,14,15,16,23,24, face 0,13,14,17,61,
        // 267,269,291, x y z each.
        float[] expected = new float[177];
        int c = 0;
        for (int l = 0; l <= 20; l++) {
            for (int k = 0; k < 3; k++) {
                expected[c++] = 30000 + l * 10 + k;
            }
        }
        for (int l = 0; l <= 20; l++) {
            for (int k = 0; k < 3; k++) {
                expected[c++] = 40000 + l * 10 + k;
            }
        }
        for (int l : new int[] {0, 11, 12, 13, 14, 15, 16, 23, 24}) {
            for (int k = 0; k < 3; k++) {
                expected[c++] = 10000 + l * 10 + k;
            }
        }
        for (int l : new int[] {0, 13, 14, 17, 61, 267, 269, 291}) {
            for (int k = 0; k < 3; k++) {
                expected[c++] = 20000 + l * 10 + k;
            }
        }
        assertEquals(177, c);
        assertArrayEquals(expected, f);
        // Spot checks of single columns, written out.
        assertEquals(30000, f[0]);
        assertEquals(40000, f[63]);
        assertEquals(10110, f[129]);
        assertEquals(10242, f[152]);
        assertEquals(20000, f[153]);
        assertEquals(22912, f[176]);
    }

    @Test
    void holistic1662ColumnsByHand() {
        float[] f = FeatureLayout.HOLISTIC_1662.toFeatures(all());
        assertEquals(10000, f[0]);
        assertEquals(10003, f[3]); // pose 0 visibility
        assertEquals(10323, f[131]); // pose 32 visibility
        assertEquals(20000, f[132]); // face 0 x
        assertEquals(24672, f[1535]); // face 467 z
        assertEquals(30000, f[1536]); // left hand 0 x
        assertEquals(40000, f[1599]); // right hand 0 x
        assertEquals(40202, f[1661]); // right hand 20 z
    }

    @Test
    void absentPartsAreZeros() {
        HolisticLandmarks lm = all();
        HolisticLandmarks noLeft = new HolisticLandmarks(
                0,
                640,
                480,
                lm.pose(),
                lm.poseWorld(),
                lm.face(),
                LandmarkSet.absent(LandmarkPart.LEFT_HAND),
                lm.rightHand());
        float[] f = FeatureLayout.REPORTS_177.toFeatures(noLeft);
        for (int i = 0; i < 63; i++) {
            assertEquals(0f, f[i]);
        }
        assertEquals(40000, f[63]);
        assertTrue(FeatureLayout.REPORTS_177.hasAnyHand(f, 0));
        assertFalse(FeatureLayout.REPORTS_177.hasAnyHand(
                FeatureLayout.REPORTS_177.toFeatures(HolisticLandmarks.empty(0, 1, 1)), 0));
    }

    @Test
    void converts258To177WithFaceAsZeros() {
        float[] f258 = FeatureLayout.POSE_HANDS_258.toFeatures(all());
        float[] f177 = new float[177];
        FeatureLayout.Conversion conv = FeatureLayout.POSE_HANDS_258.conversionTo(FeatureLayout.REPORTS_177);
        assertEquals(24, conv.missingColumns()); // 8 face points x 3
        conv.convert(f258, 0, f177, 0);
        float[] direct = FeatureLayout.REPORTS_177.toFeatures(all());
        for (int i = 0; i < 153; i++) {
            assertEquals(direct[i], f177[i], "column " + i);
        }
        for (int i = 153; i < 177; i++) {
            assertEquals(0f, f177[i], "face column " + i);
        }
    }

    @Test
    void converts1662To258AndWholeDatasets() {
        float[] f1662 = FeatureLayout.HOLISTIC_1662.toFeatures(all());
        FeatureLayout.Conversion conv = FeatureLayout.HOLISTIC_1662.conversionTo(FeatureLayout.POSE_HANDS_258);
        assertEquals(0, conv.missingColumns());
        float[] two = new float[2 * 1662];
        System.arraycopy(f1662, 0, two, 0, 1662);
        System.arraycopy(f1662, 0, two, 1662, 1662);
        float[] out = conv.convertAll(two, 2);
        float[] expected = FeatureLayout.POSE_HANDS_258.toFeatures(all());
        for (int i = 0; i < 258; i++) {
            assertEquals(expected[i], out[i]);
            assertEquals(expected[i], out[258 + i]);
        }
        assertThrows(InvalidInputException.class, () -> conv.convertAll(new float[1661], 1));
    }

    @Test
    void specRoundTripsAndCustomLayoutsWork() {
        List<String> names = new ArrayList<>();
        for (FeatureLayout l : FeatureLayout.builtIn()) {
            assertEquals(l, FeatureLayout.of(l.spec()));
            assertEquals(l, FeatureLayout.of(l.name()));
            names.add(l.name());
        }
        List<String> listed = new ArrayList<>();
        new FeatureLayout.BuiltInNames().forEach(listed::add);
        assertEquals(names, listed);
        assertEquals(List.of("reports-177", "holistic-1662", "pose-hands-258"), listed);
        FeatureLayout custom = FeatureLayout.of("right_hand:0,4,8:xyz;pose:11,12:xyzv");
        assertEquals(3 * 3 + 2 * 4, custom.size());
        assertEquals("right_hand:0,4,8:xyz;pose:11,12:xyzv", custom.spec());
        assertEquals(FeatureLayout.of("right_hand:0,4,8:xyz; pose:11-12:xyzv").spec(), custom.spec());
        float[] f = custom.toFeatures(all());
        assertArrayEquals(
                new float[] {
                    40000, 40001, 40002, 40040, 40041, 40042, 40080, 40081, 40082, 10110, 10111, 10112, 10113, 10120,
                    10121, 10122, 10123
                },
                f);
        assertEquals(9, custom.columnOf(LandmarkPart.POSE, 11, 0));
        assertEquals(-1, custom.columnOf(LandmarkPart.FACE, 0, 0));
        assertTrue(custom.uses(LandmarkPart.POSE));
        assertFalse(custom.uses(LandmarkPart.FACE));
    }

    @Test
    void badSpecsAreNamed() {
        assertMessage("nose", () -> FeatureLayout.of("nose:0:xyz"));
        assertMessage("21", () -> FeatureLayout.of("left_hand:0-21:xyz"));
        assertMessage("xyzv", () -> FeatureLayout.of("left_hand:0:xyzv"));
        assertMessage("part:landmarks:components", () -> FeatureLayout.of("left_hand:0"));
        assertMessage("0,11-16", () -> FeatureLayout.of("pose:a:xyz"));
        assertMessage("unknown feature layout", () -> FeatureLayout.of("reports-178"));
        assertMessage("no built-in", () -> FeatureLayout.ofSize(100));
    }

    @Test
    void writeChecksRoom() {
        assertThrows(InvalidInputException.class, () -> FeatureLayout.REPORTS_177.write(all(), new float[176], 0));
        assertThrows(InvalidInputException.class, () -> FeatureLayout.REPORTS_177.write(all(), new float[177], 1));
        assertThrows(InvalidInputException.class, () -> FeatureLayout.REPORTS_177.write(null, new float[177], 0));
    }

    private static void assertMessage(String word, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertTrue(e.getMessage().contains(word), e.getMessage());
    }
}
