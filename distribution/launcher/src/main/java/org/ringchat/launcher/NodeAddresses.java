package org.ringchat.launcher;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks, before the framework starts, that the addresses bin/ringchat was given can be listened on: a
 * port in use is then one line that names the option to change it, instead of a component failing inside
 * the framework. When the web page's port is bin/ringchat's default and in use (a second node on the same
 * machine), the next free port is taken instead.
 * <p>
 * A port taken in the moment between this check and the bind still fails the component that binds it.
 */
final class NodeAddresses {

    private static final System.Logger LOG = System.getLogger(NodeAddresses.class.getPackageName());

    /** bin/ringchat's properties: the listen address, and the web page's. */
    private static final String LISTEN = "ringchat.listen";
    private static final String HTTP_ENABLED = "ringchat.http.enabled";
    private static final String HTTP_HOST = "ringchat.http.host";
    private static final String HTTP_PORT = "ringchat.http.port";
    /** true when --http was not given: the port may move on. */
    private static final String HTTP_DEFAULT = "ringchat.http.default";
    /** Set here: the web page's URL, or empty with --http off; the console's greeting shows it. */
    private static final String WEB_URL = "ringchat.web.url";
    /** How many ports after a taken default web port are tried. */
    private static final int WEB_PORTS_TRIED = 20;

    private NodeAddresses() {
    }

    /**
     * Checks the listen and web addresses in the system properties, moves a taken default web port on, and
     * sets {@link #WEB_URL}; the error line to print when an address cannot be listened on.
     */
    static Optional<String> check() {
        HostPort listen = HostPort.parse(System.getProperty(LISTEN, ""));
        if (listen != null && listen.port() != 0) {
            Optional<String> taken = whyNotFree(listen);
            if (taken.isPresent()) {
                return Optional.of("cannot listen on " + listen + ": " + taken.get() + "; choose another with --listen HOST:PORT");
            }
        }
        if (!Boolean.parseBoolean(System.getProperty(HTTP_ENABLED))) {
            System.setProperty(WEB_URL, "");
            return Optional.empty();
        }
        HostPort web = new HostPort(System.getProperty(HTTP_HOST), Integer.parseInt(System.getProperty(HTTP_PORT)));
        Optional<String> taken = whyNotFree(web);
        if (taken.isPresent()) {
            if (!Boolean.parseBoolean(System.getProperty(HTTP_DEFAULT))) {
                return Optional.of("cannot serve the web page on " + web + ": " + taken.get()
                        + "; choose another with --http HOST:PORT, or --http off");
            }
            HostPort next = nextFree(web).orElse(null);
            if (next == null) {
                return Optional.of("cannot serve the web page on " + web + " nor the " + WEB_PORTS_TRIED
                        + " ports after it: " + taken.get() + "; choose another with --http HOST:PORT, or --http off");
            }
            System.setProperty(HTTP_PORT, String.valueOf(next.port()));
            LOG.log(System.Logger.Level.WARNING, "the web page is at http://{0}/: {1} is in use (--http HOST:PORT chooses the address)",
                    next, web);
            web = next;
        }
        System.setProperty(WEB_URL, "http://" + web + "/");
        return Optional.empty();
    }

    private static Optional<HostPort> nextFree(HostPort taken) {
        for (int port = taken.port() + 1; port <= Math.min(65535, taken.port() + WEB_PORTS_TRIED); port++) {
            HostPort candidate = new HostPort(taken.host(), port);
            if (whyNotFree(candidate).isEmpty()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Empty when a server socket can be bound to the address now (it is closed again at once). */
    private static Optional<String> whyNotFree(HostPort address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the JDK binds servers on Linux: a port with connections in TIME_WAIT is free
            socket.bind(new InetSocketAddress(address.host(), address.port()));
            return Optional.empty();
        } catch (BindException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            return Optional.of(reason.contains("in use") ? "address in use" : reason);
        } catch (IOException | SecurityException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** host:port as bin/ringchat passes it, [v6]:port included. */
    record HostPort(String host, int port) {

        /** null for text that is not host:port (bin/ringchat has checked it; Felix's properties may differ). */
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                return null;
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
