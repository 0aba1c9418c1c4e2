package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

    private static final List<List<String>> HEADERS =
            List.of(List.of("video", "label"), List.of("video", "label", "x"));

    private static CsvTable read(Path dir, String text) throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, text, StandardCharsets.UTF_8);
        return CsvTable.read(csv, "not a file: " + csv, HEADERS, "video,label[,x]");
    }

    @Test
    void readsQuotedCellsAfterAByteOrderMarkWithTheirLines(@TempDir Path dir) throws Exception {
        CsvTable t = read(dir, "\uFEFFvideo,label\n\"a, b.mp4\",hello\n\n c.mp4 , tea \n");
        assertEquals(List.of("video", "label"), t.header());
        assertEquals(2, t.rows().size());
        assertEquals(List.of("a, b.mp4", "hello"), t.rows().get(0).cells());
        assertEquals(2, t.rows().get(0).line());
        assertEquals("tea", t.rows().get(1).get(1));
        assertEquals(4, t.rows().get(1).line());
    }

    @Test
    void badFilesAreNamed(@TempDir Path dir) throws Exception {
        InvalidInputException header = assertThrows(InvalidInputException.class, () -> read(dir, "video,sign\na,b\n"));
        assertTrue(
                header.getMessage().contains("first line must be video,label[,x], was video,sign"),
                header.getMessage());
        InvalidInputException width =
                assertThrows(InvalidInputException.class, () -> read(dir, "video,label\na,b,c\n"));
        assertTrue(width.getMessage().contains("line 2 has 3 columns"), width.getMessage());
        InvalidInputException quote =
                assertThrows(InvalidInputException.class, () -> read(dir, "video,label\n\"a,b\n"));
        assertTrue(quote.getMessage().contains("is not a valid CSV file"), quote.getMessage());
        InvalidInputException missing = assertThrows(
                InvalidInputException.class, () -> CsvTable.read(dir, "not a file: dir", HEADERS, "video,label"));
        assertEquals("not a file: dir", missing.getMessage());
    }
}
