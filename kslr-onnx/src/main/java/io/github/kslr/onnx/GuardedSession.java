package io.github.kslr.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.kslr.api.ClosedException;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.InferenceException;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An ONNX Runtime session that is safe to close while other threads use it.
 *
 * <p>ONNX Runtime's {@code OrtSession.run} is thread-safe, but closing a session while another thread is inside
 * {@code run} crashes the JVM (microsoft/onnxruntime#21812), and a second {@code close()} throws. Every use goes
 * between {@link #begin()} and {@link #end()}, which hold a shared read lock; {@link #close()} takes the write lock,
 * so it waits for calls in flight, and later calls fail with {@link ClosedException}. Close is idempotent.
 *
 * <p><b>Thread-safety.</b> Thread-safe.
 */
public final class GuardedSession implements AutoCloseable {
    private final OrtSession session;
    private final String name;
    private final ExecutionDevice device;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    GuardedSession(OrtSession session, String name, ExecutionDevice device) {
        this.session = session;
        this.name = name;
        this.device = device;
    }

    /** The model's description (its path or resource name). */
    public String name() {
        return name;
    }

    /** The device the session actually runs on (CPU after a fallback). */
    public ExecutionDevice device() {
        return device;
    }

    /** Marks the start of a use. Pair with {@link #end()} in a {@code finally}. */
    public void begin() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new ClosedException(name);
        }
    }

    /** Marks the end of a use started by {@link #begin()}. */
    public void end() {
        lock.readLock().unlock();
    }

    /** The session, for use between {@link #begin()} and {@link #end()} only. */
    public OrtSession session() {
        return session;
    }

    public OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Input names and shapes. */
    public Map<String, NodeInfo> inputs() {
        begin();
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new InferenceException(name + ": cannot read input info", e);
        } finally {
            end();
        }
    }

    /** Output names and shapes. */
    public Map<String, NodeInfo> outputs() {
        begin();
        try {
            return session.getOutputInfo();
        } catch (OrtException e) {
            throw new InferenceException(name + ": cannot read output info", e);
        } finally {
            end();
        }
    }

    /**
     * Runs the model, writing into the caller's preallocated output tensors (ONNX Runtime's Java API has no I/O
     * binding; pinned outputs are how copies are avoided).
     */
    public void run(Map<String, ? extends OnnxTensorLike> inputs, Map<String, ? extends OnnxValue> pinnedOutputs) {
        begin();
        try (OrtSession.Result ignored = session.run(inputs, pinnedOutputs)) {
            // Pinned outputs are owned by the caller; closing the result does not free them.
        } catch (OrtException e) {
            throw new InferenceException(name + ": inference failed: " + e.getMessage(), e);
        } finally {
            end();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits for calls in flight, then releases the session. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
        } catch (OrtException e) {
            throw new InferenceException(name + ": closing the session failed", e);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
