package io.github.kslr.spark;

import io.github.kslr.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The videos an {@code --input} names, as video ids (absolute, normalised paths: what the tables hold and what a
 * dataset's labels name). Videos are read by FFmpeg on the executors, so the paths must be readable there too (a
 * shared file system on a cluster).
 *
 * <ul>
 *   <li>a folder: every file under it (recursively) ending in .mp4, .mov, .avi, .mkv, .webm or .m4v;
 *   <li>a video file (one of those endings): that video;
 *   <li>any other file: a list, one path a line (relative to the list's folder; blank lines and lines starting with
 *       # ignored), each taken as it is (a listed file that is missing or unreadable becomes a failure row);
 *   <li>anything else: a glob ({@code /archive/2024/**}{@code /*.mp4}) over the files under its folder part.
 * </ul>
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
final class VideoInputs {
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "avi", "mkv", "webm", "m4v");

    private VideoInputs() {}

    /**
     * The video ids, sorted, without duplicates.
     *
     * @throws InvalidInputException when {@code input} names nothing, or a glob matches no file
     */
    static List<String> list(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidInputException("--input must be a folder, a glob or a list file, was " + input);
        }
        Path p = Path.of(input);
        TreeSet<String> ids = new TreeSet<>();
        if (Files.isDirectory(p)) {
            walk(p, f -> isVideo(f), ids);
        } else if (Files.isRegularFile(p) && isVideo(p)) {
            ids.add(id(p));
        } else if (Files.isRegularFile(p)) {
            Path base = p.toAbsolutePath().getParent();
            try {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    String s = line.strip();
                    if (!s.isEmpty() && !s.startsWith("#")) {
                        ids.add(id(base.resolve(s)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the list " + p, e);
            }
        } else {
            Path root = globRoot(input);
            if (root == null || !Files.isDirectory(root)) {
                throw new InvalidInputException(
                        "--input " + input + " is neither a folder, a file nor a glob over an" + " existing folder");
            }
            String dir = root.toAbsolutePath().normalize().toString();
            String pattern = (dir.endsWith("/") ? dir : dir + "/") + input.substring(rootLength(input));
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            walk(root, f -> m.matches(f.toAbsolutePath().normalize()), ids);
            if (ids.isEmpty()) {
                throw new InvalidInputException("--input glob " + input + " matches no file");
            }
        }
        return List.copyOf(ids);
    }

    static String id(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    static boolean isVideo(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1));
    }

    private interface FileTest {
        boolean test(Path p);
    }

    private static void walk(Path root, FileTest test, TreeSet<String> ids) {
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).filter(test::test).forEach(f -> ids.add(id(f)));
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException("cannot list the videos under " + root + ": " + e.getMessage());
        }
    }

    /** Characters up to the last / before the first glob character. */
    private static int rootLength(String glob) {
        int first = glob.length();
        for (char c : new char[] {'*', '?', '[', '{'}) {
            int i = glob.indexOf(c);
            if (i >= 0) {
                first = Math.min(first, i);
            }
        }
        int slash = glob.lastIndexOf('/', first);
        return slash < 0 ? 0 : slash + 1;
    }

    private static Path globRoot(String glob) {
        int n = rootLength(glob);
        return n == 0 ? Path.of(".") : Path.of(glob.substring(0, n));
    }
}
