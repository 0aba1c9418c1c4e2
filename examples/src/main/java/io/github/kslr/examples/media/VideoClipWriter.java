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
 * Writes BGR {@link ImageFrame}s to an MP4 file with javacv's {@link FFmpegFrameRecorder}, in the codec its
 * {@link Encoding} names (both are in the FFmpeg build bundled with javacv). A clip made by {@link #start} is written
 * to a hidden temporary file beside the target and renamed to it by {@link #finish()}, so it appears complete or not
 * at all; {@link #close()} without {@code finish()} discards it. A clip made by {@link #into} is written to the file
 * given, whose caller makes the write atomic (with {@code AtomicFiles.writeFile}).
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one thread writes one clip.
 */
public final class VideoClipWriter implements AutoCloseable {
    /** What a clip is for, which decides its codec. */
    public enum Encoding {
        /**
         * MPEG-4 Part 2 at near-lossless quality: recordings that landmarks are found in later ({@code kslr
         * collect}); every FFmpeg decodes it, browsers do not play it.
         */
        RECORDING,
        /**
         * H.264 (OpenH264, in javacv's FFmpeg build) at about 0.35 bits a pixel: videos for people to watch, which
         * browsers and every player play. Slower to encode than {@link #RECORDING}.
         */
        VIEWING
    }

    private final Path target;
    /** The hidden file renamed to the target by {@link #finish()}; null for a clip written {@link #into} a file. */
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
        checkGeometry(width, height, fps);
        Path abs = target.toAbsolutePath();
        Path partial;
        try {
            Files.createDirectories(abs.getParent());
            partial = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".partial");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + abs, e);
        }
        try {
            return new VideoClipWriter(
                    abs, partial, recorder(partial, abs, width, height, fps, Encoding.RECORDING), width, height);
        } catch (KslrException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /**
     * Starts a clip written straight into {@code file} (which may exist, empty: its content is replaced), with no
     * temporary file and no rename: for a caller that makes the write atomic itself, e.g. inside
     * {@code AtomicFiles.writeFile}. {@link #finish()} completes the file; {@link #close()} without it leaves an
     * unfinished file for the caller to discard. The container is MP4 whatever the file's name.
     *
     * @throws InvalidInputException for a non-positive size or rate
     * @throws KslrException         when FFmpeg cannot start the encoder
     */
    public static VideoClipWriter into(Path file, int width, int height, double fps, Encoding encoding) {
        Checks.notNull(file, "file");
        Checks.notNull(encoding, "encoding");
        checkGeometry(width, height, fps);
        Path abs = file.toAbsolutePath();
        return new VideoClipWriter(abs, null, recorder(abs, abs, width, height, fps, encoding), width, height);
    }

    private static void checkGeometry(int width, int height, double fps) {
        Checks.positive(width, "width");
        Checks.positive(height, "height");
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new InvalidInputException("fps must be a positive frame rate, was " + fps);
        }
    }

    /** A started MP4 encoder writing {@code file}; {@code name} is the file named in errors. */
    private static FFmpegFrameRecorder recorder(
            Path file, Path name, int width, int height, double fps, Encoding encoding) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height);
        r.setFormat("mp4");
        if (encoding == Encoding.RECORDING) {
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setVideoQuality(2); // near-lossless for MPEG-4 Part 2: the landmarks should see what the camera saw
        } else {
            r.setVideoCodecName("libopenh264");
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            // 0.35 bits a pixel kept drawn lines sharp and the rest within a few levels of the input.
            r.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, 0.35 * width * height * fps));
            // OpenH264 codes one slice a thread: a single slice leaves every core but one idle while it encodes.
            String threads = Integer.toString(Math.min(4, Runtime.getRuntime().availableProcessors()));
            r.setVideoOption("threads", threads);
            r.setVideoOption("slices", threads);
        }
        r.setFrameRate(fps);
        try {
            r.start();
        } catch (FrameRecorder.Exception e) {
            try {
                r.release();
            } catch (FrameRecorder.Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new KslrException(
                    "cannot start an MP4 encoder (" + encoding + ") for " + name + ": " + e.getMessage(), e);
        }
        return r;
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

    /**
     * Ends the clip; one made by {@link #start} is moved to its target (replacing nothing: the target must not
     * exist).
     */
    public void finish() {
        if (done) {
            throw new IllegalStateException("clip " + target + " is already finished or closed");
        }
        done = true;
        try {
            recorder.stop();
            recorder.release();
            if (partial == null) {
                return;
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
        } catch (FrameRecorder.Exception e) {
            if (partial != null) {
                deleteQuietly(partial);
            }
            throw new KslrException("cannot finish " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("cannot move the finished clip to " + target, e);
        }
    }

    /** Discards an unfinished clip (one made by {@link #into}: stops writing to its file); idempotent. */
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
            if (partial != null) {
                deleteQuietly(partial);
            }
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
