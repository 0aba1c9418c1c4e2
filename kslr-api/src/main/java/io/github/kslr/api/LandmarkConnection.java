package io.github.kslr.api;

/**
 * A line between two landmarks of one part, as MediaPipe's {@code Connection} (drawing utilities, pose-format's
 * limbs): {@link PoseLandmark#CONNECTIONS}, {@link HandLandmark#CONNECTIONS}, or {@link LandmarkPart#connections()}.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param start index of one landmark
 * @param end   index of the other
 */
public record LandmarkConnection(int start, int end) {
    /**
     * @throws InvalidInputException for a negative index or a landmark connected to itself
     */
    public LandmarkConnection {
        if (start < 0 || end < 0 || start == end) {
            throw new InvalidInputException(
                    "a connection joins two different landmark indices >= 0, was " + start + "-" + end);
        }
    }
}
