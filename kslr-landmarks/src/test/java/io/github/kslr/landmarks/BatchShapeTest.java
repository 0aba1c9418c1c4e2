package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ExecutionDevice;
import org.junit.jupiter.api.Test;

class BatchShapeTest {
    @Test
    void byDevicePadsOnCudaOnly() {
        assertTrue(BatchShape.BY_DEVICE.padded(ExecutionDevice.cuda(0)));
        assertFalse(BatchShape.BY_DEVICE.padded(ExecutionDevice.cpu()));
        assertTrue(BatchShape.FIXED.padded(ExecutionDevice.cpu()));
        assertFalse(BatchShape.AS_NEEDED.padded(ExecutionDevice.cuda(0)));
    }
}
