package io.github.kslr.examples.cli;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.examples.media.AnnotatedVideo;
import io.github.kslr.video.VideoFrames;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --annotate OUT.mp4} of the commands that find landmarks in a video (a picocli mixin: one place for the option
 * and for how the video is written).
 */
final class AnnotateOptions {

    @Option(
            names = "--annotate",
            paramLabel = "OUT.mp4",
            description = "also write the input video with what was found drawn on it: pose green, the signer's left"
                    + " hand orange, right hand blue, face points grey (the web demo's colours); H.264 in MP4 with"
                    + " the input's frame count, size and rate")
    Path annotate;

    /** Writes one annotated video; runs inside the atomic write of its file. */
    interface Body {
        void run(AnnotatedVideo video) throws IOException;
    }

    /**
     * Runs {@code body} with an annotated video of {@code source}'s size and rate written to {@code --annotate}
     * atomically (complete, or not at all when {@code body} fails), or with null and no file without the option.
     */
    void write(CommandLine.Model.CommandSpec spec, VideoFrames source, int captionLines, Body body) throws IOException {
        if (annotate == null) {
            body.run(null);
            return;
        }
        if (source.width() <= 0 || source.height() <= 0 || !(source.frameRate() > 0)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--annotate needs a video whose frame size and rate FFmpeg reports; " + source + " gives "
                            + source.width() + "x" + source.height() + " at " + source.frameRate() + " fps");
        }
        AtomicFiles.writeFile(annotate, file -> {
            try (AnnotatedVideo video =
                    AnnotatedVideo.into(file, source.width(), source.height(), source.frameRate(), captionLines)) {
                body.run(video);
                video.finish();
            }
        });
    }
}
