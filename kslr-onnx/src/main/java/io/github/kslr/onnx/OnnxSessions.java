package io.github.kslr.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.github.kslr.api.Checks;
import io.github.kslr.api.DeviceUnavailableException;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelSource;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions the same way for every KSLR component: bytes from a {@link ModelSource}, all graph
 * optimisations, the thread counts and device asked for, and clear errors.
 *
 * <p><b>Thread-safety.</b> Stateless; thread-safe.
 */
public final class OnnxSessions {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSessions.class);

    private OnnxSessions() {}

    /**
     * Opens a session.
     *
     * @throws ModelLoadException         when the bytes cannot be read or are not a model ONNX Runtime accepts
     * @throws DeviceUnavailableException when CUDA was asked for without fallback and cannot be loaded
     */
    public static GuardedSession open(ModelSource source, SessionSettings settings) {
        Checks.notNull(source, "source");
        Checks.notNull(settings, "settings");
        byte[] bytes = source.readAllBytes();
        if (bytes.length == 0) {
            throw new ModelLoadException("model " + source.description() + " is empty (0 bytes)");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ExecutionDevice device = settings.device();
        if (device.kind() == ExecutionDevice.Kind.CUDA) {
            try {
                return new GuardedSession(create(env, bytes, source, settings, true), source.description(), device);
            } catch (DeviceUnavailableException e) {
                if (!device.fallbackToCpu()) {
                    throw e;
                }
                LOG.warn(
                        "{}: CUDA device {} unavailable, running on the CPU instead: {}",
                        source.description(),
                        device.deviceId(),
                        e.getMessage());
            }
        }
        return new GuardedSession(
                create(env, bytes, source, settings, false), source.description(), ExecutionDevice.cpu());
    }

    private static OrtSession create(
            OrtEnvironment env, byte[] bytes, ModelSource source, SessionSettings settings, boolean cuda) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (settings.interOpThreads() > 0) {
                options.setInterOpNumThreads(settings.interOpThreads());
            }
            if (!settings.spinning()) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            if (cuda) {
                try {
                    addCuda(options, settings);
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    throw new DeviceUnavailableException(
                            "CUDA device " + settings.device().deviceId()
                                    + " cannot be used: " + e.getMessage()
                                    + " (the onnxruntime_gpu jar and a matching CUDA"
                                    + " are needed; see README 'GPU')",
                            e);
                }
            }
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new ModelLoadException(
                    "cannot load model " + source.description() + " (" + bytes.length + " bytes): " + e.getMessage(),
                    e);
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, SessionSettings settings) throws OrtException {
        if (!settings.variableShapes()) {
            options.addCUDA(settings.device().deviceId());
            return;
        }
        // ONNX Runtime's default (EXHAUSTIVE) times every cuDNN convolution algorithm for each new input shape;
        // with a new shape on most calls that search costs more than the convolutions themselves.
        try (OrtCUDAProviderOptions cuda =
                new OrtCUDAProviderOptions(settings.device().deviceId())) {
            cuda.add("cudnn_conv_algo_search", "HEURISTIC");
            options.addCUDA(cuda);
        }
    }

    /** The model's custom metadata ({@code metadata_props}). */
    public static Map<String, String> metadata(GuardedSession session) {
        session.begin();
        try {
            return session.session().getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new ModelLoadException("cannot read metadata of " + session.name(), e);
        } finally {
            session.end();
        }
    }
}
