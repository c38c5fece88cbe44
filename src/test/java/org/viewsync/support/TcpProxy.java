package org.viewsync.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a real database, which a test can take down (connections cut, new ones refused) and bring
 * back on the same port: a target database that goes away for a while. It can also hold what a client sends from a
 * given statement on (a COMMIT, say) until the test releases it: a database that is slow to answer.
 */
public final class TcpProxy {

    private final int port;
    private final int upstreamPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    /** Guards {@link #holdTrigger} and {@link #held}; pumps wait on it while they hold. */
    private final Object gate = new Object();
    private byte[] holdTrigger;
    private int held;

    public TcpProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        up();
    }

    public int port() {
        return port;
    }

    /** Accepts and relays connections again. */
    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ServerSocket listening = server;
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream, true);
                    pump(upstream, client, false);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * From now on, data a client sends that contains {@code trigger} is held, with everything sent after it on that
     * connection, until {@link #release()} (or {@link #down()}, which drops it). The database answers nothing meanwhile.
     * With PostgreSQL, {@code "COMMIT"} holds commits: pgjdbc sends the statement's text each time only with
     * {@code prepareThreshold=0} in the JDBC URL (otherwise it prepares a COMMIT it sent five times).
     */
    public void holdWhenClientSends(String trigger) {
        synchronized (gate) {
            holdTrigger = trigger.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** Connections whose data is held right now. */
    public int held() {
        synchronized (gate) {
            return held;
        }
    }

    /** Passes on what is held and holds nothing more. */
    public void release() {
        synchronized (gate) {
            holdTrigger = null;
            gate.notifyAll();
        }
    }

    /** Cuts every relayed connection and refuses new ones; what was held is dropped. */
    public synchronized void down() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        server = null;
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
        // The sockets are closed first: a pump that held data fails to pass it on.
        release();
    }

    /** Returns once the data may pass: at once unless it is held. */
    private void awaitPassage(byte[] buffer, int length, Socket from) throws IOException {
        synchronized (gate) {
            if (holdTrigger == null || !contains(buffer, length, holdTrigger)) {
                return;
            }
            held++;
            try {
                while (holdTrigger != null && !from.isClosed()) {
                    gate.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding", e);
            } finally {
                held--;
            }
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] pattern) {
        outer:
        for (int start = 0; start + pattern.length <= length; start++) {
            for (int i = 0; i < pattern.length; i++) {
                if (buffer[start + i] != pattern[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (fromClient) {
                        awaitPassage(buffer, read, from);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException closed) {
                // one side went away
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        });
        pump.setDaemon(true);
        pump.start();
    }
}
