package io.github.kslr.examples.cli;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.examples.media.VideoClipWriter;
import io.github.kslr.video.VideoFrames;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr collect}: records sign takes from a camera into {@code OUT/SIGN/take-NNN.mp4}, the folder layout
 * {@code kslr dataset} reads, as the reports' collection script recorded sequences from a webcam: for every sign, a
 * number of takes, each announced, preceded by a pause and lasting a fixed time.
 */
@Command(
        name = "collect",
        mixinStandardHelpOptions = true,
        description = {
            "Records sign takes from a camera (or replays a video file) into OUT/SIGN/take-NNN.mp4 for"
                    + " `kslr dataset`: for each sign in --signs, --takes takes, each after a --pause to get ready and"
                    + " lasting --seconds. Prompts go to standard output.",
            "Takes already in OUT/SIGN are kept and numbering continues after them, so a session can be resumed or"
                    + " extended. Use one OUT per signer (e.g. recordings/signer-01) and `kslr dataset recordings"
                    + " --session-folders` to hold a signer out for validation."
        })
public final class CollectCommand extends CommandBase {
    private static final Pattern TAKE = Pattern.compile("take-(\\d{1,6})\\.mp4");
    private static final Pattern SIGN_NAME = Pattern.compile("[\\p{L}\\p{M}\\p{N}_.-]+");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the signer's folder")
    Path out;

    @Option(
            names = "--signs",
            required = true,
            split = ",",
            paramLabel = "SIGN[,SIGN...]",
            description = "the signs to record, in order (folder names: letters, digits, _ . -)")
    List<String> signs;

    @Option(
            names = "--input",
            defaultValue = "camera:0",
            description = "camera:N, or a video file to cut takes from (default ${DEFAULT-VALUE})")
    String input;

    @Option(names = "--takes", defaultValue = "10", description = "takes a sign (default ${DEFAULT-VALUE})")
    int takes;

    @Option(names = "--seconds", defaultValue = "2", description = "length of a take (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--pause",
            defaultValue = "2",
            description = "seconds to get ready before each take (default ${DEFAULT-VALUE})")
    double pause;

    @Override
    public Integer call() {
        PrintWriter o = out();
        if (takes < 1) {
            throw usageError("--takes must be >= 1, was " + takes);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds) || !(pause >= 0) || Double.isInfinite(pause)) {
            throw usageError("--seconds must be > 0 and --pause >= 0, were " + seconds + " and " + pause);
        }
        for (String s : signs) {
            if (!SIGN_NAME.matcher(s).matches() || s.equals(".") || s.equals("..")) {
                throw usageError("sign '" + s + "' cannot be a folder name (letters, digits, _ . - only)");
            }
        }
        List<String> order = new ArrayList<>(new LinkedHashSet<>(signs));
        int recorded = 0;
        try (VideoFrames source = VideoFrames.open(input)) {
            double fps = source.frameRate() > 0 ? source.frameRate() : 30;
            // The current frame, borrowed from the source until the next read: each pause starts at the frame that
            // ended the previous take, so no frame is dropped between takes.
            ImageFrame frame = source.next();
            for (String sign : order) {
                Path dir = out.resolve(sign);
                int first = nextTake(dir);
                for (int t = 0; t < takes; t++) {
                    int number = first + t;
                    o.printf(Locale.ROOT, "%s: take %d of %d - get ready%n", sign, t + 1, takes);
                    o.flush();
                    frame = skip(source, frame, pause);
                    if (frame == null) {
                        o.printf(Locale.ROOT, "input ended: %d take(s) recorded%n", recorded);
                        return recorded > 0 ? 0 : 1;
                    }
                    o.printf(Locale.ROOT, "%s: recording take %d (%.1f s)%n", sign, number, seconds);
                    o.flush();
                    Path clip = dir.resolve(String.format(Locale.ROOT, "take-%03d.mp4", number));
                    try (VideoClipWriter w = VideoClipWriter.start(clip, frame.width(), frame.height(), fps)) {
                        long end = frame.timestampMs() + Math.round(seconds * 1000);
                        for (; frame != null && frame.timestampMs() < end; frame = source.next()) {
                            w.write(frame);
                        }
                        if (frame == null) {
                            o.printf(
                                    Locale.ROOT,
                                    "input ended during %s take %d (discarded): %d take(s) recorded%n",
                                    sign,
                                    number,
                                    recorded);
                            return recorded > 0 ? 0 : 1;
                        }
                        w.finish();
                    }
                    recorded++;
                    o.printf(Locale.ROOT, "wrote %s%n", clip);
                }
            }
        }
        o.printf(
                Locale.ROOT,
                "%d take(s) of %d sign(s) in %s (next: kslr dataset %s --out DATA)%n",
                recorded,
                order.size(),
                out,
                out);
        return 0;
    }

    /**
     * Reads on from {@code frame} (null: the input has ended) for {@code seconds} of timestamps; returns the first
     * frame at or after that time, or null when the input ends first.
     */
    private static ImageFrame skip(VideoFrames source, ImageFrame frame, double seconds) {
        if (frame == null) {
            return null;
        }
        long end = frame.timestampMs() + Math.round(seconds * 1000);
        while (frame != null && frame.timestampMs() < end) {
            frame = source.next();
        }
        return frame;
    }

    /** The number after the highest existing take-NNN.mp4 in {@code dir} (1 when there is none). */
    static int nextTake(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 1;
        }
        int max = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = TAKE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return max + 1;
    }
}
