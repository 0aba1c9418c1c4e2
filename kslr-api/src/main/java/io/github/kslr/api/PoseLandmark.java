package io.github.kslr.api;

import java.util.List;

/**
 * Indices of MediaPipe's 33 pose landmarks (BlazePose), named as MediaPipe's {@code PoseLandmark} names them. The
 * signer's own left and right: {@link #LEFT_WRIST} is the signer's left wrist, on the right of an unmirrored image.
 */
public final class PoseLandmark {
    public static final int NOSE = 0;
    public static final int LEFT_EYE_INNER = 1;
    public static final int LEFT_EYE = 2;
    public static final int LEFT_EYE_OUTER = 3;
    public static final int RIGHT_EYE_INNER = 4;
    public static final int RIGHT_EYE = 5;
    public static final int RIGHT_EYE_OUTER = 6;
    public static final int LEFT_EAR = 7;
    public static final int RIGHT_EAR = 8;
    public static final int MOUTH_LEFT = 9;
    public static final int MOUTH_RIGHT = 10;
    public static final int LEFT_SHOULDER = 11;
    public static final int RIGHT_SHOULDER = 12;
    public static final int LEFT_ELBOW = 13;
    public static final int RIGHT_ELBOW = 14;
    public static final int LEFT_WRIST = 15;
    public static final int RIGHT_WRIST = 16;
    public static final int LEFT_PINKY = 17;
    public static final int RIGHT_PINKY = 18;
    public static final int LEFT_INDEX = 19;
    public static final int RIGHT_INDEX = 20;
    public static final int LEFT_THUMB = 21;
    public static final int RIGHT_THUMB = 22;
    public static final int LEFT_HIP = 23;
    public static final int RIGHT_HIP = 24;
    public static final int LEFT_KNEE = 25;
    public static final int RIGHT_KNEE = 26;
    public static final int LEFT_ANKLE = 27;
    public static final int RIGHT_ANKLE = 28;
    public static final int LEFT_HEEL = 29;
    public static final int RIGHT_HEEL = 30;
    public static final int LEFT_FOOT_INDEX = 31;
    public static final int RIGHT_FOOT_INDEX = 32;
    /** How many pose landmarks there are. */
    public static final int COUNT = 33;

    /** Left/right partners: each pair is the same point on the signer's two sides (the nose has none). */
    private static final int[][] PARTNERS = {
        {LEFT_EYE_INNER, RIGHT_EYE_INNER},
        {LEFT_EYE, RIGHT_EYE},
        {LEFT_EYE_OUTER, RIGHT_EYE_OUTER},
        {LEFT_EAR, RIGHT_EAR},
        {MOUTH_LEFT, MOUTH_RIGHT},
        {LEFT_SHOULDER, RIGHT_SHOULDER},
        {LEFT_ELBOW, RIGHT_ELBOW},
        {LEFT_WRIST, RIGHT_WRIST},
        {LEFT_PINKY, RIGHT_PINKY},
        {LEFT_INDEX, RIGHT_INDEX},
        {LEFT_THUMB, RIGHT_THUMB},
        {LEFT_HIP, RIGHT_HIP},
        {LEFT_KNEE, RIGHT_KNEE},
        {LEFT_ANKLE, RIGHT_ANKLE},
        {LEFT_HEEL, RIGHT_HEEL},
        {LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX}
    };

    /**
     * The same point on the signer's other side ({@link #LEFT_WRIST} for {@link #RIGHT_WRIST} and back); the nose is
     * its own.
     *
     * @throws InvalidInputException for an index outside 0..{@value #COUNT}-1
     */
    public static int partner(int landmark) {
        if (landmark < 0 || landmark >= COUNT) {
            throw new InvalidInputException("a pose landmark index is 0 to " + (COUNT - 1) + ", was " + landmark);
        }
        for (int[] pair : PARTNERS) {
            if (pair[0] == landmark) {
                return pair[1];
            }
            if (pair[1] == landmark) {
                return pair[0];
            }
        }
        return landmark;
    }

    /**
     * MediaPipe's {@code POSE_CONNECTIONS}, in a fixed order (the one KSLR's {@code .pose} files list their limbs
     * in): the face, the shoulders and arms (with each hand's three points), the torso and the legs. Immutable.
     */
    public static final List<LandmarkConnection> CONNECTIONS = List.of(
            c(NOSE, LEFT_EYE_INNER),
            c(LEFT_EYE_INNER, LEFT_EYE),
            c(LEFT_EYE, LEFT_EYE_OUTER),
            c(LEFT_EYE_OUTER, LEFT_EAR),
            c(NOSE, RIGHT_EYE_INNER),
            c(RIGHT_EYE_INNER, RIGHT_EYE),
            c(RIGHT_EYE, RIGHT_EYE_OUTER),
            c(RIGHT_EYE_OUTER, RIGHT_EAR),
            c(MOUTH_LEFT, MOUTH_RIGHT),
            c(LEFT_SHOULDER, RIGHT_SHOULDER),
            c(LEFT_SHOULDER, LEFT_ELBOW),
            c(LEFT_ELBOW, LEFT_WRIST),
            c(LEFT_WRIST, LEFT_PINKY),
            c(LEFT_WRIST, LEFT_INDEX),
            c(LEFT_WRIST, LEFT_THUMB),
            c(LEFT_PINKY, LEFT_INDEX),
            c(RIGHT_SHOULDER, RIGHT_ELBOW),
            c(RIGHT_ELBOW, RIGHT_WRIST),
            c(RIGHT_WRIST, RIGHT_PINKY),
            c(RIGHT_WRIST, RIGHT_INDEX),
            c(RIGHT_WRIST, RIGHT_THUMB),
            c(RIGHT_PINKY, RIGHT_INDEX),
            c(LEFT_SHOULDER, LEFT_HIP),
            c(RIGHT_SHOULDER, RIGHT_HIP),
            c(LEFT_HIP, RIGHT_HIP),
            c(LEFT_HIP, LEFT_KNEE),
            c(RIGHT_HIP, RIGHT_KNEE),
            c(LEFT_KNEE, LEFT_ANKLE),
            c(RIGHT_KNEE, RIGHT_ANKLE),
            c(LEFT_ANKLE, LEFT_HEEL),
            c(RIGHT_ANKLE, RIGHT_HEEL),
            c(LEFT_HEEL, LEFT_FOOT_INDEX),
            c(RIGHT_HEEL, RIGHT_FOOT_INDEX),
            c(LEFT_ANKLE, LEFT_FOOT_INDEX),
            c(RIGHT_ANKLE, RIGHT_FOOT_INDEX));

    private PoseLandmark() {}

    private static LandmarkConnection c(int start, int end) {
        return new LandmarkConnection(start, end);
    }
}
