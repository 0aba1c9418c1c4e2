package io.github.kslr.video;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Keeps FFmpeg's last error message of each thread (instead of printing it), so that a file that ends early can be
 * reported with FFmpeg's own reason ("partial file", "Invalid data found when processing input").
 *
 * <p><b>Thread-safety.</b> Thread-safe: FFmpeg logs from the thread that reads, and each thread sees its own message.
 * Messages FFmpeg logs from its own decoding threads are not attributed to a reader and are dropped.
 */
final class FfmpegErrors extends LogCallback {
    /** Held for the life of the class: FFmpeg keeps a native pointer to it. */
    private static final FfmpegErrors INSTANCE = new FfmpegErrors();

    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    private FfmpegErrors() {}

    static void install() {
        avutil.setLogCallback(INSTANCE);
    }

    /** Forgets this thread's last message (a new file is being read). */
    static void clear() {
        LAST.remove();
    }

    /** This thread's last FFmpeg error since {@link #clear()}, or null. */
    static String last() {
        return LAST.get();
    }

    @Override
    public void call(int level, BytePointer message) {
        if (level <= avutil.AV_LOG_ERROR && message != null) {
            // Without FFmpeg's "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55dc...] " context prefix: an address means nothing here.
            String m = message.getString()
                    .replaceFirst("^\\[[^\\]]*@ 0x[0-9a-fA-F]+\\]\\s*", "")
                    .strip();
            if (!m.isEmpty()) {
                LAST.set(m);
            }
        }
    }
}
