package io.github.kslr.api;

import java.util.List;

/**
 * The parts of a holistic result, with MediaPipe Holistic's landmark counts. Image landmarks hold x and y normalised
 * to [0, 1] of the image width and height and z on roughly the scale of x; world landmarks are metres around the
 * hips. Immutable; thread-safe.
 */
public enum LandmarkPart {
    /** 33 body landmarks: x, y, z, visibility. */
    POSE(33, 4),
    /** The same 33 body landmarks in metres, hip-centred: x, y, z, visibility. */
    POSE_WORLD(33, 4),
    /** 468 face-mesh landmarks: x, y, z. */
    FACE(468, 3),
    /** The signer's own left hand (as MediaPipe Holistic names it): 21 landmarks, x, y, z. */
    LEFT_HAND(21, 3),
    /** The signer's own right hand: 21 landmarks, x, y, z. */
    RIGHT_HAND(21, 3);

    private final int landmarkCount;
    private final int valuesPerLandmark;

    LandmarkPart(int landmarkCount, int valuesPerLandmark) {
        this.landmarkCount = landmarkCount;
        this.valuesPerLandmark = valuesPerLandmark;
    }

    public int landmarkCount() {
        return landmarkCount;
    }

    /** 4 for pose parts (x, y, z, visibility), 3 otherwise. */
    public int valuesPerLandmark() {
        return valuesPerLandmark;
    }

    /**
     * The lines MediaPipe's drawing utilities draw between this part's landmarks: {@link PoseLandmark#CONNECTIONS}
     * for the pose parts, {@link HandLandmark#CONNECTIONS} for the hands, none for the face (whose 468 points are
     * drawn as points: its mesh is not named here). Immutable.
     */
    public List<LandmarkConnection> connections() {
        return switch (this) {
            case POSE, POSE_WORLD -> PoseLandmark.CONNECTIONS;
            case LEFT_HAND, RIGHT_HAND -> HandLandmark.CONNECTIONS;
            case FACE -> List.of();
        };
    }

    /** Whether each landmark carries a visibility value. */
    public boolean hasVisibility() {
        return valuesPerLandmark == 4;
    }

    /** {@code landmarkCount() * valuesPerLandmark()}. */
    public int valueCount() {
        return landmarkCount * valuesPerLandmark;
    }
}
