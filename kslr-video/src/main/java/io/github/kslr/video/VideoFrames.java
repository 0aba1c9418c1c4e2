package io.github.kslr.video;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes a video file, an image or a V4L2 camera ({@code camera:N}) into BGR {@link ImageFrame}s with javacv's
 * {@link FFmpegFrameGrabber} (the bytedeco OpenCV build cannot open .mp4, FFmpeg can).
 *
 * <p><b>Ownership.</b> Each frame returned by {@link #next()} borrows FFmpeg's decode buffer: it is valid until the
 * next call to {@link #next()} or {@link #close()}, which is exactly how a {@code Landmarker} borrows it.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one thread reads one source. {@link #close()} is idempotent.
 */
public final class VideoFrames implements AutoCloseable {
    private static final Pattern CAMERA = Pattern.compile("camera:(\\d+)");

    static {
        // FFmpeg prints to stderr by default (e.g. a swscaler note for every JPEG-range video); its errors are kept
        // instead, to name the reason when a file ends early.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FfmpegErrors.install();
    }

    private final String description;
    private final FFmpegFrameGrabber grabber;
    private final boolean live;
    private long lastTimestampMs = -1;
    private int index = -1;
    private boolean closed;
    private boolean paced;
    private boolean acceptPartial;
    private final int statedFrames;
    /** When paced: System.nanoTime() and timestamp of the first frame returned. */
    private long pacingStartNanos;

    private long pacingFirstMs = -1;

    private VideoFrames(String description, FFmpegFrameGrabber grabber, boolean live) {
        this.description = description;
        this.grabber = grabber;
        this.live = live;
        this.statedFrames = live ? 0 : Math.max(0, grabber.getLengthInFrames());
    }

    /**
     * Opens a video file, an image file or {@code camera:N} (Linux {@code /dev/videoN}).
     *
     * @throws InvalidInputException when the file does not exist or the spec is malformed
     * @throws KslrException         when FFmpeg cannot open or decode it
     */
    public static VideoFrames open(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidInputException("input must be a video file, an image file or camera:N, was " + input);
        }
        Matcher m = CAMERA.matcher(input);
        FFmpegFrameGrabber grabber;
        boolean live;
        if (m.matches()) {
            grabber = new FFmpegFrameGrabber("/dev/video" + m.group(1));
            grabber.setFormat("video4linux2");
            live = true;
        } else if (input.startsWith("camera:")) {
            throw new InvalidInputException("camera input must be camera:N with N a device number, was " + input);
        } else {
            Path file = Path.of(input);
            if (!Files.isRegularFile(file)) {
                String problem = "input file " + file.toAbsolutePath() + " does not exist or is not a file (expected"
                        + " a video file, an image file or camera:N)";
                // The cause says which of the two: callers such as the CLI treat a missing file as a usage error.
                throw Files.exists(file)
                        ? new InvalidInputException(problem)
                        : new InvalidInputException(problem, new NoSuchFileException(file.toString()));
            }
            grabber = new FFmpegFrameGrabber(file.toFile());
            live = false;
        }
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        FfmpegErrors.clear();
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            try {
                grabber.release();
            } catch (FrameGrabber.Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new KslrException(
                    "cannot open " + input + " as a video or image with FFmpeg: " + ffmpegMessage(e), e);
        }
        return new VideoFrames(input, grabber, live);
    }

    /** Frames a second the container declares (0 when unknown, e.g. for an image). */
    public double frameRate() {
        return grabber.getFrameRate();
    }

    /** Width of the frames in pixels, as the decoder reports it before the first frame (0 when unknown). */
    public int width() {
        return grabber.getImageWidth();
    }

    /** Height of the frames in pixels, as {@link #width()}. */
    public int height() {
        return grabber.getImageHeight();
    }

    /** Frames the container declares (an estimate from its duration and rate; 0 when unknown or live). */
    public int lengthInFrames() {
        return statedFrames;
    }

    /** Frames decoded so far. */
    public int framesDecoded() {
        return index + 1;
    }

    /**
     * Whether a file that ends before the frames its container declares is read as far as it goes (default false:
     * {@link #next()} then throws at the end, so that a truncated file never looks like a short recording). A file
     * that yields no frame at all is an error either way.
     *
     * @return this
     */
    public VideoFrames acceptPartial(boolean accept) {
        this.acceptPartial = accept;
        return this;
    }

    /** "58 frames" or "25 of 58 frames the container declares", for reports. */
    public String decodedSummary() {
        int decoded = framesDecoded();
        return statedFrames > 0 && decoded != statedFrames
                ? decoded + " of " + statedFrames + " frames the container declares"
                : decoded + " frames";
    }

    /**
     * Hands a file's frames over as a camera delivers them: {@link #next()} returns each frame no earlier than its
     * timestamp after the first one (a camera paces itself; this changes nothing for one). For trying live-stream
     * code on recordings.
     *
     * @return this
     */
    public VideoFrames paced(boolean on) {
        this.paced = on;
        return this;
    }

    /** Whether this is a live camera (no end, no length). */
    public boolean isLive() {
        return live;
    }

    /** Index of the frame last returned by {@link #next()}, from 0. */
    public int index() {
        return index;
    }

    /**
     * Decodes the next frame.
     *
     * @return the frame, borrowing FFmpeg's buffer until the next call; null at the end of the input
     * @throws KslrException when decoding fails
     */
    public ImageFrame next() {
        if (closed) {
            throw new io.github.kslr.api.ClosedException("video source " + description + " is closed");
        }
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new KslrException(
                    "cannot decode frame " + (index + 1) + " of " + description + ": " + ffmpegMessage(e), e);
        }
        if (f == null || f.image == null || f.image[0] == null) {
            checkComplete();
            return null;
        }
        index++;
        // FFmpeg's timestamps are microseconds and may repeat or be missing (images); a Landmarker in video mode
        // needs strictly increasing milliseconds.
        long ts = f.timestamp > 0 ? f.timestamp / 1000 : 0;
        if (ts <= lastTimestampMs) {
            ts = lastTimestampMs + 1;
        }
        lastTimestampMs = ts;
        ByteBuffer pixels = (ByteBuffer) f.image[0];
        pixels.position(0);
        if (paced && !live) {
            waitForFrameTime(ts);
        }
        return ImageFrame.of(f.imageWidth, f.imageHeight, f.imageStride, PixelFormat.BGR, pixels, ts);
    }

    /**
     * At the end of a file: nothing decoded, or fewer frames than the container declares (beyond the rounding of its
     * duration estimate), is an error unless partial input was accepted.
     */
    private void checkComplete() {
        if (live) {
            return;
        }
        int decoded = framesDecoded();
        String reason = FfmpegErrors.last();
        String why = reason == null ? "" : " (FFmpeg: " + reason + ")";
        if (decoded == 0) {
            throw new InvalidInputException(description + " holds no frame that FFmpeg can decode" + why);
        }
        boolean early = statedFrames > 0 && decoded < statedFrames - Math.max(1, statedFrames / 50);
        if (early && !acceptPartial) {
            throw new InvalidInputException(description + " ended early: " + decoded + " of " + statedFrames
                    + " frames the container declares were decoded" + why + "; the file is probably truncated"
                    + " (--accept-partial reads what there is)");
        }
    }

    private void waitForFrameTime(long ts) {
        if (pacingFirstMs < 0) {
            pacingFirstMs = ts;
            pacingStartNanos = System.nanoTime();
            return;
        }
        // A late reader gets the frame at once (no catching up by skipping: dropping is the consumer's choice).
        java.util.concurrent.locks.LockSupport.parkNanos(
                pacingStartNanos + (ts - pacingFirstMs) * 1_000_000L - System.nanoTime());
    }

    /** javacv's message without its generic advice about setFormat() and log callbacks. */
    private static String ffmpegMessage(Exception e) {
        String m = String.valueOf(e.getMessage());
        int hint = m.indexOf(" (Has setFormat()");
        if (hint < 0) {
            hint = m.indexOf(" (For more details");
        }
        return hint > 0 ? m.substring(0, hint) : m;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            grabber.release();
        } catch (FrameGrabber.Exception e) {
            throw new KslrException("cannot release FFmpeg for " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "VideoFrames[" + description + "]";
    }
}
