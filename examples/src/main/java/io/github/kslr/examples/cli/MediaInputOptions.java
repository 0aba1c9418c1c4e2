package io.github.kslr.examples.cli;

import io.github.kslr.video.VideoFrames;
import picocli.CommandLine.Option;

/** How the commands that read video files open them (a picocli mixin: one place for the option). */
final class MediaInputOptions {

    @Option(
            names = "--accept-partial",
            description = "read a video that ends before the frames its container declares as far as it goes"
                    + " (default: an error, so that a truncated file never looks like a short recording)")
    boolean acceptPartial;

    /** Opens a video file, an image or camera:N with this command's policy. */
    VideoFrames open(String input) {
        return VideoFrames.open(input).acceptPartial(acceptPartial);
    }

    /** " (of N frames the container declares)" when a partial file was read, else "". */
    static String declaredNote(VideoFrames source) {
        int declared = source.lengthInFrames();
        return declared > 0 && source.framesDecoded() < declared
                ? " (of " + declared + " frames the container declares)"
                : "";
    }
}
