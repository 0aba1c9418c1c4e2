package io.github.kslr.examples.media;

import io.github.kslr.api.Checks;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A video of the frames a pipeline saw with what it found drawn on them: each frame is copied (the caller's pixels
 * are only read), its landmarks drawn by a {@link LandmarkPainter}, optional caption lines by a
 * {@link CaptionPainter}, and the result encoded as H.264 in MP4 ({@link VideoClipWriter.Encoding#VIEWING}) into the
 * file given, one output frame for each frame written, at the rate given. Make the write atomic by opening it inside
 * {@code AtomicFiles.writeFile}; {@link #finish()} completes the file.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one thread writes one video. {@link #close()} is idempotent.
 */
public final class AnnotatedVideo implements AutoCloseable {
    private final int width;
    private final int height;
    private final Mat canvas;
    private final ByteBuffer canvasPixels;
    private final LandmarkPainter landmarks = new LandmarkPainter();
    private final CaptionPainter captions;
    private final VideoClipWriter writer;
    private boolean closed;

    private AnnotatedVideo(int width, int height, CaptionPainter captions, VideoClipWriter writer) {
        this.width = width;
        this.height = height;
        this.captions = captions;
        this.writer = writer;
        this.canvas = new Mat(height, width, opencv_core.CV_8UC3);
        this.canvasPixels = canvas.createBuffer();
    }

    /**
     * Starts a video of {@code width} x {@code height} frames at {@code fps} in {@code file}, with room for
     * {@code captionLines} lines of caption (0: none).
     *
     * @throws InvalidInputException for a non-positive size or rate, or a negative line count
     * @throws KslrException         when FFmpeg cannot start the encoder
     */
    public static AnnotatedVideo into(Path file, int width, int height, double fps, int captionLines) {
        if (captionLines < 0) {
            throw new InvalidInputException("captionLines must be >= 0, was " + captionLines);
        }
        // The caption painter first: it checks the size, and its font search must not leave an encoder open.
        CaptionPainter captions = captionLines == 0 ? null : new CaptionPainter(width, height, captionLines);
        VideoClipWriter writer = VideoClipWriter.into(file, width, height, fps, VideoClipWriter.Encoding.VIEWING);
        return new AnnotatedVideo(width, height, captions, writer);
    }

    /** Whether captions can hold Khmer text (a Khmer font was found); false without captions. */
    public boolean canDrawKhmer() {
        return captions != null && captions.canDrawKhmer();
    }

    /** The captions' Khmer font's family name, or null when there is none (or no captions). */
    public String khmerFont() {
        return captions == null ? null : captions.khmerFont().orElse(null);
    }

    /**
     * Appends {@code frame} (BGR, this video's size) with {@code found} drawn on it and {@code captionLines} (at
     * most the number the video was made for; empty lines are skipped) at its top.
     *
     * @throws InvalidInputException for a frame of another size or format, or landmarks of another frame size
     */
    public void write(ImageFrame frame, HolisticLandmarks found, List<String> captionLines) {
        Checks.notNull(frame, "frame");
        Checks.notNull(found, "found");
        Checks.notNull(captionLines, "captionLines");
        if (closed) {
            throw new io.github.kslr.api.ClosedException("annotated video is finished or closed");
        }
        if (frame.format() != PixelFormat.BGR || frame.width() != width || frame.height() != height) {
            throw new InvalidInputException("expected a " + width + "x" + height + " BGR frame, got " + frame);
        }
        if (!captionLines.isEmpty() && captions == null) {
            throw new InvalidInputException("this video was made without captions, got " + captionLines);
        }
        ByteBuffer source = frame.pixels();
        int row = width * 3;
        for (int y = 0; y < height; y++) {
            canvasPixels.put(y * row, source, frame.offset() + y * frame.rowStride(), row);
        }
        landmarks.draw(canvas, found);
        if (captions != null) {
            captions.draw(canvas, captionLines);
        }
        writer.write(ImageFrame.of(width, height, row, PixelFormat.BGR, canvasPixels, frame.timestampMs()));
    }

    /** Frames written so far. */
    public int frames() {
        return writer.frames();
    }

    /** Ends the video: its file is complete. */
    public void finish() {
        if (closed) {
            throw new IllegalStateException("annotated video is already finished or closed");
        }
        try {
            writer.finish();
        } finally {
            close();
        }
    }

    /** Releases the encoder and the native images; an unfinished video's file is left incomplete. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } finally {
            landmarks.close();
            canvas.close();
        }
    }
}
