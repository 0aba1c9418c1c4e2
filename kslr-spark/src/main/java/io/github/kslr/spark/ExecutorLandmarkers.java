package io.github.kslr.spark;

import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The landmark models of this JVM (an executor's, or the driver's in local mode), loaded on first use and kept for
 * the JVM's life, and the landmarkers built over them: loading the models takes seconds, so each executor loads them
 * once and every task of every job reuses them. A task borrows a landmarker (one stream's tracking state) and gives
 * it back reset.
 *
 * <p><b>Thread-safety.</b> Thread-safe: tasks run on several threads of one executor. The models are shared by the
 * landmarkers (as {@link LandmarkerModels} allows); a landmarker serves one task at a time.
 */
final class ExecutorLandmarkers {
    private static final Map<LandmarkerSettings, Pool> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorLandmarkers() {}

    /** One settings' models and its idle landmarkers. */
    private static final class Pool {
        final LandmarkerSettings settings;
        volatile LandmarkerModels models;
        final Queue<HolisticLandmarker> idle = new ConcurrentLinkedQueue<>();

        Pool(LandmarkerSettings settings) {
            this.settings = settings;
        }

        synchronized LandmarkerModels models() {
            if (models == null) {
                models = settings.loadModels();
                LOADS.incrementAndGet();
            }
            return models;
        }
    }

    /** A landmarker with these settings, fresh or reset; give it back with {@link #giveBack}. */
    static HolisticLandmarker borrow(LandmarkerSettings settings) {
        Pool pool = POOLS.computeIfAbsent(settings, Pool::new);
        HolisticLandmarker l = pool.idle.poll();
        if (l == null) {
            l = settings.landmarker(pool.models());
        }
        return l;
    }

    /** Takes back a landmarker {@link #borrow} gave, reset so that the next video starts from no tracking state. */
    static void giveBack(LandmarkerSettings settings, HolisticLandmarker landmarker) {
        landmarker.reset();
        POOLS.get(settings).idle.add(landmarker);
    }

    /** How many times this JVM has loaded models (once a settings; for tests). */
    static int loads() {
        return LOADS.get();
    }
}
