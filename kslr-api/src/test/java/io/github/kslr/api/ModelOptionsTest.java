package io.github.kslr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelOptionsTest {

    @Test
    void changesOneFieldAtATime() {
        ModelOptions o = ModelOptions.cpu(1);
        assertEquals(ExecutionDevice.cpu(), o.device());
        assertTrue(o.spinning());
        ModelOptions t = o.withThreads(4).withSpinning(false).withDevice(ExecutionDevice.cudaOrCpu(0));
        assertEquals(4, t.threads());
        assertFalse(t.spinning());
        assertEquals(ExecutionDevice.cudaOrCpu(0), t.device());
        assertEquals(1, o.threads(), "immutable");
    }

    @Test
    void refusesBadValues() {
        assertThrows(InvalidInputException.class, () -> new ModelOptions(null, 1, true));
        assertThrows(InvalidInputException.class, () -> ModelOptions.cpu(-1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelOptions.cpu(100000));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
    }
}
