package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallTypesTest {

    @Test
    void executionDeviceParsesAndValidates() {
        assertEquals(ExecutionDevice.cpu(), ExecutionDevice.parse("CPU"));
        assertEquals(ExecutionDevice.cuda(0), ExecutionDevice.parse("cuda"));
        assertEquals(ExecutionDevice.cuda(3), ExecutionDevice.parse("cuda:3"));
        assertThrows(InvalidInputException.class, () -> ExecutionDevice.parse("tpu"));
        assertThrows(InvalidInputException.class, () -> ExecutionDevice.parse("cuda:x"));
        assertThrows(InvalidInputException.class, () -> ExecutionDevice.cuda(-1));
        assertThrows(InvalidInputException.class, () -> new ExecutionDevice(ExecutionDevice.Kind.CPU, 1, false));
        assertTrue(ExecutionDevice.cudaOrCpu(0).fallbackToCpu());
    }

    @Test
    void modelSourceNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.onnx");
        ModelLoadException e = assertThrows(
                ModelLoadException.class, () -> ModelSource.ofPath(missing).readAllBytes());
        assertTrue(e.getMessage().contains("nope.onnx"), e.getMessage());
        ModelLoadException r = assertThrows(
                ModelLoadException.class,
                () -> ModelSource.ofResource(getClass().getClassLoader(), "no/such/model.onnx")
                        .readAllBytes());
        assertTrue(r.getMessage().contains("no/such/model.onnx"), r.getMessage());
        Path file = dir.resolve("m.onnx");
        Files.write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, ModelSource.ofPath(file).readAllBytes());
        byte[] bytes = {4, 5};
        ModelSource mem = ModelSource.ofBytes(bytes, "mem");
        bytes[0] = 0;
        assertArrayEquals(new byte[] {4, 5}, mem.readAllBytes());
        assertThrows(InvalidInputException.class, () -> ModelSource.ofPath(null));
    }

    @Test
    void predictionCopiesItsTopK() {
        SignLabel a = new SignLabel(0, "coffee", "coffee", "កាហ្វេ");
        java.util.ArrayList<Candidate> top = new java.util.ArrayList<>(List.of(new Candidate(a, 0.9f)));
        Prediction p = new Prediction(a, 0.9f, true, top);
        top.clear();
        assertEquals(1, p.topK().size());
        assertEquals("កាហ្វេ", p.khmer());
        assertThrows(UnsupportedOperationException.class, () -> p.topK().clear());
        assertThrows(InvalidInputException.class, () -> new SignLabel(-1, "a", "a", ""));
    }

    @Test
    void checksNameValues() {
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> Checks.inRange(Float.NaN, 0, 1, "threshold"));
        assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Checks.range(10, 5, 6, "dst"));
        assertThrows(InvalidInputException.class, () -> Checks.range(10, -1, 2, "dst"));
        Checks.range(10, 4, 6, "dst");
    }
}
