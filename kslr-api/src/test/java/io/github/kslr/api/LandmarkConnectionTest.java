package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The connection lists the drawing code and the {@code .pose} writer share. */
class LandmarkConnectionTest {

    /** Each line joins two landmarks of its part, appears once (either way round), and every landmark is reached. */
    private static void checkGraph(List<LandmarkConnection> connections, int count, Set<Integer> unconnected) {
        Set<String> seen = new HashSet<>();
        Set<Integer> reached = new HashSet<>();
        for (LandmarkConnection c : connections) {
            assertTrue(c.start() < count && c.end() < count, c.toString());
            String key = Math.min(c.start(), c.end()) + "-" + Math.max(c.start(), c.end());
            assertTrue(seen.add(key), "twice: " + key);
            reached.add(c.start());
            reached.add(c.end());
        }
        for (int i = 0; i < count; i++) {
            assertEquals(!unconnected.contains(i), reached.contains(i), "landmark " + i);
        }
    }

    @Test
    void handConnectionsJoinEveryLandmark() {
        checkGraph(HandLandmark.CONNECTIONS, HandLandmark.COUNT, Set.of());
        // Five fingers of four segments, and the palm's base from the wrist to the little finger.
        assertEquals(21, HandLandmark.CONNECTIONS.size());
    }

    @Test
    void poseConnectionsJoinEveryLandmarkAndMirrorLeftAndRight() {
        checkGraph(PoseLandmark.CONNECTIONS, PoseLandmark.COUNT, Set.of());
        // MediaPipe's left and right landmarks alternate from the shoulders down (odd = left, even = right), so
        // each left limb has its right twin one index up.
        Set<String> lines = new HashSet<>();
        for (LandmarkConnection c : PoseLandmark.CONNECTIONS) {
            lines.add(c.start() + "-" + c.end());
        }
        for (LandmarkConnection c : PoseLandmark.CONNECTIONS) {
            if (c.start() >= PoseLandmark.LEFT_SHOULDER && c.start() % 2 == 1 && c.end() % 2 == 1) {
                assertTrue(lines.contains((c.start() + 1) + "-" + (c.end() + 1)), "no right twin of " + c);
            }
        }
    }

    @Test
    void partsNameTheirLists() {
        assertEquals(PoseLandmark.CONNECTIONS, LandmarkPart.POSE.connections());
        assertEquals(PoseLandmark.CONNECTIONS, LandmarkPart.POSE_WORLD.connections());
        assertEquals(HandLandmark.CONNECTIONS, LandmarkPart.LEFT_HAND.connections());
        assertEquals(HandLandmark.CONNECTIONS, LandmarkPart.RIGHT_HAND.connections());
        assertEquals(List.of(), LandmarkPart.FACE.connections());
    }

    @Test
    void aConnectionNeedsTwoLandmarks() {
        assertThrows(InvalidInputException.class, () -> new LandmarkConnection(3, 3));
        assertThrows(InvalidInputException.class, () -> new LandmarkConnection(-1, 2));
    }
}
