package io.ringkv.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection to a node, used by one thread at a time: the calling
 * thread writes the request and reads the answer itself, with blocking socket I/O. Nothing is
 * handed to another thread, which on a small machine is what makes this client cheap
 * (docs/decisions/java-client-http.md: about 40 us of client CPU per request, against about 65
 * for a Netty client and about 480 for java.net.http). Blocking socket I/O does not pin a
 * virtual thread, so callers may be virtual threads too. An exchange's deadline is kept by
 * {@link AnswerDeadlines}, which closes the connection when it passes, rather than by a socket
 * timeout, which would cost four more system calls per read.
 *
 * <p>It speaks exactly what the client needs: requests with a Content-Length body; answers
 * with a Content-Length or chunked body (or, without either, a body up to the close), and
 * 204 and 304 answers, which have none.
 */
final class HttpConnection implements Closeable {
    static final String CONTEXT_HEADER = "X-Ringkv-Context";
    private static final int READ_BUFFER_BYTES = 8192;
    private static final int MAX_LINE_BYTES = 16 * 1024;
    private static final int MAX_HEADERS = 100;
    /** Far above any answer ringkv gives (values are at most 10 KiB; a sibling listing a few of them). */
    private static final int MAX_BODY_BYTES = 64 << 20;

    /** {@link #due}: no exchange in progress. */
    private static final long IDLE = -1;
    /** {@link #due}: the deadline passed and the connection was closed under the exchange. */
    private static final long EXPIRED = -2;
    private static final VarHandle DUE;

