package io.github.kslr.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.DeviceUnavailableException;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedSessionTest {

    /** y = x + 1 over float[1, n], with one metadata entry. */
    static byte[] addOneModel(int n) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(n))
                .build();
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape))
                .build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("add_one")
                .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type))
                .addInitializer(OnnxMl.TensorProto.newBuilder()
                        .setName("one")
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .addFloatData(1f))
                .addNode(OnnxMl.NodeProto.newBuilder()
                        .setOpType("Add")
                        .addInput("x")
                        .addInput("one")
                        .addOutput("y"))
                .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("kslr-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17))
                .addMetadataProps(
                        OnnxMl.StringStringEntryProto.newBuilder().setKey("k").setValue("v"))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Test
    void runsWithReusedInputAndPinnedOutput() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (GuardedSession s = OnnxSessions.open(
                ModelSource.ofBytes(addOneModel(3), "add"),
                SessionSettings.defaults().withIntraOpThreads(1))) {
            assertEquals(ExecutionDevice.cpu(), s.device());
            assertEquals(Map.of("k", "v"), OnnxSessions.metadata(s));
            assertEquals(List.of("x"), List.copyOf(s.inputs().keySet()));
            FloatBuffer in = direct(3);
            FloatBuffer out = direct(3);
            try (OnnxTensor x = OnnxTensor.createTensor(env, in, new long[] {1, 3});
                    OnnxTensor y = OnnxTensor.createTensor(env, out, new long[] {1, 3})) {
                in.put(0, 1).put(1, 2).put(2, 3);
                s.run(Map.of("x", x), Map.of("y", y));
                float[] got = new float[3];
                out.get(0, got);
                assertArrayEquals(new float[] {2, 3, 4}, got);
                in.put(0, 10); // the tensor aliases the direct buffer: no new tensor needed
                s.run(Map.of("x", x), Map.of("y", y));
                assertEquals(11f, out.get(0));
            }
        }
    }

    @Test
    void closeIsIdempotentAndLaterUseFailsClearly() {
        GuardedSession s = OnnxSessions.open(ModelSource.ofBytes(addOneModel(2), "add"), SessionSettings.defaults());
        s.close();
        s.close();
        ClosedException e = assertThrows(ClosedException.class, s::inputs);
        assertTrue(e.getMessage().contains("add"), e.getMessage());
    }

    @Test
    void closeWaitsForCallsInFlight() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        GuardedSession s = OnnxSessions.open(
                ModelSource.ofBytes(addOneModel(1000), "add"),
                SessionSettings.defaults().withIntraOpThreads(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(2);
        try {
            Future<?>[] workers = new Future<?>[2];
            for (int w = 0; w < 2; w++) {
                workers[w] = pool.submit(() -> {
                    try (OnnxTensor x = OnnxTensor.createTensor(env, direct(1000), new long[] {1, 1000});
                            OnnxTensor y = OnnxTensor.createTensor(env, direct(1000), new long[] {1, 1000})) {
                        started.countDown();
                        while (true) {
                            s.run(Map.of("x", x), Map.of("y", y));
                            runs.incrementAndGet();
                        }
                    } catch (ClosedException expected) {
                        return null;
                    }
                });
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            while (runs.get() < 200) {
                Thread.onSpinWait();
            }
            s.close(); // must not crash the JVM while the workers are inside run()
            for (Future<?> f : workers) {
                f.get(10, TimeUnit.SECONDS); // each ended with ClosedException, nothing else
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptOrEmptyModelsFailWithTheirName() {
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> OnnxSessions.open(
                        ModelSource.ofBytes(new byte[] {1, 2, 3, 4, 5}, "garbage.onnx"), SessionSettings.defaults()));
        assertTrue(e.getMessage().contains("garbage.onnx"), e.getMessage());
        ModelLoadException empty = assertThrows(
                ModelLoadException.class,
                () -> OnnxSessions.open(ModelSource.ofBytes(new byte[0], "empty.onnx"), SessionSettings.defaults()));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void cudaWithoutGpuFailsClearlyOrFallsBackWhenAsked() {
        // The CPU onnxruntime jar has no CUDA provider, so this holds on every CI machine.
        DeviceUnavailableException e = assertThrows(
                DeviceUnavailableException.class,
                () -> OnnxSessions.open(
                        ModelSource.ofBytes(addOneModel(2), "add"),
                        SessionSettings.defaults().withDevice(ExecutionDevice.cuda(0))));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        try (GuardedSession s = OnnxSessions.open(
                ModelSource.ofBytes(addOneModel(2), "add"),
                SessionSettings.defaults().withDevice(ExecutionDevice.cudaOrCpu(0)))) {
            assertEquals(ExecutionDevice.cpu(), s.device());
        }
        // The variable-shape route builds CUDA provider options first; it must fail and fall back the same way.
        assertThrows(
                DeviceUnavailableException.class,
                () -> OnnxSessions.open(
                        ModelSource.ofBytes(addOneModel(2), "add"),
                        SessionSettings.defaults()
                                .withDevice(ExecutionDevice.cuda(0))
                                .withVariableShapes(true)));
        try (GuardedSession s = OnnxSessions.open(
                ModelSource.ofBytes(addOneModel(2), "add"),
                SessionSettings.defaults()
                        .withDevice(ExecutionDevice.cudaOrCpu(0))
                        .withVariableShapes(true))) {
            assertEquals(ExecutionDevice.cpu(), s.device());
        }
    }
}
