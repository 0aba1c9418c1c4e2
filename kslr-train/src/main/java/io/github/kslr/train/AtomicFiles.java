package io.github.kslr.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Whole-file writes that never leave a truncated file behind (a model a later run or an app would load). */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to a temporary file beside {@code target}, then renames it over {@code target}: readers
     * see the old file or the new one, never part of it; the temporary file is removed when writing fails.
     */
    static void write(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
