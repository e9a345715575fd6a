package org.ringchat.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks that keep the page a control UI for this machine's user only. The page has no login: it is
 * reachable at a loopback address by default, and anyone who can reach it controls the node. So:
 * <ul>
 * <li><b>DNS rebinding.</b> A site whose name an attacker points at 127.0.0.1 would be same-origin with
 * its own pages; its requests carry its name in {@code Host}. Only a {@code Host} that names this
 * server is served: {@code localhost}, the IP address the request came in on, or a name configured in
 * {@code allowed.hosts}, with the port the request came in on.</li>
 * <li><b>Cross-site requests.</b> A request whose {@code Origin} is not this server's own, or whose
 * {@code Sec-Fetch-Site} is {@code cross-site}, is refused. Changes are only made by {@code POST} with
 * {@code Content-Type: application/json}, which a browser sends cross-origin only after a CORS preflight
 * that this server never grants.</li>
 * <li><b>Size.</b> Request bodies are read up to a bound, and refused beyond it.</li>
 * <li><b>Loopback only</b> ({@code loopback.only}). Where the HTTP service is not ours alone to place (Pax Web in
 * Karaf listens on all interfaces by default, for every web application there), only requests that came in
 * on a loopback address are served.</li>
 * </ul>
 * Clients that send neither {@code Origin} nor {@code Sec-Fetch-Site} (curl, scripts) are not browsers
 * acting for a web site, and are served. {@link RequestGuardFilter} checks every request before the
 * page's servlets; the API servlet reads bodies with {@link #readBody}.
 */
final class RequestGuard {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+(%[0-9A-Za-z]+)?");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    private final Set<String> allowedHostNames;
    private final boolean loopbackOnly;

    /**
     * @param allowedHostNames further names this server may be called by, besides localhost and its IP addresses
     * @param loopbackOnly     whether only requests that came in on a loopback address are served
     */
    RequestGuard(Set<String> allowedHostNames, boolean loopbackOnly) {
        this.allowedHostNames = allowedHostNames.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.loopbackOnly = loopbackOnly;
    }

    /** The guard of the page's settings ({@code allowed.hosts}, {@code loopback.only}). */
    static RequestGuard of(WebConfig config) {
        return new RequestGuard(Set.of(config.allowed_hosts()), config.loopback_only());
    }

    /**
     * Refuses a request that does not name this server as its {@code Host}, or comes from another site.
     *
     * @param headers      the request's headers by lower-case name
     * @param localAddress the IP address the request came in on
     * @param localPort    the port it came in on
     * @throws ApiException with 403 (400 for a missing or malformed {@code Host})
     */
    void checkOrigin(Map<String, String> headers, String localAddress, int localPort) {
        checkHost(headers, localAddress, localPort);
        String host = headers.get("host");
        String origin = headers.get("origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host.trim())
                && !origin.equalsIgnoreCase("https://" + host.trim())) {
            throw new ApiException(403, "cross-origin requests are not accepted (Origin '" + printable(origin) + "')");
        }
        String fetchSite = headers.get("sec-fetch-site");
        if (fetchSite != null && fetchSite.trim().equalsIgnoreCase("cross-site")) {
            throw new ApiException(403, "cross-site requests are not accepted");
        }
    }

    /**
     * Refuses a request that does not name this server as its {@code Host}, or that came in on another
     * address than a loopback one when {@code loopback.only}: enough for the page's static files, which a
     * link from anywhere may open.
     *
     * @throws ApiException with 403 (400 for a missing {@code Host})
     */
    void checkHost(Map<String, String> headers, String localAddress, int localPort) {
        if (loopbackOnly && !isLoopback(localAddress)) {
            throw new ApiException(403, "this node's page is served on this machine only (loopback.only):"
                    + " open it at http://127.0.0.1:" + localPort + "/ there");
        }
        String host = headers.get("host");
        if (host == null || host.isBlank()) {
            throw new ApiException(400, "the request has no Host header");
        }
        if (!namesThisServer(host.trim(), localAddress, localPort)) {
            throw new ApiException(403, "this node's page is not served as '" + printable(host)
                    + "': open it at its own address, e.g. http://127.0.0.1:" + localPort + "/");
        }
    }

    /**
     * Refuses a body that is not JSON by its {@code Content-Type} ({@code application/json}, UTF-8 if a
     * charset is given).
     *
     * @throws ApiException with 415
     */
    static void checkJsonContentType(Map<String, String> headers) {
        String type = headers.get("content-type");
        if (type == null) {
            throw new ApiException(415, "send the body as Content-Type: application/json");
        }
        String[] parts = type.split(";");
        boolean json = parts[0].trim().equalsIgnoreCase("application/json");
        for (int i = 1; i < parts.length && json; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
            json = !parameter.startsWith("charset=") || parameter.equals("charset=utf-8") || parameter.equals("charset=\"utf-8\"");
        }
        if (!json) {
            throw new ApiException(415, "send the body as Content-Type: application/json (UTF-8), not '" + printable(type) + "'");
        }
    }

    /**
     * Reads a request body of at most {@code max} bytes.
     *
     * @param declaredLength the {@code Content-Length}, or -1 when not given (chunked)
     * @throws ApiException with 413 when it is larger
     */
    static byte[] readBody(InputStream in, long declaredLength, int max) throws IOException {
        if (declaredLength > max) {
            throw new ApiException(413, "the request body has " + declaredLength + " bytes; at most " + max + " are accepted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 256);
        byte[] buffer = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > max) {
                throw new ApiException(413, "the request body has more than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private boolean namesThisServer(String hostHeader, String localAddress, int localPort) {
        String name;
        int port;
        int colon = hostHeader.lastIndexOf(':');
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = hostHeader.substring(1, close);
            String rest = hostHeader.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            port = rest.isEmpty() ? 80 : parsePort(rest.substring(1));
            if (name.indexOf(':') < 0 || !IPV6.matcher(name).matches()) {
                return false;
            }
        } else {
            name = colon >= 0 ? hostHeader.substring(0, colon) : hostHeader;
            port = colon >= 0 ? parsePort(hostHeader.substring(colon + 1)) : 80;
        }
        if (port != localPort) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || (HOST_NAME.matcher(lower).matches() && allowedHostNames.contains(lower))) {
            return true;
        }
        return sameAddress(name, localAddress);
    }

    /** Compares two IP literals; never resolves a name. */
    private static boolean sameAddress(String literal, String localAddress) {
        InetAddress a = parseLiteral(literal);
        return a != null && a.equals(localAddress(localAddress));
    }

    private static boolean isLoopback(String localAddress) {
        InetAddress local = localAddress(localAddress);
        return local != null && local.isLoopbackAddress();
    }

    /** The address a request came in on, as the servlet container gives it ({@code [::1]} or {@code ::1}); null if none. */
    private static InetAddress localAddress(String text) {
        if (text == null) {
            return null;
        }
        return parseLiteral(text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text);
    }

    /**
     * An IP literal's address, or null for anything else. IPv4 octets are checked here and IPv6 is parsed
     * in brackets, because {@link InetAddress#getByName} looks up in DNS what it cannot parse.
     */
    private static InetAddress parseLiteral(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                for (String octet : text.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        return null;
                    }
                }
                return InetAddress.getByName(text);
            }
            if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
                return InetAddress.getByName("[" + text + "]");
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(text);
    }

    /** At most 100 whole characters without control characters, for quoting untrusted text in a message. */
    static String printable(String text) {
        String cut = text.codePointCount(0, text.length()) > 100
                ? text.substring(0, text.offsetByCodePoints(0, 100)) + "…" : text;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
