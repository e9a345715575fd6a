package org.ringchat.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestGuardTest {

    private final RequestGuard guard = new RequestGuard(Set.of("Chat.Lan"), false);

    private static Map<String, String> headers(String... nameValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    private int status(Map<String, String> headers, String localAddress, int localPort) {
        return status(guard, headers, localAddress, localPort);
    }

    private static int status(RequestGuard guard, Map<String, String> headers, String localAddress, int localPort) {
        try {
            guard.checkOrigin(headers, localAddress, localPort);
            return 200;
        } catch (ApiException e) {
            return e.status();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8400", "localhost:8400", "LOCALHOST:8400", " 127.0.0.1:8400 ", "chat.lan:8400"})
    void servesTheNamesOfThisServer(String host) {
        assertEquals(200, status(headers("host", host), "127.0.0.1", 8400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:8400", "127.0.0.1:8401", "127.0.0.2:8400", "127.0.0.1", "localhost",
            "localhost.evil.example:8400", "999.0.0.1:8400", "127.0.0.1:99999", "127.0.0.1:", "[::1]:8400",
            "[127.0.0.1]:8400", "[::1", "chat.lan.evil:8400", "127.0.0.1:8400:8400", "1.2.3.4.5:8400"})
    void refusesAnyOtherHostAsDnsRebindingWould(String host) {
        assertEquals(403, status(headers("host", host), "127.0.0.1", 8400));
    }

    @Test
    void comparesIpLiteralsByAddress() {
        assertEquals(200, status(headers("host", "[::1]:8400"), "0:0:0:0:0:0:0:1", 8400));
        assertEquals(200, status(headers("host", "[0:0::1]:8400"), "[::1]", 8400));
        assertEquals(200, status(headers("host", "192.168.1.5:8400"), "192.168.1.5", 8400), "bound to a LAN address");
        assertEquals(200, status(headers("host", "127.0.0.1"), "127.0.0.1", 80), "port 80 unsaid");
    }

    @Test
    void loopbackOnlyServesWhatCameInOnALoopbackAddressOnly() {
        RequestGuard loopbackOnly = new RequestGuard(Set.of("chat.lan"), true);
        assertEquals(200, status(loopbackOnly, headers("host", "127.0.0.1:8181"), "127.0.0.1", 8181));
        assertEquals(200, status(loopbackOnly, headers("host", "localhost:8181"), "127.0.0.1", 8181));
        assertEquals(200, status(loopbackOnly, headers("host", "127.0.0.2:8181"), "127.0.0.2", 8181), "all of 127/8");
        assertEquals(200, status(loopbackOnly, headers("host", "[::1]:8181"), "[::1]", 8181));
        assertEquals(200, status(loopbackOnly, headers("host", "[::1]:8181"), "0:0:0:0:0:0:0:1", 8181));
        // what a server on all interfaces gets from the network: refused, whatever it names
        assertEquals(403, status(loopbackOnly, headers("host", "192.168.1.5:8181"), "192.168.1.5", 8181));
        assertEquals(403, status(loopbackOnly, headers("host", "chat.lan:8181"), "192.168.1.5", 8181));
        assertEquals(403, status(loopbackOnly, headers("host", "[fe80::1]:8181"), "fe80::1", 8181));
        assertEquals(403, status(loopbackOnly, headers(), "192.168.1.5", 8181), "before the Host is looked at");
        assertEquals(403, status(loopbackOnly, headers("host", "127.0.0.1:8181"), null, 8181), "no address known");
        ApiException page = assertThrows(ApiException.class,
                () -> loopbackOnly.checkHost(headers("host", "192.168.1.5:8181"), "192.168.1.5", 8181));
        assertEquals("this node's page is served on this machine only (loopback.only): open it at"
                + " http://127.0.0.1:8181/ there", page.getMessage());
    }

    @Test
    void needsAHost() {
        assertEquals(400, status(headers(), "127.0.0.1", 8400));
        assertEquals(400, status(headers("host", " "), "127.0.0.1", 8400));
    }

    @Test
    void refusesOtherOriginsAndCrossSiteFetches() {
        assertEquals(200, status(headers("host", "127.0.0.1:8400", "origin", "http://127.0.0.1:8400"), "127.0.0.1", 8400));
        assertEquals(200, status(headers("host", "127.0.0.1:8400", "sec-fetch-site", "same-origin"), "127.0.0.1", 8400));
        assertEquals(403, status(headers("host", "127.0.0.1:8400", "origin", "http://evil.example"), "127.0.0.1", 8400));
        assertEquals(403, status(headers("host", "127.0.0.1:8400", "origin", "http://localhost:8400"), "127.0.0.1", 8400),
                "another name of this server is another origin");
        assertEquals(403, status(headers("host", "127.0.0.1:8400", "origin", "null"), "127.0.0.1", 8400));
        assertEquals(403, status(headers("host", "127.0.0.1:8400", "sec-fetch-site", "cross-site"), "127.0.0.1", 8400));
        // the page's own files only need the Host
        guard.checkHost(headers("host", "127.0.0.1:8400", "sec-fetch-site", "cross-site"), "127.0.0.1", 8400);
    }

    @Test
    void acceptsJsonBodiesOnly() {
        RequestGuard.checkJsonContentType(headers("content-type", "application/json"));
        RequestGuard.checkJsonContentType(headers("content-type", "Application/JSON; charset=UTF-8"));
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=iso-8859-1", "application/jsonx"}) {
            assertEquals(415, assertThrows(ApiException.class,
                    () -> RequestGuard.checkJsonContentType(headers("content-type", type))).status(), type);
        }
        assertEquals(415, assertThrows(ApiException.class, () -> RequestGuard.checkJsonContentType(headers())).status());
    }

    @Test
    void boundsTheBody() throws IOException {
        byte[] body = new byte[100];
        assertArrayEquals(body, RequestGuard.readBody(new ByteArrayInputStream(body), 100, 100));
        assertArrayEquals(body, RequestGuard.readBody(new ByteArrayInputStream(body), -1, 100));
        assertEquals(413, assertThrows(ApiException.class,
                () -> RequestGuard.readBody(new ByteArrayInputStream(new byte[0]), 101, 100)).status(), "by its length");
        assertEquals(413, assertThrows(ApiException.class,
                () -> RequestGuard.readBody(new ByteArrayInputStream(new byte[20_000]), -1, 100)).status(), "chunked");
        assertEquals(413, assertThrows(ApiException.class,
                () -> RequestGuard.readBody(new ByteArrayInputStream(new byte[101]), 10, 100)).status(), "longer than it said");
    }

    @Test
    void quotesUntrustedTextPrintably() {
        assertEquals("a?b", RequestGuard.printable("a\nb"));
        assertEquals(101, RequestGuard.printable("x".repeat(500)).length());
    }
}