    static {
        try {
            DUE = MethodHandles.lookup().findVarHandle(HttpConnection.class, "due", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final URI node;
    private final AnswerDeadlines deadlines;
    /** The current exchange's deadline on {@link AnswerDeadlines#now()}'s clock, or IDLE or EXPIRED. */
    private volatile long due = IDLE;
    private final SocketChannel channel; // for the non-blocking look in peerClosed(); all other I/O blocks on its socket
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] readBuffer = new byte[READ_BUFFER_BYTES];
    private int readPos;
    private int readLimit;
    private byte[] requestBuffer = new byte[512];
    private int requestLength;
    private boolean answerStarted;
    /** Whether the whole current request was handed to the socket: only then can the node have acted on it. */
    private boolean requestSent;
    private boolean keepAlive;
    private int exchanges;
    private long lastUsedNanos;

    private HttpConnection(URI node, SocketChannel channel, AnswerDeadlines deadlines) throws IOException {
        this.node = node;
        this.deadlines = deadlines;
        this.channel = channel;
        this.socket = channel.socket();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static HttpConnection open(URI node, InetSocketAddress address, int connectTimeoutMillis, AnswerDeadlines deadlines)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true); // one small write per request: never wait for Nagle
            socket.setKeepAlive(true);
            socket.connect(address, connectTimeoutMillis);
            return new HttpConnection(node, channel, deadlines);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** How many exchanges this connection completed (0: fresh). */
    int exchanges() {
        return exchanges;
    }

    /** Whether any byte of the current answer arrived: if not, a failure may be a stale keep-alive connection. */
    boolean answerStarted() {
        return answerStarted;
    }

    /**
     * Whether the whole current request was handed to the socket. Until it was, the node cannot
     * have applied it (an HTTP server acts on a request only once it has all of it), so a failure
     * before that point may be retried anywhere, even for a write.
     */
    boolean requestSent() {
        return requestSent;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Whether the node has closed this idle connection (its process stopped or restarted: its
     * kernel sent a FIN or RST, which waits in our receive queue). One non-blocking read, a few
     * microseconds. A write checks before it goes out on a pooled connection: sent on a dead one,
     * it would fail after being sent, and the client could not tell whether the node had it.
     */
    boolean peerClosed() {
        if (readPos != readLimit) {
            return true; // bytes nobody asked for: not a connection to reuse
        }
        try {
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.wrap(readBuffer)) != 0; // -1: closed; > 0: unexpected bytes
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * One request header beyond those every request has: a write's {@code X-Ringkv-Context}, or
     * the ring refresh's {@code If-None-Match}. Printable ASCII (the callers check).
     */
    record Header(String name, String value) {
        /** A write's context header, or null for none (a write without a context). */
        static Header context(String context) {
            return context == null || context.isEmpty() ? null : new Header(CONTEXT_HEADER, context);
        }
    }

    /**
     * Sends one request and reads its answer. {@code header} is null or one more header to send.
     * {@code deadlineNanos} ({@link System#nanoTime()} based) bounds the whole exchange: once it
     * passes, the connection is closed and this throws {@link SocketTimeoutException}.
     * Returns whether the connection can be reused in {@link Exchange#keepAlive()}.
     */
    Exchange exchange(String method, String target, String host, String contentType, Header header, byte[] body,
                      long deadlineNanos) throws IOException {
        answerStarted = false;
        requestSent = false;
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no answer from " + node + " in time");
        }
        long dueAt = deadlines.now() + remaining;
        due = dueAt;
        deadlines.begin(this, dueAt);
        try {
            writeRequest(method, target, host, contentType, header, body);
            RawResponse response = readResponse();
            exchanges++;
            lastUsedNanos = System.nanoTime();
            return new Exchange(response, keepAlive);
        } catch (IOException e) {
            if (due == EXPIRED) {
                SocketTimeoutException timeout = new SocketTimeoutException("no answer from " + node + " in time");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            deadlines.end(this);
            if (!DUE.compareAndSet(this, dueAt, IDLE)) {
                keepAlive = false; // closed as the deadline passed: an answer read in full stands, the connection does not
            }
        }
    }

    /** The current exchange's deadline ({@link AnswerDeadlines#now()}'s clock); negative when none. */
    long due() {
        return due;
    }

    /** Closes the connection under the exchange that was due at {@code observedDue}, unless it has ended. */
    void expire(long observedDue) {
        if (observedDue >= 0 && DUE.compareAndSet(this, observedDue, EXPIRED)) {
            close();
        }
    }

    record Exchange(RawResponse response, boolean keepAlive) {
    }

    private void writeRequest(String method, String target, String host, String contentType, Header header,
                              byte[] body) throws IOException {
        requestLength = 0;
        ascii(method).ascii(" ").ascii(target).ascii(" HTTP/1.1\r\nHost: ").ascii(host).ascii("\r\n");
        if (body != null) {
            ascii("Content-Length: ").ascii(Integer.toString(body.length)).ascii("\r\n");
        }
        if (contentType != null) {
            ascii("Content-Type: ").ascii(contentType).ascii("\r\n");
        }
        if (header != null) {
            ascii(header.name()).ascii(": ").ascii(header.value()).ascii("\r\n");
        }
        ascii("\r\n");
        if (body != null && body.length <= 4096) {
            bytes(body, body.length); // small bodies go in the same write (and the same TCP segment)
            out.write(requestBuffer, 0, requestLength);
        } else {
            out.write(requestBuffer, 0, requestLength);
            if (body != null) {
                out.write(body);
            }
        }
        out.flush();
        requestSent = true;
    }

    private HttpConnection ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            requestBuffer[requestLength++] = (byte) s.charAt(i); // ASCII only: RequestTarget and the client check
        }
        return this;
    }

    private void bytes(byte[] b, int n) {
        ensure(n);
        System.arraycopy(b, 0, requestBuffer, requestLength, n);
        requestLength += n;
    }

    private void ensure(int more) {
        if (requestLength + more > requestBuffer.length) {
            requestBuffer = Arrays.copyOf(requestBuffer, Math.max(requestBuffer.length * 2, requestLength + more));
        }
    }

    private RawResponse readResponse() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new ProtocolException("not an HTTP answer from " + node + ": \"" + abbreviate(statusLine) + "\"");
        }
        int status = parseStatus(statusLine);
        keepAlive = statusLine.startsWith("HTTP/1.1");
        long contentLength = -1;
        boolean chunked = false;
        String contentType = null;
        String context = null;
        for (int i = 0; ; i++) {
            String line = readLine();
            if (line.isEmpty()) {
                break;
            }
            if (i == MAX_HEADERS) {
                throw new ProtocolException("more than " + MAX_HEADERS + " headers in an answer from " + node);
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("malformed header from " + node + ": \"" + abbreviate(line) + "\"");
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = parseLength(value);
            } else if (name.equalsIgnoreCase("content-type")) {
                contentType = value;
            } else if (name.equalsIgnoreCase(CONTEXT_HEADER)) {
                context = value;
            } else if (name.equalsIgnoreCase("connection")) {
                keepAlive = keepAlive && !value.equalsIgnoreCase("close");
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            }
        }
        byte[] body;
        if (status == 204 || status == 304) {
            body = new byte[0]; // no content, whatever the headers say (RFC 9112 §6.3)
        } else if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = readExactly((int) contentLength);
        } else {
            body = readToEnd();
            keepAlive = false;
        }
        return new RawResponse(node, status, contentType, context, body);
    }

    private int parseStatus(String statusLine) throws ProtocolException {
        try {
            return Integer.parseInt(statusLine, 9, 12, 10);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status line from " + node + ": \"" + abbreviate(statusLine) + "\"");
        }
    }

    private long parseLength(String value) throws ProtocolException {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > MAX_BODY_BYTES) {
                throw new ProtocolException("answer body of " + n + " bytes from " + node + " (limit " + MAX_BODY_BYTES + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad Content-Length \"" + abbreviate(value) + "\" from " + node);
        }
    }

    private byte[] readChunked() throws IOException {
        byte[] body = new byte[0];
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size \"" + abbreviate(sizeLine) + "\" from " + node);
            }
            if (size < 0 || body.length + (long) size > MAX_BODY_BYTES) {
                throw new ProtocolException("chunked answer from " + node + " larger than " + MAX_BODY_BYTES + " bytes");
            }
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: ignored
                }
                return body;
            }
            byte[] chunk = readExactly(size);
            int old = body.length;
            body = Arrays.copyOf(body, old + size);
            System.arraycopy(chunk, 0, body, old, size);
            if (!readLine().isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF from " + node);
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] body = new byte[length];
        int have = Math.min(length, readLimit - readPos);
        System.arraycopy(readBuffer, readPos, body, 0, have);
        readPos += have;
        while (have < length) {
            int n = in.read(body, have, length - have);
            if (n < 0) {
                throw new EOFException(node + " closed the connection in the middle of an answer");
            }
            have += n;
        }
        return body;
    }

    private byte[] readToEnd() throws IOException {
        byte[] body = Arrays.copyOfRange(readBuffer, readPos, readLimit);
        readPos = readLimit;
        while (true) {
            int n = in.read(readBuffer);
            if (n < 0) {
                return body;
            }
            if (body.length + n > MAX_BODY_BYTES) {
                throw new ProtocolException("answer from " + node + " larger than " + MAX_BODY_BYTES + " bytes");
            }
            int old = body.length;
            body = Arrays.copyOf(body, old + n);
            System.arraycopy(readBuffer, 0, body, old, n);
        }
    }

    /** A header line without its CRLF (a bare LF is accepted too), as ISO-8859-1 text. */
    private String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (readPos == readLimit) {
                fill();
            }
            int start = readPos;
            while (readPos < readLimit && readBuffer[readPos] != '\n') {
                readPos++;
            }
            int end = readPos;
            boolean complete = readPos < readLimit;
            if (complete) {
                readPos++; // the '\n'
            }
            if (line == null && complete) {
                return text(start, end, true);
            }
            if (line == null) {
                line = new StringBuilder(64);
            }
            line.append(text(start, end, false));
            if (line.length() > MAX_LINE_BYTES) {
                throw new ProtocolException("header line over " + MAX_LINE_BYTES + " bytes from " + node);
            }
            if (complete) {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
        }
    }

    private String text(int start, int end, boolean dropCarriageReturn) {
        int stop = dropCarriageReturn && end > start && readBuffer[end - 1] == '\r' ? end - 1 : end;
        return new String(readBuffer, start, stop - start, StandardCharsets.ISO_8859_1);
    }

    private void fill() throws IOException {
        int n = in.read(readBuffer, 0, readBuffer.length);
        if (n < 0) {
            throw new EOFException(node + " closed the connection"
                    + (answerStarted ? " in the middle of an answer" : " before answering"));
        }
        answerStarted = true;
        readPos = 0;
        readLimit = n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing useful to do
        }
    }
}
