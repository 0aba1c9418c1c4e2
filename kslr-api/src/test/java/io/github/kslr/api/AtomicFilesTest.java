package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFileAndLeavesNothingElse(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.onnx");
        AtomicFiles.write(model, new byte[] {1, 2, 3});
        AtomicFiles.write(model, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(model));
        assertEquals(List.of("model.onnx"), names(dir));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        // The target is a non-empty folder: the rename fails after the bytes were written to the temporary file.
        Path target = Files.createDirectory(dir.resolve("model.onnx"));
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {9}));
        assertEquals(List.of("model.onnx"), names(dir));
        assertEquals("x", Files.readString(target.resolve("keep")));
    }

    /** A writer that opens the file by name (as FFmpeg's muxer does) fills the target; a failing one leaves none. */
    @Test
    void aWriterGivenThePathFillsTheTargetOrNothing(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("annotated.mp4");
        AtomicFiles.writeFile(video, file -> {
            assertTrue(
                    Files.exists(file)
                            && Files.size(file) == 0
                            && file.getParent().equals(dir),
                    file.toString());
            Files.write(file, new byte[] {1, 2, 3});
        });
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(video));
        IOException e = assertThrows(
                IOException.class,
                () -> AtomicFiles.writeFile(video, file -> {
                    Files.write(file, new byte[] {9});
                    throw new IOException("encoder failed");
                }));
        assertEquals("encoder failed", e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(video));
        assertEquals(List.of("annotated.mp4"), names(dir));
    }

    /** Outputs were 0600 whatever the umask, and a replaced 0664 file became 0600. */
    @Test
    void keepsPermissionsAsAWriteInPlaceWould(@TempDir Path dir) throws Exception {
        Path probe = Files.createFile(dir.resolve("probe")); // what the umask gives a new file
        Path fresh = dir.resolve("fresh.npy");
        AtomicFiles.write(fresh, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(fresh));

        Path shared = dir.resolve("shared.npy");
        Files.write(shared, new byte[] {0});
        java.util.Set<java.nio.file.attribute.PosixFilePermission> rwrwr =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(shared, rwrwr);
        AtomicFiles.write(shared, new byte[] {2});
        assertEquals(rwrwr, Files.getPosixFilePermissions(shared));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(shared));
    }

    /** A symbolic link at the target was replaced by a plain file. */
    @Test
    void writesThroughASymbolicLink(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("data")).resolve("model.onnx");
        Files.write(real, new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("current.onnx"), Path.of("data/model.onnx"));
        AtomicFiles.write(link, new byte[] {7, 7});
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(real));
        assertEquals(List.of("model.onnx"), names(real.getParent()));
    }

    @Test
    void aMissingFolderIsNamed(@TempDir Path dir) {
        Path target = dir.resolve("no/such/folder/out.json");
        java.nio.file.NoSuchFileException e =
                assertThrows(java.nio.file.NoSuchFileException.class, () -> AtomicFiles.write(target, new byte[] {1}));
        assertTrue(
                e.getMessage().contains(dir.resolve("no/such/folder").toString())
                        && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    /** SIGTERM during a write once left a hidden .NAME<digits>.tmp beside the target. */
    @Test
    void anInterruptedRunLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        javaCommand,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AtomicFilesTest.class.getName(),
                        dir.resolve("out.json").toString())
                .redirectErrorStream(true)
                .start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!writing(dir)) {
                assertTrue(p.isAlive() && System.nanoTime() < deadline, "the writer never started");
                Thread.sleep(20);
            }
            p.destroy(); // SIGTERM, as a user's kill or a CI timeout sends
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), names(dir));
    }

    /** Whether a temporary file beside the target holds the first byte already. */
    private static boolean writing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p ->
                    p.getFileName().toString().endsWith(".tmp") && p.toFile().length() > 0);
        }
    }

    /** The child of {@link #anInterruptedRunLeavesNoTemporaryFile}: a write that never ends. */
    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write('[');
            out.flush();
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }
}
