package org.ringchat.transport.netty.internal;

import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * Notes, during an inbound handshake, whether the peer asked for {@link DialBack#SERVER_NAME}: a dial-back
 * only checks that this node can be reached. Asked of the session once the handshake is done, the server
 * name is not available from every TLS implementation (Bouncy Castle's keeps it for the handshake only).
 */
final class DialBackName extends SNIMatcher {

    private static final SNIHostName DIAL_BACK = new SNIHostName(DialBack.SERVER_NAME);

    private volatile boolean requested;

    private DialBackName() {
        super(StandardConstants.SNI_HOST_NAME);
    }

    /** Watches the server names a peer asks this inbound engine for; any name is accepted. */
    static DialBackName watch(SSLEngine engine) {
        DialBackName name = new DialBackName();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setSNIMatchers(List.of(name));
        engine.setSSLParameters(parameters);
        return name;
    }

    @Override
    public boolean matches(SNIServerName serverName) {
        if (DIAL_BACK.equals(serverName)) {
            requested = true;
        }
        return true;
    }

    /** Whether the peer dialled back, as the handshake that ended said. */
    boolean requested() {
        return requested;
    }
}
