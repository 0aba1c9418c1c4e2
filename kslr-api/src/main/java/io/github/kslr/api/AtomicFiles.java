package io.github.kslr.api;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that never leave a truncated file behind: the content goes to a temporary file beside the
 * target, which is then renamed over it, so readers see the old file or the new one, never part of one. KSLR writes
 * its WAV files, {@code .npy} arrays, vocabularies and trained models this way.
 *
 * <p>The result looks as if the target had been written in place: a new file gets the permissions the process's
 * umask gives, a replaced file keeps its permissions, and a symbolic link at the target stays a link (the file it
 * points to is replaced). Temporary files of writes still running when the JVM shuts down (Ctrl-C, SIGTERM) are
 * removed.
 *
 * <p><b>Thread-safety.</b> Thread-safe; concurrent writes to different targets are independent (to the same target,
 * the last rename wins).
 */
public final class AtomicFiles {
    /** Symbolic links followed at most, as the kernel's own limit (ELOOP) for a path. */
    private static final int MAX_LINKS = 40;

    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Path tmp : IN_FLIGHT) {
                                try {
                                    Files.deleteIfExists(tmp);
                                } catch (IOException ignored) {
                                    // best effort while the JVM exits
                                }
                            }
                        },
                        "kslr-atomic-files-cleanup"));
    }

    private AtomicFiles() {}

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target}, replacing it; the parent folder must exist. On failure the target is
     * unchanged and the temporary file is removed.
     *
     * @throws NoSuchFileException when the target's folder does not exist (the message names it)
     * @throws IOException         when writing or renaming fails
     */
    public static void write(Path target, Content content) throws IOException {
        Checks.notNull(content, "content");
        writeTemp(target, (Path tmp) -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
        });
    }

    /** Writes {@code target} through a temporary file beside it that {@code fill} fills (it exists, empty). */
    private static void writeTemp(Path target, FileContent fill) throws IOException {
        Checks.notNull(target, "target");
        Path abs = followLinks(target.toAbsolutePath());
        Path parent = abs.getParent();
        if (!Files.isDirectory(parent)) {
            throw new NoSuchFileException(
                    parent.toString(), null, "the folder to write " + abs.getFileName() + " into does not exist");
        }
        Path tmp = createTemp(parent, abs.getFileName().toString());
        try {
            keepPermissions(abs, tmp);
            fill.writeTo(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
            IN_FLIGHT.remove(tmp);
        }
    }

    /** Writes a file's content to a channel it may seek in (to fill in a header at the end, say). */
    @FunctionalInterface
    public interface ChannelContent {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * {@link #write(Path, Content)} for content that needs to seek: it gets the temporary file's channel, positioned
     * at 0; what the channel holds when {@code content} returns becomes the target.
     */
    public static void writeChannel(Path target, ChannelContent content) throws IOException {
        Checks.notNull(content, "content");
        writeTemp(target, (Path tmp) -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                content.writeTo(ch);
            }
        });
    }

    /** Writes a file's content to a file it is given by name (which exists, empty). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    /**
     * {@link #write(Path, Content)} for a writer that opens the file by name itself (FFmpeg's muxer, say): it gets
     * the temporary file's path; what that file holds when {@code content} returns becomes the target. The temporary
     * file's name ends in {@code .tmp}, so a writer that picks a format from the extension must be told the format.
     */
    public static void writeFile(Path target, FileContent content) throws IOException {
        Checks.notNull(content, "content");
        writeTemp(target, content);
    }

    /** {@link #write(Path, Content)} of a byte array. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Checks.notNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /** The file a chain of symbolic links at {@code path} ends in (the path itself when it is no link). */
    private static Path followLinks(Path path) throws IOException {
        Path p = path;
        for (int i = 0; Files.isSymbolicLink(p); i++) {
            if (i == MAX_LINKS) {
                throw new IOException("too many levels of symbolic links at " + path);
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    /**
     * A new empty file beside the target. {@code Files.createTempFile} would make it 0600 whatever the umask, and the
     * rename would then give every output those permissions; a plain create gets the umask's.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            // Known to the shutdown hook before it exists, so that no moment leaves it behind.
            IN_FLIGHT.add(tmp);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                IN_FLIGHT.remove(tmp);
                if (attempt == 100) {
                    throw e;
                }
            } catch (IOException e) {
                IN_FLIGHT.remove(tmp);
                throw e;
            }
        }
    }

    /** A file being replaced keeps its permissions. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        PosixFileAttributeView from =
                Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (from != null && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.getFileAttributeView(tmp, PosixFileAttributeView.class)
                    .setPermissions(from.readAttributes().permissions());
        }
    }
}
