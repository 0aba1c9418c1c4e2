package io.github.kslr.examples.web;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import io.github.kslr.api.AudioClip;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.UnsupportedTextException;
import io.github.kslr.examples.media.VideoFrames;
import io.github.kslr.examples.pipeline.FrameResult;
import io.github.kslr.examples.pipeline.LandmarkJson;
import io.github.kslr.examples.pipeline.RecognitionSession;
import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser connection of the web demo: its recognition session, its JPEG decoder and, when the page asks for the
 * server's video file, the thread that plays it.
 *
 * <p>Protocol (client to server): a binary message is one JPEG frame; text messages are JSON objects
 * {@code {"type": "clear" | "speak" | "video" | "stop-video"}}. Server to client: JSON text messages
 * {@code hello}, {@code result} (landmarks, new signs, sentence), {@code cleared}, {@code speech} (base64 WAV),
 * {@code video-start}/{@code video-end}, {@code error} ({@code code}, {@code message}); while the server's video
 * plays, each {@code result} is preceded by a binary message holding that frame as JPEG.
 *
 * <p><b>Thread-safety.</b> Jetty calls the handlers of one connection one at a time; the video thread and those
 * handlers share the session under {@link #lock}. Sends are serialised under the same lock so a frame's JPEG and
 * its result stay together.
 */
final class DemoConnection {
    private static final Logger LOG = LoggerFactory.getLogger(DemoConnection.class);

    private final WsContext ctx;
    private final Supplier<RecognitionSession> factory;
    private final KhmerSpeech speech;
    private final Path video;
    private final SignModelMetadata model;
    private final int maxFrameBytes;
    private final long maxFramePixels;
    private final Object lock = new Object();
    private final long startNanos = System.nanoTime();

    private RecognitionSession session;
    private JpegFrames jpeg;
    private byte[] frameBytes = new byte[0];
    private long lastTimestampMs = -1;
    private long frames;
    private Thread videoThread;
    private volatile boolean videoStop;
    private boolean closed;

    DemoConnection(WsContext ctx, Supplier<RecognitionSession> factory, KhmerSpeech speech, Path video,
            SignModelMetadata model, int maxFrameBytes, long maxFramePixels) {
        this.ctx = ctx;
        this.factory = factory;
        this.speech = speech;
        this.video = video;
        this.model = model;
        this.maxFrameBytes = maxFrameBytes;
        this.maxFramePixels = maxFramePixels;
    }

    /** Opens the session and greets the page with what this server offers. */
    void open() {
        synchronized (lock) {
            try {
                session = factory.get();
                jpeg = new JpegFrames(0.8f);
            } catch (RuntimeException e) {
                LOG.error("cannot start a recognition session", e);
                sendError("session-failed", "the server cannot start a recognition session: " + e.getMessage());
                ctx.closeSession(1011, "session failed");
                return;
            }
            sendJson(w -> {
                w.name("type").value("hello");
                w.name("speech").value(speech != null);
                w.name("video").value(video != null);
                if (video != null) {
                    w.name("videoName").value(String.valueOf(video.getFileName()));
                }
                w.name("maxFrameBytes").value(maxFrameBytes);
                if (model != null) {
                    w.name("sequenceLength").value(model.sequenceLength());
                    w.name("layout").value(model.layout().name());
                    w.name("labels").beginArray();
                    for (SignLabel l : model.labels()) {
                        w.beginObject().name("label").value(l.label()).name("khmer").value(l.khmer())
                                .name("gloss").value(l.gloss()).endObject();
                    }
                    w.endArray();
                }
            });
        }
    }

    void onBinary(ByteBuffer data) {
        int size = data.remaining();
        if (size > maxFrameBytes) {
            sendError("frame-too-large", "frame of " + size + " bytes is larger than the server's limit of "
                    + maxFrameBytes + " bytes; send smaller JPEGs (lower resolution or quality)");
            return;
        }
        synchronized (lock) {
            if (session == null || closed) {
                return;
            }
            if (videoThread != null) {
                sendError("busy", "the server's video file is playing; send {\"type\":\"stop-video\"} before"
                        + " streaming camera frames");
                return;
            }
            if (frameBytes.length < size) {
                frameBytes = new byte[Math.max(size, frameBytes.length * 2)];
            }
            data.get(frameBytes, 0, size);
            ImageFrame frame;
            long t0 = System.nanoTime();
            try {
                frame = jpeg.decode(frameBytes, size, nextTimestamp(elapsedMs()), maxFramePixels);
            } catch (InvalidInputException e) {
                sendError("bad-frame", e.getMessage());
                return;
            }
            processAndSend(frame, null, (System.nanoTime() - t0) / 1e6);
        }
    }

    void onText(String text) {
        JsonObject msg;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject() || !e.getAsJsonObject().has("type")
                    || !e.getAsJsonObject().get("type").isJsonPrimitive()) {
                sendError("unknown-message", "expected a JSON object with a \"type\" of clear, speak, video or"
                        + " stop-video; got " + abbreviate(text));
                return;
            }
            msg = e.getAsJsonObject();
        } catch (JsonParseException e) {
            sendError("unknown-message", "expected a JSON object with a \"type\" of clear, speak, video or"
                    + " stop-video; got " + abbreviate(text));
            return;
        }
        String type = msg.get("type").getAsString();
        switch (type) {
            case "clear" -> clear();
            case "speak" -> speak();
            case "video" -> startVideo();
            case "stop-video" -> stopVideo();
            default -> sendError("unknown-message", "unknown message type \"" + abbreviate(type)
                    + "\"; expected clear, speak, video or stop-video");
        }
    }

    private void clear() {
        synchronized (lock) {
            if (session == null) {
                return;
            }
            session.clear();
            sendJson(w -> {
                w.name("type").value("cleared");
                w.name("sentence").value("");
            });
        }
    }

    private void speak() {
        if (speech == null) {
            sendError("speech-unavailable", "this server has no voice; start it with kslr serve --voice"
                    + " VOICE.onnx");
            return;
        }
        synchronized (lock) {
            if (session == null) {
                return;
            }
            String text = session.sentence();
            if (text.isBlank()) {
                sendError("nothing-to-speak", "the transcript is empty; sign something first");
                return;
            }
            AudioClip clip;
            long t0 = System.nanoTime();
            try {
                clip = speech.synthesize(text);
            } catch (UnsupportedTextException e) {
                sendError("speech-failed", e.getMessage());
                return;
            } catch (KslrException e) {
                LOG.warn("speech synthesis failed for {}", text, e);
                sendError("speech-failed", "speech synthesis failed: " + e.getMessage());
                return;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            ByteArrayOutputStream wav = new ByteArrayOutputStream(clip.sampleCount() * 2 + 64);
            try {
                clip.writeWav(wav);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String b64 = Base64.getEncoder().encodeToString(wav.toByteArray());
            sendJson(w -> {
                w.name("type").value("speech");
                w.name("text").value(text);
                w.name("seconds").value(clip.durationSeconds());
                w.name("synthesisMs").value(Math.round(ms));
                w.name("wav").value(b64);
            });
            // The reports' flow: after speaking, the transcript starts over.
            clear();
        }
    }

    private void startVideo() {
        if (video == null) {
            sendError("no-video", "this server has no video file; start it with kslr serve --video FILE");
            return;
        }
        synchronized (lock) {
            if (session == null || closed || videoThread != null) {
                return;
            }
            videoStop = false;
            videoThread = new Thread(this::playVideo, "kslr-demo-video-" + ctx.sessionId());
            videoThread.setDaemon(true);
            videoThread.start();
        }
    }

    private void stopVideo() {
        Thread t;
        synchronized (lock) {
            t = videoThread;
            videoStop = true;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Plays the server's video file at its own frame rate, running the pipeline on every frame. */
    private void playVideo() {
        try (VideoFrames source = VideoFrames.open(video.toString())) {
            double fps = source.frameRate() > 0 && source.frameRate() < 240 ? source.frameRate() : 25;
            long frameNanos = (long) (1e9 / fps);
            sendJson(w -> {
                w.name("type").value("video-start");
                w.name("name").value(String.valueOf(video.getFileName()));
                w.name("fps").value(Math.round(fps * 100) / 100.0);
                w.name("frames").value(source.lengthInFrames());
            });
            long next = System.nanoTime();
            ImageFrame f;
            while (!videoStop && (f = source.next()) != null) {
                synchronized (lock) {
                    if (closed || videoStop) {
                        break;
                    }
                    ImageFrame frame = f.withTimestamp(nextTimestamp(f.timestampMs()));
                    byte[] encoded;
                    long t0 = System.nanoTime();
                    try {
                        encoded = jpeg.encode(frame);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    processAndSend(frame, encoded, (System.nanoTime() - t0) / 1e6);
                }
                next += frameNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    next = System.nanoTime(); // slower than real time: do not try to catch up
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("video playback of {} failed", video, e);
            sendError("video-failed", "cannot play " + video.getFileName() + ": " + e.getMessage());
        } finally {
            synchronized (lock) {
                videoThread = null;
                if (!closed) {
                    sendJson(w -> w.name("type").value("video-end"));
                }
            }
        }
    }

    /**
     * Runs the session on one frame and sends the result (after the frame's JPEG when given). Holds the lock.
     *
     * @param jpegMs milliseconds spent decoding the browser's JPEG (camera) or encoding the frame (server video)
     */
    private void processAndSend(ImageFrame frame, byte[] frameJpeg, double jpegMs) {
        FrameResult r;
        try {
            r = session.process(frame);
        } catch (RuntimeException e) {
            // One bad frame must not end the stream: report it and carry on with the next.
            LOG.warn("recognition failed on a frame", e);
            sendError("recognition-failed", String.valueOf(e.getMessage()));
            return;
        }
        long index = frames++;
        if (frameJpeg != null) {
            ctx.send(ByteBuffer.wrap(frameJpeg));
        }
        sendJson(w -> {
            w.name("type").value("result");
            w.name("frame").value(index);
            w.name("source").value(frameJpeg != null ? "video" : "camera");
            LandmarkJson.writeMembers(w, r.landmarks());
            w.name("prediction");
            if (r.window() == null) {
                w.nullValue();
            } else {
                LandmarkJson.writePrediction(w, r.window());
            }
            w.name("signs").beginArray();
            for (Prediction p : r.newSigns()) {
                LandmarkJson.writePrediction(w, p);
            }
            w.endArray();
            w.name("sentence").value(r.sentence());
            w.name("jpegMs").value(Math.round(jpegMs * 10) / 10.0);
            w.name("landmarkMs").value(Math.round(r.landmarkMs() * 10) / 10.0);
            w.name("recognizeMs").value(Math.round(r.recognizeMs() * 100) / 100.0);
        });
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A landmarker in video mode needs strictly increasing timestamps, whichever source the frame came from. */
    private long nextTimestamp(long candidate) {
        long t = Math.max(candidate, lastTimestampMs + 1);
        lastTimestampMs = t;
        return t;
    }

    private interface Members {
        void write(JsonWriter w) throws IOException;
    }

    private void sendJson(Members members) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject();
            members.write(w);
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(out.toString());
    }

    /** Answers a failure the handlers did not expect, so the page hears about it instead of losing the socket. */
    void sendInternalError(RuntimeException e) {
        LOG.warn("unexpected failure on a demo connection", e);
        sendError("internal-error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private void sendError(String code, String message) {
        sendJson(w -> {
            w.name("type").value("error");
            w.name("code").value(code);
            w.name("message").value(message);
        });
    }

    private void send(String text) {
        synchronized (lock) {
            if (closed || !ctx.session.isOpen()) {
                return;
            }
            ctx.send(text);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Stops the video, closes the session. Idempotent. */
    void close() {
        stopVideo();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (session != null) {
                session.close();
            }
            if (jpeg != null) {
                jpeg.close();
            }
        }
    }
}
