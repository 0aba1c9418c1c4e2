package io.github.kslr.api;

import java.nio.ByteBuffer;

/**
 * One camera or video frame, borrowed from the caller: the pixels stay in the caller's {@link ByteBuffer} and are
 * never copied by this class.
 *
 * <p>Pixel {@code (x, y)} starts at byte {@code offset() + y * rowStride() + x * format().bytesPerPixel()} of
 * {@link #pixels()}, where {@code offset()} is the buffer's position when the frame was made. Rows may be padded
 * ({@code rowStride >= width * bytesPerPixel}).
 *
 * <p><b>Ownership and lifetime.</b> The frame is a view: the caller owns the buffer and must not change or free it
 * until the call that received the frame returns. KSLR reads it with absolute gets and never changes the buffer's
 * position, limit or contents. Direct buffers (e.g. an OpenCV {@code Mat} or an FFmpeg frame) work without copies.
 *
 * <p><b>Thread-safety.</b> Immutable as an object; its pixels are as thread-safe as the caller makes them.
 */
public final class ImageFrame {
    private final int width;
    private final int height;
    private final int rowStride;
    private final PixelFormat format;
    private final ByteBuffer pixels;
    private final int offset;
    private final long timestampMs;

    private ImageFrame(int width, int height, int rowStride, PixelFormat format, ByteBuffer pixels, long timestampMs) {
        Checks.notNull(format, "format");
        Checks.notNull(pixels, "pixels");
        Checks.positive(width, "width");
        Checks.positive(height, "height");
        long minStride = (long) width * format.bytesPerPixel();
        if (rowStride < minStride) {
            throw new InvalidInputException("rowStride must be >= width * " + format.bytesPerPixel() + " = " + minStride
                    + " bytes for " + format + ", was " + rowStride);
        }
        long needed = (long) rowStride * (height - 1) + minStride;
        if (pixels.remaining() < needed) {
            throw new InvalidInputException("pixels has " + pixels.remaining() + " bytes remaining, a " + width + "x"
                    + height + " " + format + " frame with rowStride " + rowStride + " needs " + needed);
        }
        if (timestampMs < 0) {
            throw new InvalidInputException("timestampMs must be >= 0, was " + timestampMs);
        }
        this.width = width;
        this.height = height;
        this.rowStride = rowStride;
        this.format = format;
        this.pixels = pixels;
        this.offset = pixels.position();
        this.timestampMs = timestampMs;
    }

    /**
     * Wraps pixels with an explicit row stride.
     *
     * @param width       pixels per row, &gt; 0
     * @param height      rows, &gt; 0
     * @param rowStride   bytes from the start of one row to the next, &gt;= width * bytes per pixel
     * @param format      byte order of a pixel
     * @param pixels      the caller's buffer, read from its current position
     * @param timestampMs presentation time in milliseconds, &gt;= 0 (must increase in video mode)
     * @throws InvalidInputException for a null argument, a non-positive size, a short stride or a short buffer
     */
    public static ImageFrame of(
            int width, int height, int rowStride, PixelFormat format, ByteBuffer pixels, long timestampMs) {
        return new ImageFrame(width, height, rowStride, format, pixels, timestampMs);
    }

    /** Wraps tightly packed pixels ({@code rowStride = width * bytesPerPixel}). */
    public static ImageFrame packed(int width, int height, PixelFormat format, ByteBuffer pixels, long timestampMs) {
        Checks.notNull(format, "format");
        return new ImageFrame(width, height, width * format.bytesPerPixel(), format, pixels, timestampMs);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Bytes from the start of one row to the start of the next. */
    public int rowStride() {
        return rowStride;
    }

    public PixelFormat format() {
        return format;
    }

    /** The caller's buffer (not a copy). Read it with absolute gets from {@link #offset()}. */
    public ByteBuffer pixels() {
        return pixels;
    }

    /** Index in {@link #pixels()} of the first byte of pixel (0, 0). */
    public int offset() {
        return offset;
    }

    public long timestampMs() {
        return timestampMs;
    }

    /** The same pixels with another timestamp (no copy). */
    public ImageFrame withTimestamp(long newTimestampMs) {
        ByteBuffer view = pixels.duplicate();
        view.position(offset);
        return new ImageFrame(width, height, rowStride, format, view, newTimestampMs);
    }

    @Override
    public String toString() {
        return "ImageFrame[" + width + "x" + height + " " + format + ", rowStride=" + rowStride + ", t=" + timestampMs
                + "ms]";
    }
}
