package io.github.kslr.examples.web;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * One connection's outgoing messages, handed to the WebSocket one at a time: the next only when the previous one was
 * written to the socket. Jetty itself queues whatever it is given without bound, so a page that stops reading while
 * the server's video plays would make the server hold every frame (about 1 MB/s) on the heap.
 *
 * <p>Two kinds of message: a server-video <em>frame</em> (its JPEG and its result, sent together) may be dropped: at
 * most {@code maxFrames} wait, and a newer frame replaces the oldest waiting one (counted in {@link #dropped()}), so a
 * slow reader sees the video skip, not fall behind. Every other message (greetings, answers, errors, camera
 * results) is <em>kept</em>; should those wait beyond {@code maxKeptBytes} the page is not reading at all and the
 * connection is closed.
 *
 * <p><b>Thread-safety.</b> Thread-safe: messages may be offered from any thread; the transport is called by one
 * thread at a time, outside this queue's monitor.
 */
final class SendQueue {
    /** Where messages go: the WebSocket session (or a test's stand-in). */
    interface Transport {
        void sendText(String text, Callback written);

        void sendBinary(ByteBuffer data, Callback written);

        /** Closes the connection because its reader fell too far behind. */
        void closeSlow(String reason);
    }

    /** One message, or a frame's JPEG and result; {@code droppable} for frames. */
    private record Item(ByteBuffer binary, String text, boolean droppable, long bytes) {}

    private final Transport transport;
    private final int maxFrames;
    private final long maxKeptBytes;
    private final Deque<Item> waiting = new ArrayDeque<>();
    /** The item being written and how many of its parts went out (0: none, 1: the binary, 2: all). */
    private Item current;

    private int currentParts;
    private boolean inFlight;
    private boolean pumping;
    private boolean closed;
    private int waitingFrames;
    private long keptBytes;
    private long dropped;
    private int mostWaitingFrames;

    SendQueue(Transport transport, int maxFrames, long maxKeptBytes) {
        this.transport = transport;
        this.maxFrames = maxFrames;
        this.maxKeptBytes = maxKeptBytes;
    }

    /** Queues a message that must arrive. */
    void send(String text) {
        long bytes = (long) text.length() * 3; // at most, in UTF-8: cheaper than encoding it here
        boolean tooMuch;
        synchronized (this) {
            if (closed) {
                return;
            }
            keptBytes += bytes;
            tooMuch = keptBytes > maxKeptBytes;
            if (!tooMuch) {
                waiting.add(new Item(null, text, false, bytes));
            }
        }
        if (tooMuch) {
            close();
            transport.closeSlow("the page stopped reading: over " + (maxKeptBytes >> 20) + " MiB of messages wait");
            return;
        }
        pump();
    }

    /**
     * Queues a server-video frame (its JPEG, then its result); when {@code maxFrames} frames wait already, the oldest
     * waiting one is dropped.
     *
     * @return whether a frame was dropped to make room
     */
    boolean sendFrame(ByteBuffer jpeg, String result) {
        boolean droppedOne = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (waitingFrames >= maxFrames) {
                for (Iterator<Item> it = waiting.iterator(); it.hasNext(); ) {
                    if (it.next().droppable) {
                        it.remove();
                        waitingFrames--;
                        dropped++;
                        droppedOne = true;
                        break;
                    }
                }
            }
            waiting.add(new Item(jpeg, result, true, jpeg.remaining() + (long) result.length()));
            waitingFrames++;
            mostWaitingFrames = Math.max(mostWaitingFrames, waitingFrames);
        }
        pump();
        return droppedOne;
    }

    /** Frames dropped for a slow reader so far. */
    synchronized long dropped() {
        return dropped;
    }

    /** Frames waiting now (not counting one being written). */
    synchronized int waitingFrames() {
        return waitingFrames;
    }

    /** The most frames that ever waited at once (at most {@code maxFrames}). */
    synchronized int mostWaitingFrames() {
        return mostWaitingFrames;
    }

    int maxFrames() {
        return maxFrames;
    }

    /** Forgets what waits and sends nothing more. Idempotent. */
    synchronized void close() {
        closed = true;
        waiting.clear();
        waitingFrames = 0;
        keptBytes = 0;
        current = null;
    }

    /** Sends the next part when nothing is in flight; loops instead of recursing when writes complete at once. */
    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        try {
            while (true) {
                ByteBuffer binary = null;
                String text = null;
                synchronized (this) {
                    if (inFlight || closed || !nextPart()) {
                        pumping = false;
                        return;
                    }
                    inFlight = true;
                    if (currentParts == 0 && current.binary != null) {
                        binary = current.binary;
                        currentParts = 1;
                    } else {
                        text = current.text;
                        currentParts = 2;
                    }
                }
                Callback written = Callback.from(this::written, failure -> {
                    close();
                    written();
                });
                if (binary != null) {
                    transport.sendBinary(binary, written);
                } else {
                    transport.sendText(text, written);
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                pumping = false;
                inFlight = false;
                closed = true;
            }
            throw e;
        }
    }

    /** Under the monitor: makes {@link #current} the item with a part still to send; false when there is none. */
    private boolean nextPart() {
        if (current != null && currentParts < 2) {
            return true;
        }
        if (current != null && !current.droppable) {
            keptBytes -= current.bytes;
        }
        current = waiting.poll();
        currentParts = 0;
        if (current == null) {
            return false;
        }
        if (current.droppable) {
            waitingFrames--;
        }
        return true;
    }

    private void written() {
        synchronized (this) {
            inFlight = false;
        }
        pump();
    }
}
