package io.github.kslr.video;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.Landmarker;
import java.io.IOException;

/**
 * The one loop that turns a video's frames into landmarks: each decoded frame, in order, through one landmarker.
 * {@code kslr landmarks}, {@code kslr dataset} and {@code kslr-spark}'s extraction all run it, so that their landmarks
 * are the same for the same video and landmarker settings.
 *
 * <p><b>Thread-safety.</b> Stateless; a call uses the landmarker and the source it is given, which serve one thread.
 */
public final class VideoLandmarks {

    /** Takes each frame's landmarks in turn. */
    @FunctionalInterface
    public interface FrameSink {
        /**
         * One frame's landmarks.
         *
         * @param index         the frame's index in the video, from 0
         * @param frame         the decoded frame (the source's; valid only during this call)
         * @param landmarks     what the landmarker found
         * @param detectNanos   nanoseconds the landmarker took on this frame (decoding not included)
         */
        void accept(int index, ImageFrame frame, HolisticLandmarks landmarks, long detectNanos) throws IOException;
    }

    private VideoLandmarks() {}

    /**
     * Runs {@code landmarker} over the frames of {@code source} from where it stands, giving each frame's landmarks
     * to {@code sink}. The landmarker's tracking state is the caller's: reset it first for a new video.
     *
     * @param maxFrames stop after this many frames; 0 = every frame
     * @return the number of frames given to the sink
     * @throws InvalidInputException when {@code maxFrames} is negative, or the source is unreadable (see
     *                               {@link VideoFrames#next()})
     * @throws IOException           what the sink throws
     */
    public static int forEachFrame(Landmarker landmarker, VideoFrames source, int maxFrames, FrameSink sink)
            throws IOException {
        if (maxFrames < 0) {
            throw new InvalidInputException("maxFrames must be >= 0, was " + maxFrames);
        }
        int frames = 0;
        // The next frame is decoded only when it will be used, so that maxFrames N decodes N frames.
        while (maxFrames == 0 || frames < maxFrames) {
            ImageFrame frame = source.next();
            if (frame == null) {
                break;
            }
            long t0 = System.nanoTime();
            HolisticLandmarks lm = landmarker.detect(frame);
            sink.accept(frames, frame, lm, System.nanoTime() - t0);
            frames++;
        }
        return frames;
    }
}
