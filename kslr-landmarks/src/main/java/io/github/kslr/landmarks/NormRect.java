package io.github.kslr.landmarks;

/**
 * A rotated rectangle in normalised image coordinates, as MediaPipe's {@code NormalizedRect}: the centre and width
 * are fractions of the image width, the centre y and height fractions of the image height, and the rotation is in
 * radians (clockwise on screen, since y points down). A rectangle is "pixel-square" when
 * {@code width * imageWidth == height * imageHeight}.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
record NormRect(float xCenter, float yCenter, float width, float height, float rotation) {

    /** The rectangle's corners are mapped from tensor-normalised (u, v) in [0,1]^2 to image-normalised x. */
    float projectX(float u, float v, int imageWidth, int imageHeight) {
        double c = Math.cos(rotation), s = Math.sin(rotation);
        double rw = width * imageWidth, rh = height * imageHeight;
        return (float) ((xCenter * imageWidth + rw * c * (u - 0.5) - rh * s * (v - 0.5)) / imageWidth);
    }

    float projectY(float u, float v, int imageWidth, int imageHeight) {
        double c = Math.cos(rotation), s = Math.sin(rotation);
        double rw = width * imageWidth, rh = height * imageHeight;
        return (float) ((yCenter * imageHeight + rw * s * (u - 0.5) + rh * c * (v - 0.5)) / imageHeight);
    }
}
