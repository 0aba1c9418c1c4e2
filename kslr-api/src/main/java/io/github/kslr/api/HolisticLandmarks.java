package io.github.kslr.api;

/**
 * Everything a holistic landmarker found in one frame: pose (image and world), face and both hands. Each part is
 * always non-null; an undetected part is {@link LandmarkSet#isPresent() absent}.
 *
 * <p>"Left" and "right" are the signer's own hands, as MediaPipe Holistic names them.
 *
 * <p><b>Thread-safety.</b> Immutable; {@code equals} is exact.
 *
 * @param timestampMs timestamp of the frame the landmarks came from
 * @param imageWidth  width of that frame in pixels (to turn normalised x into pixels)
 * @param imageHeight height of that frame in pixels
 */
public record HolisticLandmarks(
        long timestampMs,
        int imageWidth,
        int imageHeight,
        LandmarkSet pose,
        LandmarkSet poseWorld,
        LandmarkSet face,
        LandmarkSet leftHand,
        LandmarkSet rightHand) {

    /** Validates that every part is present-or-absent of the right kind. */
    public HolisticLandmarks {
        Checks.positive(imageWidth, "imageWidth");
        Checks.positive(imageHeight, "imageHeight");
        requirePart(pose, LandmarkPart.POSE, "pose");
        requirePart(poseWorld, LandmarkPart.POSE_WORLD, "poseWorld");
        requirePart(face, LandmarkPart.FACE, "face");
        requirePart(leftHand, LandmarkPart.LEFT_HAND, "leftHand");
        requirePart(rightHand, LandmarkPart.RIGHT_HAND, "rightHand");
    }

    /** A frame in which nothing was found. */
    public static HolisticLandmarks empty(long timestampMs, int imageWidth, int imageHeight) {
        return new HolisticLandmarks(
                timestampMs,
                imageWidth,
                imageHeight,
                LandmarkSet.absent(LandmarkPart.POSE),
                LandmarkSet.absent(LandmarkPart.POSE_WORLD),
                LandmarkSet.absent(LandmarkPart.FACE),
                LandmarkSet.absent(LandmarkPart.LEFT_HAND),
                LandmarkSet.absent(LandmarkPart.RIGHT_HAND));
    }

    /** The landmarks of one part. */
    public LandmarkSet part(LandmarkPart part) {
        Checks.notNull(part, "part");
        switch (part) {
            case POSE:
                return pose;
            case POSE_WORLD:
                return poseWorld;
            case FACE:
                return face;
            case LEFT_HAND:
                return leftHand;
            case RIGHT_HAND:
                return rightHand;
            default:
                throw new AssertionError(part);
        }
    }

    /** Whether at least one hand was found (what the hand-loss policy of {@link SequenceBuffer} looks at). */
    public boolean hasAnyHand() {
        return leftHand.isPresent() || rightHand.isPresent();
    }

    private static void requirePart(LandmarkSet set, LandmarkPart expected, String name) {
        Checks.notNull(set, name);
        if (set.part() != expected) {
            throw new InvalidInputException(name + " must hold " + expected + " landmarks, held " + set.part());
        }
    }
}
