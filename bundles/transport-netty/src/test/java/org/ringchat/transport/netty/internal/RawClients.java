package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.ringchat.spi.NodeIdentity;

/** Clients that speak to a transport the way a broken or hostile peer would, below the frame layer. */
final class RawClients {

    private static final char[] PASSWORD = "test".toCharArray();

    /** Such a client does not care who answers. */
    private static final X509TrustManager TRUST_ANYONE = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private RawClients() {
    }

    /** A TLS socket to 127.0.0.1:port that presents {@code identity}'s certificate, or none if it is null. */
    static SSLSocket tls(int port, NodeIdentity identity, String protocol) throws IOException, GeneralSecurityException {
        return tls(port, identity, protocol, InetAddress.getByName("127.0.0.1"));
    }

    /** The same, from another local address: another address of the loopback range, for instance. */
    static SSLSocket tls(int port, NodeIdentity identity, String protocol, InetAddress from)
            throws IOException, GeneralSecurityException {
        KeyManagerFactory keyManagers = null;
        if (identity != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("peer", identity.tlsPrivateKey(), PASSWORD, new Certificate[] {identity.certificate()});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                new TrustManager[] {TRUST_ANYONE}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), port, from, 0);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(5000);
        return socket;
    }

    /** Reads until the other side closes the connection; fails if it stays open for five seconds. */
    static void awaitClosedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) != -1) {
                // discard whatever arrives before the close
            }
        } catch (SocketTimeoutException e) {
            fail("the node did not close the connection");
        } catch (IOException e) {
            // reset or TLS alert: closed as well
        }
    }

    /** How many of the non-blocking connections the other side has closed; reading never blocks. */
    static long closedByPeer(List<SocketChannel> connections) {
        return connections.stream().filter(connection -> {
            try {
                return connection.read(ByteBuffer.allocate(1)) < 0;
            } catch (IOException reset) {
                return true;
            }
        }).count();
    }

    /** A port that nothing listens on (it was free a moment ago). */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
