package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
