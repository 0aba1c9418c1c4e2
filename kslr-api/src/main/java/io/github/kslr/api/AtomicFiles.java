package io.github.kslr.api;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whole-file writes that never leave a truncated file behind: the content goes to a temporary file beside the
 * target, which is then renamed over it, so readers see the old file or the new one, never part of one. KSLR writes
 * its WAV files, {@code .npy} arrays and trained models this way.
 *
 * <p><b>Thread-safety.</b> Stateless; concurrent writes to different targets are independent (to the same target,
 * the last rename wins).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target}, replacing it; the parent folder must exist. On failure the target is
     * unchanged and the temporary file is removed.
     *
     * @throws IOException when writing or renaming fails
     */
    public static void write(Path target, Content content) throws IOException {
        Checks.notNull(target, "target");
        Checks.notNull(content, "content");
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #write(Path, Content)} of a byte array. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Checks.notNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }
}
