package org.viewsync.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * An open-loop webhook load generator, as light as it can be so that it measures the service rather than itself:
 * deliveries fall due at a fixed rate whatever the answers, each is sent on a kept-alive HTTP/1.1 connection from a
 * pool, and each latency runs from when the delivery was due to the last byte of the answer, so a slow answer that
 * delays later deliveries counts against them too. A delivery that fails, is not answered 2xx, or is not answered
 * at all counts as {@link Long#MAX_VALUE}. {@link #stop()} ends a run early, from another thread.
 */
final class WebhookLoad implements AutoCloseable {

    private final String host;
    private final int port;
    private final int senders;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    WebhookLoad(String host, int port, int senders) {
        this.host = host;
        this.port = port;
        this.senders = senders;
    }

    /** The latency at {@code fraction} (0.99 for p99) of sorted latencies, by nearest rank. */
    static long atFraction(List<Long> sorted, double fraction) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1));
    }

    /** One run against the local webhook at {@code port}, from 64 senders; answers the sorted latencies in nanoseconds. */
    static List<Long> run(int port, int rate, int seconds, LongFunction<String> notification) throws InterruptedException {
        try (WebhookLoad load = new WebhookLoad("localhost", port, 64)) {
            return load.run(rate, seconds, notification);
        }
    }

    /** Ends the run: no delivery falls due after this. */
    void stop() {
        stopped = true;
    }

    /**
     * Sends {@code rate} deliveries a second for {@code seconds}, or until stopped; answers the sorted latencies in
     * nanoseconds.
     */
    List<Long> run(int rate, int seconds, LongFunction<String> notification) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long sent = 0;
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (long i = 0; i < (long) rate * seconds && !stopped; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            byte[] request = request(notification.apply(i + 1));
            pool.execute(() -> latencies.add(send(request, due)));
            sent++;
        }
        pool.shutdown();
        // A delivery not yet sent when stopped is one the senders could not keep up with: it was due while the
        // load ran, and Immuta would have given up on it after 10 s too.
        if (!pool.awaitTermination(stopped ? 15 : 60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        // Deliveries still unanswered a minute after the last was due: Immuta gave up on them long before.
        while (sorted.size() < sent) {
            sorted.add(Long.MAX_VALUE);
        }
        Collections.sort(sorted);
        return sorted;
    }

    @Override
    public void close() {
        Connection connection;
        while ((connection = idle.poll()) != null) {
            connection.close();
        }
    }

    private byte[] request(String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /immuta/webhook HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    private long send(byte[] request, long due) {
        Connection connection = idle.poll();
        try {
            if (connection == null) {
                connection = new Connection(new Socket(host, port));
            }
            int status = connection.exchange(request);
            long latency = System.nanoTime() - due;
            if (connection.keepAlive) {
                idle.add(connection);
            } else {
                connection.close();
            }
            return status >= 200 && status < 300 ? latency : Long.MAX_VALUE;
        } catch (IOException e) {
            if (connection != null) {
                connection.close();
            }
            return Long.MAX_VALUE;
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private boolean keepAlive = true;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        /** Writes the request, reads the whole answer, returns its status. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int contentLength = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    keepAlive = false;
                }
            }
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    in.readNBytes(size);
                    line();
                }
                line();
            } else if (contentLength > 0) {
                in.readNBytes(contentLength);
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }
}
