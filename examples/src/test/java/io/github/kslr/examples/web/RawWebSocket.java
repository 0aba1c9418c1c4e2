package io.github.kslr.examples.web;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket (and plain HTTP) client on a bare socket, for what the JDK's clients will not do: send any Host header
 * (a forged one, as a page on a rebound DNS name does), and stop reading altogether, with a small receive buffer, as
 * a slow page does.
 *
 * <p><b>Thread-safety.</b> For one thread.
 */
final class RawWebSocket implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** The handshake's status code (101 when upgraded). */
    final int status;
    /** The handshake's response: status line, headers and, when refused, the start of the body. */
    final String response;

    private RawWebSocket(Socket socket, int status, String response) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.status = status;
        this.response = response;
    }

    /** A frame: text (opcode 1), binary (2) or close (8, payload: code and reason). */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | (payload[1] & 0xff) : -1;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    /** Sends {@code GET path} with this Host header; returns the status code. */
    static int httpGet(int port, String path, String host) throws IOException {
        try (Socket s = open(port, 0)) {
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return statusOf(readHead(s.getInputStream()));
        }
    }

    /**
     * Opens {@code /ws} with these Host and Origin headers (Origin null: none).
     *
     * @param receiveBuffer the socket's receive buffer in bytes, 0 for the system's
     */
    static RawWebSocket connect(int port, String host, String origin, int receiveBuffer) throws IOException {
        Socket s = open(port, receiveBuffer);
        String request = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead(s.getInputStream());
        return new RawWebSocket(s, statusOf(head), head);
    }

    private static Socket open(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer); // before connecting: it sets the window offered
        }
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int statusOf(String head) {
        String[] first = head.split("\r\n", 2)[0].split(" ");
        return first.length > 1 ? Integer.parseInt(first[1]) : -1;
    }

    /** Sends a text message (masked, as a client must). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads the next whole message (continuation frames joined); pings are skipped. */
    Frame read() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int opcode = -1;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(len)];
            in.readFully(payload);
            int op = b0 & 0x0f;
            if (op == 9 || op == 10) {
                continue;
            }
            if (op != 0) {
                opcode = op;
            }
            message.write(payload);
            if ((b0 & 0x80) != 0) {
                return new Frame(opcode, message.toByteArray());
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
