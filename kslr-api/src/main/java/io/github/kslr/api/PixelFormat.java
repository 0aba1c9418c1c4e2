package io.github.kslr.api;

/** Byte order of one pixel in an {@link ImageFrame}; 8 bits per channel. Immutable; thread-safe. */
public enum PixelFormat {
    /** Red, green, blue: 3 bytes a pixel. */
    RGB(3, 0, 1, 2),
    /** Blue, green, red: 3 bytes a pixel (OpenCV's default). */
    BGR(3, 2, 1, 0),
    /** Red, green, blue, alpha: 4 bytes a pixel (browser canvases). */
    RGBA(4, 0, 1, 2),
    /** Blue, green, red, alpha: 4 bytes a pixel. */
    BGRA(4, 2, 1, 0);

    private final int bytesPerPixel;
    private final int redOffset;
    private final int greenOffset;
    private final int blueOffset;

    PixelFormat(int bytesPerPixel, int redOffset, int greenOffset, int blueOffset) {
        this.bytesPerPixel = bytesPerPixel;
        this.redOffset = redOffset;
        this.greenOffset = greenOffset;
        this.blueOffset = blueOffset;
    }

    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** Offset of the red byte inside a pixel. */
    public int redOffset() {
        return redOffset;
    }

    public int greenOffset() {
        return greenOffset;
    }

    public int blueOffset() {
        return blueOffset;
    }
}
