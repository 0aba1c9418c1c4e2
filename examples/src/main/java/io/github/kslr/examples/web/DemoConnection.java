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
import io.github.kslr.api.LandmarkConnection;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.UnsupportedTextException;
import io.github.kslr.examples.pipeline.FrameResult;
import io.github.kslr.examples.pipeline.LandmarkJson;
import io.github.kslr.examples.pipeline.RecognitionSession;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.recognizer.TakeRecorder;
import io.github.kslr.video.VideoFrames;
import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser connection of the web demo: its recognition session, its JPEG decoder and, when the page asks for the
 * server's video file, the thread that plays it.
 *
 * <p>Protocol (client to server): a binary message is one JPEG frame; text messages are JSON objects
 * {@code {"type": "clear" | "speak" | "video" | "stop-video"}}. Server to client: JSON text messages
 * {@code hello} (with the landmark {@code connections} the page draws), {@code result} (landmarks, new signs,
 * sentence), {@code cleared}, {@code speech} (base64 WAV),
 * {@code video-start}/{@code video-end}, {@code error} ({@code code}, {@code message}); while the server's video
 * plays, each {@code result} is preceded by a binary message holding that frame as JPEG. Server-video frames wait in
 * a short {@link SendQueue}: a page that reads slower than the video plays loses the oldest ones, and every
 * {@code result} (and {@code video-end}) says in {@code dropped} how many this connection lost so far. No message
 * names a file by more than its file name: the server's folders are none of the page's business.
 *
 * <p>"Teach a sign", when the server has a {@link VocabularyTeacher} ({@code hello} says {@code "teach": true}):
 * <ol>
 *   <li>{@code {"type": "teach-start", "khmer": WORD, "gloss": TEXT, "takes": N}} checks the word, gloss and take
 *       count and that the word is not taught yet; answered by {@code teach-ready} (or an error {@code bad-teach},
 *       {@code teach-busy}, {@code teach-unavailable}). With {@code "more": true} the word must be taught already
 *       and the takes are added to it (another person's takes, say; the gloss is ignored).</li>
 *   <li>For each take: {@code take-start} (answered by {@code take-recording}); every frame processed from then on,
 *       from the camera or the server's video, belongs to the take; {@code take-end} picks the take's window
 *       ({@link TakeRecorder}) and answers {@code take}, or the error {@code bad-take} (e.g. no hand in view), after
 *       which the page records that take again.</li>
 *   <li>After the N-th take the sign is taught (or its new takes added) and saved: {@code taught} with the sign's
 *       takes in all and {@code added}, the takes this teaching gave, then every page connected gets the new
 *       {@code vocabulary}; or the error {@code teach-failed}. {@code teach-cancel} forgets the takes (answered by
 *       {@code teach-cancelled}, after the answers to messages sent before it).</li>
 * </ol>
 * {@code {"type": "signs"}} asks for the {@code vocabulary} ({@code signs}: label, khmer, gloss, takes);
 * {@code {"type": "delete-sign", "label": L}} deletes one ({@code deleted}, then {@code vocabulary} to every page; or
 * the error {@code unknown-sign}).
 *
 * <p><b>Thread-safety.</b> Jetty calls the handlers of one connection one at a time; the video thread and those
 * handlers share the session and the teaching in progress under {@link #lock}. Sends are serialised under the same
 * lock so a frame's JPEG and its result stay together. Teaching and deleting signs run outside the lock (the teacher
 * serialises them across connections), so telling the other connections never holds two connections' locks.
 */
final class DemoConnection {
    private static final Logger LOG = LoggerFactory.getLogger(DemoConnection.class);
    /** Frames one take keeps at most (about 30 s of camera): a take is one sign; later frames are not kept. */
    static final int MAX_TAKE_FRAMES = 900;

    static final String NO_VOCABULARY = "this server has no vocabulary to teach signs into; start it with one:"
            + " java -jar examples/target/kslr.jar serve --vocabulary signs.vocab";
    private static final String MESSAGE_TYPES = "clear, speak, video, stop-video, signs, teach-start, take-start,"
            + " take-end, teach-cancel or delete-sign";

    private final WsContext ctx;
    private final Supplier<RecognitionSession> factory;
    private final KhmerSpeech speech;
    private final Path video;
    private final SignModelMetadata model;
    private final int maxFrameBytes;
    private final long maxFramePixels;
    private final VocabularyTeacher teacher;
    private final Runnable vocabularyChanged;
    private final SendQueue queue;
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
    private Teaching teaching;

    /** A teaching in progress on this connection: what the page asked for and the windows of its takes so far. */
    private static final class Teaching {
        final String word;
        final String gloss;
        final int takes;
        /** Whether the takes are added to a taught sign rather than teaching a new one. */
        final boolean more;

        final TakeRecorder recorder;
        final List<float[]> windows = new ArrayList<>();
        boolean recording;

        Teaching(String word, String gloss, int takes, boolean more, TakeRecorder recorder) {
            this.word = word;
            this.gloss = gloss;
            this.takes = takes;
            this.more = more;
            this.recorder = recorder;
        }
    }

    /**
     * @param teacher           the vocabulary "Teach a sign" teaches into, or null: teaching unavailable
     * @param vocabularyChanged called (outside this connection's lock) after this connection taught or deleted a
     *                          sign, to send the new vocabulary to every page
     */
    DemoConnection(
            WsContext ctx,
            Supplier<RecognitionSession> factory,
            KhmerSpeech speech,
            Path video,
            SignModelMetadata model,
            int maxFrameBytes,
            long maxFramePixels,
            VocabularyTeacher teacher,
            Runnable vocabularyChanged,
            int maxQueuedFrames) {
        this.ctx = ctx;
        this.factory = factory;
        this.speech = speech;
        this.video = video;
        this.model = model;
        this.maxFrameBytes = maxFrameBytes;
        this.maxFramePixels = maxFramePixels;
        this.teacher = teacher;
        this.vocabularyChanged = vocabularyChanged;
        this.queue = new SendQueue(
                new SendQueue.Transport() {
                    @Override
                    public void sendText(String text, org.eclipse.jetty.websocket.api.Callback written) {
                        ctx.session.sendText(text, written);
                    }

                    @Override
                    public void sendBinary(ByteBuffer data, org.eclipse.jetty.websocket.api.Callback written) {
                        ctx.session.sendBinary(data, written);
                    }

                    @Override
                    public void closeSlow(String reason) {
                        LOG.warn("closing demo connection {} from {}: {}", ctx.sessionId(), remote(), reason);
                        ctx.closeSession(1008, reason);
                    }
                },
                maxQueuedFrames,
                MAX_KEPT_BYTES);
    }

    /** What other messages may wait for a page that does not read before it is disconnected. */
    static final long MAX_KEPT_BYTES = 32L << 20;

    /** This connection's outgoing queue (for tests and stats). */
    SendQueue queue() {
        return queue;
    }

    private String remote() {
        try {
            return String.valueOf(ctx.session.getRemoteSocketAddress());
        } catch (RuntimeException e) {
            return "?";
        }
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
                // The lines the page draws between landmarks: kslr-api's lists, so the page, --annotate and the
                // .pose writer draw the same skeleton.
                w.name("connections").beginObject();
                writeConnections(w.name("pose"), LandmarkPart.POSE);
                writeConnections(w.name("hand"), LandmarkPart.LEFT_HAND);
                w.endObject();
                if (model != null) {
                    w.name("sequenceLength").value(model.sequenceLength());
                    w.name("layout").value(model.layout().name());
                    w.name("labels").beginArray();
                    for (SignLabel l : model.labels()) {
                        w.beginObject()
                                .name("label")
                                .value(l.label())
                                .name("khmer")
                                .value(l.khmer())
                                .name("gloss")
                                .value(l.gloss())
                                .endObject();
                    }
                    w.endArray();
                }
                w.name("teach").value(teacher != null);
                if (teacher != null) {
                    w.name("vocabularyFile").value(String.valueOf(teacher.file().getFileName()));
                    w.name("defaultTakes").value(VocabularyTeacher.DEFAULT_TAKES);
                    w.name("minTakes").value(SignVocabulary.MIN_TAKES);
                    w.name("maxTakes").value(VocabularyTeacher.MAX_TAKES);
                    w.name("maxKhmerChars").value(VocabularyTeacher.MAX_KHMER_CHARS);
                    w.name("maxGlossChars").value(VocabularyTeacher.MAX_GLOSS_CHARS);
                    w.name("windowFrames").value(teacher.windowLength());
                } else {
                    w.name("teachHelp").value(NO_VOCABULARY);
                }
            });
            sendVocabulary();
        }
    }

    void onBinary(ByteBuffer data) {
        int size = data.remaining();
        if (size > maxFrameBytes) {
            sendError(
                    "frame-too-large",
                    "frame of " + size + " bytes is larger than the server's limit of " + maxFrameBytes
                            + " bytes; send smaller JPEGs (lower resolution or quality)");
            return;
        }
        synchronized (lock) {
            if (session == null || closed) {
                return;
            }
            if (videoThread != null) {
                sendError(
                        "busy",
                        "the server's video file is playing; send {\"type\":\"stop-video\"} before"
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
            if (!e.isJsonObject()
                    || !e.getAsJsonObject().has("type")
                    || !e.getAsJsonObject().get("type").isJsonPrimitive()) {
                sendError(
                        "unknown-message",
                        "expected a JSON object with a \"type\" of " + MESSAGE_TYPES + "; got " + abbreviate(text));
                return;
            }
            msg = e.getAsJsonObject();
        } catch (JsonParseException e) {
            sendError(
                    "unknown-message",
                    "expected a JSON object with a \"type\" of " + MESSAGE_TYPES + "; got " + abbreviate(text));
            return;
        }
        String type = msg.get("type").getAsString();
        switch (type) {
            case "clear" -> clear();
            case "speak" -> speak();
            case "video" -> startVideo();
            case "stop-video" -> stopVideo();
            case "signs" -> {
                if (teacher == null) {
                    sendError("teach-unavailable", NO_VOCABULARY);
                } else {
                    sendVocabulary();
                }
            }
            case "teach-start" -> teachStart(msg);
            case "take-start" -> takeStart();
            case "take-end" -> takeEnd();
            case "teach-cancel" -> teachCancel();
            case "delete-sign" -> deleteSign(msg);
            default ->
                sendError(
                        "unknown-message",
                        "unknown message type \"" + abbreviate(type) + "\"; expected " + MESSAGE_TYPES);
        }
    }

    private void teachStart(JsonObject msg) {
        if (teacher == null) {
            sendError("teach-unavailable", NO_VOCABULARY);
            return;
        }
        String word;
        String gloss;
        int takes;
        boolean more;
        try {
            more = booleanMember(msg, "more");
            word = more
                    ? teacher.checkTaughtSign(stringMember(msg, "khmer"))
                    : teacher.checkNewSign(stringMember(msg, "khmer"));
            gloss = more ? "" : VocabularyTeacher.gloss(stringMember(msg, "gloss"));
            takes = VocabularyTeacher.takeCount(intMember(msg, "takes", VocabularyTeacher.DEFAULT_TAKES));
        } catch (InvalidInputException e) {
            sendError("bad-teach", e.getMessage());
            return;
        }
        synchronized (lock) {
            if (session == null || closed) {
                return;
            }
            if (teaching != null) {
                sendError(
                        "teach-busy",
                        "this page is teaching '" + teaching.word + "' already (" + teaching.windows.size() + " of "
                                + teaching.takes + " takes); finish or cancel it first");
                return;
            }
            Teaching t = new Teaching(word, gloss, takes, more, teacher.newTakeRecorder());
            teaching = t;
            sendJson(w -> {
                w.name("type").value("teach-ready");
                w.name("khmer").value(t.word);
                w.name("gloss").value(t.gloss);
                w.name("takes").value(t.takes);
                w.name("more").value(t.more);
                w.name("windowFrames").value(teacher.windowLength());
            });
        }
    }

    private void takeStart() {
        synchronized (lock) {
            if (teaching == null) {
                sendError("not-teaching", "no sign is being taught; send teach-start first");
                return;
            }
            if (teaching.recording) {
                sendError(
                        "not-teaching",
                        "take " + (teaching.windows.size() + 1) + " is being recorded already;"
                                + " send take-end first");
                return;
            }
            Teaching t = teaching;
            t.recorder.clear();
            t.recording = true;
            sendJson(w -> {
                w.name("type").value("take-recording");
                w.name("take").value(t.windows.size() + 1);
                w.name("takes").value(t.takes);
            });
        }
    }

    private void takeEnd() {
        Teaching complete;
        synchronized (lock) {
            Teaching t = teaching;
            if (t == null || !t.recording) {
                sendError("not-teaching", "no take is being recorded; send take-start first");
                return;
            }
            t.recording = false;
            int take = t.windows.size() + 1;
            int taken = t.recorder.frameCount();
            TakeRecorder.TakeWindow w;
            try {
                w = t.recorder.window();
            } catch (InvalidInputException e) {
                t.recorder.clear();
                sendError("bad-take", "take " + take + " of " + t.takes + " was not kept: " + e.getMessage());
                return;
            }
            t.recorder.clear();
            t.windows.add(w.window());
            sendJson(o -> {
                o.name("type").value("take");
                o.name("take").value(take);
                o.name("takes").value(t.takes);
                o.name("frames").value(taken);
                o.name("firstFrame").value(w.firstFrame());
                o.name("lastFrame").value(w.lastFrame());
                o.name("handFrames").value(w.handFrames());
                o.name("padded").value(w.padded());
                o.name("truncated").value(taken >= MAX_TAKE_FRAMES);
            });
            if (t.windows.size() < t.takes) {
                return;
            }
            complete = t;
            teaching = null;
        }
        // Embedding and saving run outside the lock: frames keep flowing, and telling every page takes their locks.
        SignVocabulary.Sign sign;
        try {
            sign = complete.more
                    ? teacher.addTakes(complete.word, complete.windows)
                    : teacher.teach(complete.word, complete.gloss, complete.windows);
        } catch (InvalidInputException e) {
            sendError("teach-failed", e.getMessage());
            return;
        } catch (KslrException e) {
            LOG.warn("teaching '{}' failed", complete.word, e);
            sendError("teach-failed", e.getMessage());
            return;
        }
        LOG.info(
                "{} '{}' ({}): {} takes in {}",
                complete.more ? "added takes to" : "taught",
                sign.label(),
                sign.gloss(),
                sign.takeCount(),
                teacher.file());
        sendJson(w -> {
            w.name("type").value("taught");
            writeSign(w, sign);
            w.name("added").value(complete.takes);
        });
        vocabularyChanged.run();
    }

    private void teachCancel() {
        synchronized (lock) {
            teaching = null;
            sendJson(w -> w.name("type").value("teach-cancelled"));
        }
    }

    private void deleteSign(JsonObject msg) {
        if (teacher == null) {
            sendError("teach-unavailable", NO_VOCABULARY);
            return;
        }
        SignVocabulary.Sign sign;
        try {
            sign = teacher.remove(stringMember(msg, "label"));
        } catch (InvalidInputException e) {
            sendError("unknown-sign", e.getMessage());
            return;
        } catch (KslrException e) {
            LOG.warn("deleting a sign failed", e);
            sendError("delete-failed", e.getMessage());
            return;
        }
        LOG.info("deleted '{}' from {}", sign.label(), teacher.file());
        sendJson(w -> {
            w.name("type").value("deleted");
            w.name("label").value(sign.label());
        });
        vocabularyChanged.run();
    }

    /** Sends the taught signs (nothing without a teacher). May be called from any thread. */
    void sendVocabulary() {
        if (teacher == null) {
            return;
        }
        List<SignVocabulary.Sign> signs = teacher.signs();
        sendJson(w -> {
            w.name("type").value("vocabulary");
            w.name("file").value(String.valueOf(teacher.file().getFileName()));
            w.name("signs").beginArray();
            for (SignVocabulary.Sign s : signs) {
                w.beginObject();
                writeSign(w, s);
                w.endObject();
            }
            w.endArray();
        });
    }

    private static void writeSign(JsonWriter w, SignVocabulary.Sign s) throws IOException {
        w.name("label").value(s.label());
        w.name("khmer").value(s.khmer());
        w.name("gloss").value(s.gloss());
        w.name("takes").value(s.takeCount());
    }

    /** A string member, or null when it is absent or JSON null. */
    private static String stringMember(JsonObject msg, String name) {
        JsonElement e = msg.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InvalidInputException("\"" + name + "\" must be a string, was " + abbreviate(e.toString()));
        }
        return e.getAsString();
    }

    /** A true/false member, false when it is missing or JSON null. */
    private static boolean booleanMember(JsonObject msg, String name) {
        JsonElement e = msg.get(name);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new InvalidInputException("\"" + name + "\" must be true or false, was " + abbreviate(e.toString()));
        }
        return e.getAsBoolean();
    }

    /** A whole-number member, or {@code absent} when it is missing or JSON null. */
    private static int intMember(JsonObject msg, String name, int absent) {
        JsonElement e = msg.get(name);
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                return new BigDecimal(e.getAsString()).intValueExact();
            } catch (ArithmeticException | NumberFormatException notWhole) {
                // reported below
            }
        }
        throw new InvalidInputException("\"" + name + "\" must be a whole number, was " + abbreviate(e.toString()));
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
            sendError(
                    "speech-unavailable", "this server has no voice; start it with kslr serve --voice" + " VOICE.onnx");
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
                long dropped = queue.dropped();
                if (dropped > 0) {
                    LOG.info(
                            "demo connection {} from {}: {} video frames dropped for a slow reader",
                            ctx.sessionId(),
                            remote(),
                            dropped);
                }
                if (!closed) {
                    sendJson(w -> {
                        w.name("type").value("video-end");
                        w.name("dropped").value(dropped);
                    });
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
        if (teaching != null && teaching.recording && teaching.recorder.frameCount() < MAX_TAKE_FRAMES) {
            try {
                teaching.recorder.add(r.landmarks());
            } catch (InvalidInputException e) {
                // Timestamps here always increase; should a frame still be refused, the take goes on without it.
                LOG.debug("a take frame was not kept: {}", e.getMessage());
            }
        }
        String result = json(w -> {
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
            w.name("dropped").value(queue.dropped());
        });
        if (frameJpeg == null) {
            send(result);
        } else if (!closed && queue.sendFrame(ByteBuffer.wrap(frameJpeg), result) && queue.dropped() == 1) {
            LOG.info(
                    "demo connection {} from {} reads slower than the video plays: dropping the oldest of the {}"
                            + " frames that may wait",
                    ctx.sessionId(),
                    remote(),
                    queue.maxFrames());
        }
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

    private static void writeConnections(JsonWriter w, LandmarkPart part) throws IOException {
        w.beginArray();
        for (LandmarkConnection c : part.connections()) {
            w.beginArray().value(c.start()).value(c.end()).endArray();
        }
        w.endArray();
    }

    private void sendJson(Members members) {
        send(json(members));
    }

    private static String json(Members members) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject();
            members.write(w);
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
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
            w.name("message").value(withoutPaths(message));
        });
    }

    private void send(String text) {
        synchronized (lock) {
            if (closed || !ctx.session.isOpen()) {
                return;
            }
            queue.send(text);
        }
    }

    /** Folders before a file name, as in "/home/me/clips/a.mp4" (or "C:\\clips\\a.mp4"). */
    private static final Pattern FOLDERS =
            Pattern.compile("(?<![\\w.~-])(?:[A-Za-z]:)?(?:[/\\\\][^/\\\\\\s'\"]+)+" + "[/\\\\](?=[^/\\\\\\s'\"]+)");

    /**
     * An error message for the page: the server's own files by their names only, every other absolute path by its
     * last part (a message from FFmpeg or the file system names files in full).
     */
    String withoutPaths(String message) {
        String m = String.valueOf(message);
        for (Path known : new Path[] {video, teacher == null ? null : teacher.file()}) {
            if (known != null && known.getFileName() != null) {
                String name = known.getFileName().toString();
                m = m.replace(known.toAbsolutePath().toString(), name).replace(known.toString(), name);
            }
        }
        return FOLDERS.matcher(m).replaceAll("");
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
            queue.close();
            if (session != null) {
                session.close();
            }
            if (jpeg != null) {
                jpeg.close();
            }
        }
    }
}
