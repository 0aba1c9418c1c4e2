package io.github.kslr.api;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs a per-frame step, such as a landmarker's {@code detect} or a recognizer's {@code accept}, on live camera frames
 * on a thread of its own, as MediaPipe's {@code LIVE_STREAM} running mode does: {@link #offer(ImageFrame)} copies the
 * frame and returns at once, results arrive through a listener, and the step never falls behind the camera. At most
 * one frame waits while another is processed; a newer frame replaces the waiting one, which is dropped (and counted
 * in {@link #stats()}). When the step is faster than the camera nothing is dropped.
 *
 * <pre>{@code
 * try (LiveStream<HolisticLandmarks> live = LiveStream.builder(landmarker::detect)
 *         .onResult((landmarks, frame) -> overlay.show(landmarks))
 *         .build()) {
 *     camera.forEachFrame(live::offer);   // the camera thread never waits for the models
 * }
 * }</pre>
 *
 * <p>The step runs on one thread, frame after frame, in timestamp order, so a video-mode landmarker or a recognizer
 * (which keep state from frame to frame and serve one stream) can be the step. Timestamps must increase from offer to
 * offer. Listeners run on that thread too; a slow listener slows the stream down (more frames are dropped), it never
 * blocks the camera.
 *
 * <p><b>Ownership.</b> {@link #offer} copies the frame's pixels (tightly packed, into one of two direct buffers this
 * object reuses), so the caller may reuse its buffer as soon as {@code offer} returns. The frame handed to the step
 * and the listeners is that copy, valid only during the call: copy out what must outlive it.
 *
 * <p><b>Errors.</b> An exception from the step or the result listener goes to the error listener with the frame, and
 * the stream goes on with the next frame. Without an error listener it is logged through {@link System.Logger}
 * (which SLF4J's {@code slf4j-jdk-platform-logging} routes to SLF4J).
 *
 * <p>Why not a {@code ThreadPoolExecutor} with a one-slot queue and {@code DiscardOldestPolicy}: the dropped frame's
 * buffer must be reused for the next copy and counted, and {@link #awaitIdle} needs the waiting and running states;
 * the executor hides the discarded task, so the few lines of hand-over here are simpler than wrapping it.
 *
 * <p><b>Thread-safety.</b> {@link #offer}, {@link #stats}, {@link #awaitIdle} and {@link #close} may be called from
 * any thread. {@link #close()} drops the waiting frame, waits for the one being processed and stops the thread; it is
 * idempotent and may be called from a listener. The step's own resources (the landmarker, the recognizer) stay the
 * caller's: close them after this stream.
 *
 * @param <R> the step's result
 */
public final class LiveStream<R> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveStream.class.getName());

    /** Receives each processed frame's result, on the stream's thread. */
    @FunctionalInterface
    public interface ResultListener<R> {
        /**
         * @param result the step's result for {@code frame}
         * @param frame  the stream's copy of the frame, valid during this call only
         */
        void onResult(R result, ImageFrame frame);
    }

    /** Receives failures of the step or of the result listener, on the stream's thread. */
    @FunctionalInterface
    public interface ErrorListener {
        /**
         * @param error what the step or the result listener threw
         * @param frame the stream's copy of the frame, valid during this call only
         */
        void onError(RuntimeException error, ImageFrame frame);
    }

    /**
     * What became of the frames offered so far.
     *
     * @param offered   frames taken by {@link #offer}
     * @param completed frames the step returned a result for
     * @param failed    frames whose step or result listener threw
     * @param dropped   frames replaced by a newer one while they waited, or still waiting at {@link #close()}
     */
    public record Stats(long offered, long completed, long failed, long dropped) {
        /** Frames taken but not finished yet (waiting or being processed): 0, 1 or 2. */
        public long inProgress() {
            return offered - completed - failed - dropped;
        }
    }

    private final Function<? super ImageFrame, ? extends R> step;
    private final ResultListener<? super R> resultListener;
    private final ErrorListener errorListener;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private ImageFrame waiting;
    private ByteBuffer spare;
    private boolean processing;
    private boolean closed;
    private long lastTimestampMs = -1;
    private long offered;
    private long completed;
    private long failed;
    private long dropped;

    private LiveStream(Builder<R> b) {
        this.step = b.step;
        this.resultListener = b.resultListener;
        this.errorListener = b.errorListener;
        this.worker = new Thread(this::run, b.threadName);
        worker.setDaemon(b.daemon);
        worker.start();
    }

    /**
     * A builder for a stream running {@code step} on each frame.
     *
     * @throws InvalidInputException when {@code step} is null
     */
    public static <R> Builder<R> builder(Function<? super ImageFrame, ? extends R> step) {
        return new Builder<>(Checks.notNull(step, "step"));
    }

    /**
     * Hands a frame to the stream: its pixels are copied and it waits for the step, replacing (dropping) a frame that
     * was still waiting.
     *
     * @return true when no waiting frame was dropped for this one
     * @throws InvalidInputException for a null frame or a timestamp not greater than the previous offer's
     * @throws ClosedException       after {@link #close()}
     */
    public boolean offer(ImageFrame frame) {
        Checks.notNull(frame, "frame");
        lock.lock();
        try {
            if (closed) {
                throw new ClosedException("live stream " + worker.getName());
            }
            if (frame.timestampMs() <= lastTimestampMs) {
                throw new InvalidInputException("timestampMs must increase from frame to frame in a live stream: "
                        + frame.timestampMs() + " after " + lastTimestampMs);
            }
            boolean replaced = waiting != null;
            ByteBuffer target = replaced ? waiting.pixels() : spare;
            if (!replaced) {
                spare = null;
            }
            waiting = copy(frame, target);
            lastTimestampMs = frame.timestampMs();
            offered++;
            if (replaced) {
                dropped++;
            }
            changed.signalAll();
            return !replaced;
        } finally {
            lock.unlock();
        }
    }

    /** The counts so far. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(offered, completed, failed, dropped);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no frame is waiting or being processed (e.g. before reading a final result).
     *
     * @return true when idle, false when {@code timeout} passed first
     * @throws InvalidInputException for a null or negative timeout
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        Checks.notNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new InvalidInputException("timeout must be >= 0, was " + timeout);
        }
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (waiting != null || processing) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the waiting frame, waits for the frame being processed and stops the stream's thread. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                if (waiting != null) {
                    waiting = null;
                    dropped++;
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != worker) {
            boolean interrupted = false;
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "LiveStream[" + worker.getName() + ", " + stats() + "]";
    }

    private void run() {
        while (true) {
            ImageFrame frame;
            lock.lock();
            try {
                while (waiting == null && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (waiting == null) {
                    return; // closed
                }
                frame = waiting;
                waiting = null;
                processing = true;
            } finally {
                lock.unlock();
            }
            boolean ok = process(frame);
            lock.lock();
            try {
                processing = false;
                if (ok) {
                    completed++;
                } else {
                    failed++;
                }
                if (spare == null || spare.capacity() < frame.pixels().capacity()) {
                    spare = frame.pixels();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs the step and the result listener on one frame; false when either threw. */
    private boolean process(ImageFrame frame) {
        try {
            R result = step.apply(frame);
            if (resultListener != null) {
                resultListener.onResult(result, frame);
            }
            return true;
        } catch (RuntimeException e) {
            try {
                if (errorListener != null) {
                    errorListener.onError(e, frame);
                } else {
                    LOG.log(
                            Level.WARNING,
                            "live stream " + worker.getName() + ": frame at " + frame.timestampMs() + " ms failed",
                            e);
                }
            } catch (RuntimeException listenerFailure) {
                LOG.log(
                        Level.WARNING,
                        "live stream " + worker.getName() + ": the error listener threw",
                        listenerFailure);
            }
            return false;
        }
    }

    /** A tightly packed copy of {@code frame} in {@code target}, or in a new direct buffer when it is too small. */
    private static ImageFrame copy(ImageFrame frame, ByteBuffer target) {
        int rowBytes = frame.width() * frame.format().bytesPerPixel();
        int size = rowBytes * frame.height();
        ByteBuffer dst = target != null && target.capacity() >= size ? target : ByteBuffer.allocateDirect(size);
        dst.clear();
        ByteBuffer src = frame.pixels();
        for (int y = 0; y < frame.height(); y++) {
            dst.put(y * rowBytes, src, frame.offset() + y * frame.rowStride(), rowBytes);
        }
        return ImageFrame.packed(frame.width(), frame.height(), frame.format(), dst, frame.timestampMs());
    }

    /**
     * Options for {@link LiveStream}: listeners and the thread's name.
     *
     * <p><b>Thread-safety.</b> Not thread-safe; use from one thread.
     */
    public static final class Builder<R> {
        private final Function<? super ImageFrame, ? extends R> step;
        private ResultListener<? super R> resultListener;
        private ErrorListener errorListener;
        private String threadName = "kslr-live-stream";
        private boolean daemon = true;

        private Builder(Function<? super ImageFrame, ? extends R> step) {
            this.step = step;
        }

        /** Receives each frame's result (optional: a recognizer's own listener may be all that is needed). */
        public Builder<R> onResult(ResultListener<? super R> listener) {
            this.resultListener = Checks.notNull(listener, "listener");
            return this;
        }

        /** Receives failures (default: logged as warnings through {@link System.Logger}). */
        public Builder<R> onError(ErrorListener listener) {
            this.errorListener = Checks.notNull(listener, "listener");
            return this;
        }

        /** The name of the stream's thread (default {@code kslr-live-stream}). */
        public Builder<R> threadName(String name) {
            Checks.notNull(name, "threadName");
            if (name.isBlank()) {
                throw new InvalidInputException("threadName must not be blank");
            }
            this.threadName = name;
            return this;
        }

        /**
         * Whether the stream's thread is a daemon thread (default true: a stream left open does not keep the JVM
         * alive; close it to stop the thread).
         */
        public Builder<R> daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** Starts the stream's thread. */
        public LiveStream<R> build() {
            return new LiveStream<>(this);
        }
    }
}
