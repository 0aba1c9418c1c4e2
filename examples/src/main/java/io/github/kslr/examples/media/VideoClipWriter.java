package io.github.kslr.examples.media;

import io.github.kslr.api.Checks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.PixelFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes BGR {@link ImageFrame}s to an MP4 file (MPEG-4 Part 2, which the FFmpeg build bundled with javacv encodes
 * and every FFmpeg decodes) with javacv's {@link FFmpegFrameRecorder}. The clip is written to a hidden temporary file
 * beside the target and renamed to it by {@link #finish()}, so a clip appears complete or not at all;
 * {@link #close()} without {@code finish()} discards it.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one thread writes one clip.
 */
public final class VideoClipWriter implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private int frames;
    private boolean done;

    private VideoClipWriter(Path target, Path partial, FFmpegFrameRecorder recorder, int width, int height) {
        this.target = target;
        this.partial = partial;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
    }

    /**
     * Starts a clip of {@code width} x {@code height} frames at {@code fps} frames a second.
     *
     * @throws InvalidInputException for a non-positive size or rate
     * @throws KslrException         when FFmpeg cannot start the encoder
     */
    public static VideoClipWriter start(Path target, int width, int height, double fps) {
        Checks.notNull(target, "target");
        Checks.positive(width, "width");
        Checks.positive(height, "height");
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new InvalidInputException("fps must be a positive frame rate, was " + fps);
        }
        Path abs = target.toAbsolutePath();
        Path partial;
        try {
            Files.createDirectories(abs.getParent());
            partial = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".partial");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + abs, e);
        }
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(partial.toFile(), width, height);
        r.setFormat("mp4");
        r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        r.setVideoQuality(2); // near-lossless for MPEG-4 Part 2: the landmarks should see what the camera saw
        r.setFrameRate(fps);
        try {
            r.start();
        } catch (FrameRecorder.Exception e) {
            deleteQuietly(partial);
            throw new KslrException("cannot start an MP4 encoder for " + abs + ": " + e.getMessage(), e);
        }
        return new VideoClipWriter(abs, partial, r, width, height);
    }

    /** Appends one BGR frame of this clip's size. */
    public void write(ImageFrame frame) {
        Checks.notNull(frame, "frame");
        if (done) {
            throw new IllegalStateException("clip " + target + " is finished or closed");
        }
        if (frame.format() != PixelFormat.BGR || frame.width() != width || frame.height() != height) {
            throw new InvalidInputException("expected a " + width + "x" + height + " BGR frame, got " + frame);
        }
        try {
            recorder.recordImage(
                    width,
                    height,
                    Frame.DEPTH_UBYTE,
                    3,
                    frame.rowStride(),
                    avutil.AV_PIX_FMT_BGR24,
                    frame.pixels().duplicate().position(frame.offset()));
            frames++;
        } catch (FrameRecorder.Exception e) {
            throw new KslrException("cannot encode frame " + frames + " of " + target + ": " + e.getMessage(), e);
        }
    }

    /** Frames written so far. */
    public int frames() {
        return frames;
    }

    /** Ends the clip and moves it to its target (replacing nothing: the target must not exist). */
    public void finish() {
        if (done) {
            throw new IllegalStateException("clip " + target + " is already finished or closed");
        }
        done = true;
        try {
            recorder.stop();
            recorder.release();
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
        } catch (FrameRecorder.Exception e) {
            deleteQuietly(partial);
            throw new KslrException("cannot finish " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("cannot move the finished clip to " + target, e);
        }
    }

    /** Discards an unfinished clip; idempotent. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            recorder.release();
        } catch (FrameRecorder.Exception ignored) {
            // The clip is being discarded anyway.
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A hidden .partial file is all that can remain.
        }
    }
}
