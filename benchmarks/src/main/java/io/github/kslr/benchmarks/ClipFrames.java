package io.github.kslr.benchmarks;

import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.ImageFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ClipFrames VIDEO N OUT.rgb}: the first N frames of a clip, decoded as {@link LandmarkerBenchmark} decodes
 * them, as raw packed RGB in {@code OUT.rgb} with {@code WIDTHxHEIGHT} in {@code OUT.size} beside it, which the
 * benchmarks read back as a clip ({@code -p video=OUT.rgb}). The GPU kit ({@code tools/gpu/prepare-kit.sh}) sends
 * its clip this way so that it need not carry FFmpeg's libraries.
 *
 * <p><b>Thread-safety.</b> A command-line entry point; nothing shared.
 */
public final class ClipFrames {
    private ClipFrames() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[2].endsWith(".rgb")) {
            System.err.println("usage: ClipFrames VIDEO N OUT.rgb");
            System.exit(2);
        }
        List<ImageFrame> frames = LandmarkerBenchmark.decode(Path.of(args[0]));
        int n = Math.min(Integer.parseInt(args[1]), frames.size());
        ImageFrame first = frames.get(0);
        Path out = Path.of(args[2]);
        AtomicFiles.write(out, stream -> {
            byte[] row = new byte[first.width() * first.height() * 3];
            for (ImageFrame f : frames.subList(0, n)) {
                ByteBuffer px = f.pixels().duplicate();
                px.position(0).get(row);
                stream.write(row);
            }
        });
        String name = out.getFileName().toString();
        AtomicFiles.write(
                out.resolveSibling(name.substring(0, name.length() - 4) + ".size"),
                (first.width() + "x" + first.height() + "\n").getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + n + " frames of " + first.width() + "x" + first.height() + " to " + out);
    }
}
