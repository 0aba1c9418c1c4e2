package io.github.kslr.api;

import java.util.List;

/** Indices of MediaPipe's 21 hand landmarks, named as MediaPipe's {@code HandLandmark} names them. */
public final class HandLandmark {
    public static final int WRIST = 0;
    public static final int THUMB_CMC = 1;
    public static final int THUMB_MCP = 2;
    public static final int THUMB_IP = 3;
    public static final int THUMB_TIP = 4;
    public static final int INDEX_FINGER_MCP = 5;
    public static final int INDEX_FINGER_PIP = 6;
    public static final int INDEX_FINGER_DIP = 7;
    public static final int INDEX_FINGER_TIP = 8;
    public static final int MIDDLE_FINGER_MCP = 9;
    public static final int MIDDLE_FINGER_PIP = 10;
    public static final int MIDDLE_FINGER_DIP = 11;
    public static final int MIDDLE_FINGER_TIP = 12;
    public static final int RING_FINGER_MCP = 13;
    public static final int RING_FINGER_PIP = 14;
    public static final int RING_FINGER_DIP = 15;
    public static final int RING_FINGER_TIP = 16;
    public static final int PINKY_MCP = 17;
    public static final int PINKY_PIP = 18;
    public static final int PINKY_DIP = 19;
    public static final int PINKY_TIP = 20;
    /** How many hand landmarks there are. */
    public static final int COUNT = 21;

    /** MediaPipe's {@code HAND_CONNECTIONS}: each finger from its base, and the palm. Immutable. */
    public static final List<LandmarkConnection> CONNECTIONS = List.of(
            c(WRIST, THUMB_CMC),
            c(THUMB_CMC, THUMB_MCP),
            c(THUMB_MCP, THUMB_IP),
            c(THUMB_IP, THUMB_TIP),
            c(WRIST, INDEX_FINGER_MCP),
            c(INDEX_FINGER_MCP, INDEX_FINGER_PIP),
            c(INDEX_FINGER_PIP, INDEX_FINGER_DIP),
            c(INDEX_FINGER_DIP, INDEX_FINGER_TIP),
            c(INDEX_FINGER_MCP, MIDDLE_FINGER_MCP),
            c(MIDDLE_FINGER_MCP, MIDDLE_FINGER_PIP),
            c(MIDDLE_FINGER_PIP, MIDDLE_FINGER_DIP),
            c(MIDDLE_FINGER_DIP, MIDDLE_FINGER_TIP),
            c(MIDDLE_FINGER_MCP, RING_FINGER_MCP),
            c(RING_FINGER_MCP, RING_FINGER_PIP),
            c(RING_FINGER_PIP, RING_FINGER_DIP),
            c(RING_FINGER_DIP, RING_FINGER_TIP),
            c(RING_FINGER_MCP, PINKY_MCP),
            c(WRIST, PINKY_MCP),
            c(PINKY_MCP, PINKY_PIP),
            c(PINKY_PIP, PINKY_DIP),
            c(PINKY_DIP, PINKY_TIP));

    /**
     * Each finger's landmarks from its base to its tip (thumb, index, middle, ring, pinky), four a finger; the wrist
     * comes before each. Immutable.
     */
    public static final List<List<Integer>> FINGERS = List.of(
            List.of(THUMB_CMC, THUMB_MCP, THUMB_IP, THUMB_TIP),
            List.of(INDEX_FINGER_MCP, INDEX_FINGER_PIP, INDEX_FINGER_DIP, INDEX_FINGER_TIP),
            List.of(MIDDLE_FINGER_MCP, MIDDLE_FINGER_PIP, MIDDLE_FINGER_DIP, MIDDLE_FINGER_TIP),
            List.of(RING_FINGER_MCP, RING_FINGER_PIP, RING_FINGER_DIP, RING_FINGER_TIP),
            List.of(PINKY_MCP, PINKY_PIP, PINKY_DIP, PINKY_TIP));

    private HandLandmark() {}

    private static LandmarkConnection c(int start, int end) {
        return new LandmarkConnection(start, end);
    }
}
