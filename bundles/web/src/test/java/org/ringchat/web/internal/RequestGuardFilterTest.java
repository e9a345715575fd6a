package org.ringchat.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/** The guard as the HTTP Whiteboard runs it: before the servlet, which never sees a refused request. */
class RequestGuardFilterTest {

    private final RequestGuardFilter filter = new RequestGuardFilter(new RequestGuard(Set.of(), false));
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> answerHeaders = new HashMap<>();
    private int status = 200;
    private boolean servletRan;

    @Test
    void aRequestThatNamesThisServerReachesTheServlet() throws Exception {
        filter("/api/groups", "host", "127.0.0.1:8400", "origin", "http://127.0.0.1:8400");
        assertTrue(servletRan);
    }

    @Test
    void aForeignHostIsRefusedBeforeAnyServletRuns() throws Exception {
        for (String path : new String[] {"/", "/app.js", "/api/node", "/api/events"}) {
            filter(path, "host", "rebound.example:8400");
            assertFalse(servletRan, path);
            assertEquals(403, status, path);
            assertEquals("application/json;charset=utf-8", answerHeaders.get("content-type"));
            assertTrue(body.toString(StandardCharsets.UTF_8).startsWith("{\"error\":\"this node's page is not served as"),
                    body.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void thePageMayBeOpenedFromALinkElsewhereTheApiNot() throws Exception {
        filter("/", "host", "127.0.0.1:8400", "sec-fetch-site", "cross-site");
        assertTrue(servletRan, "the page");
        servletRan = false;
        filter("/api/groups", "host", "127.0.0.1:8400", "sec-fetch-site", "cross-site");
        assertFalse(servletRan, "the API");
        assertEquals(403, status);
        filter("/api/events", "host", "127.0.0.1:8400", "origin", "http://evil.example");
        assertFalse(servletRan, "the events");
        assertEquals(403, status);
    }

    @Test
    void loopbackOnlyRefusesRequestsThatCameInElsewhere() throws Exception {
        RequestGuardFilter loopbackOnly = new RequestGuardFilter(new RequestGuard(Set.of(), true));
        loopbackOnly.doFilter(request("/", "192.168.1.5", "host", "192.168.1.5:8400"), response(),
                (req, res) -> servletRan = true);
        assertFalse(servletRan);
        assertEquals(403, status);
    }

    private void filter(String path, String... headers) throws Exception {
        filter.doFilter(request(path, "127.0.0.1", headers), response(), (req, res) -> servletRan = true);
    }

    /** A request to {@code path} on port 8400 of {@code localAddress}, as the default servlet or the API's sees it. */
    private static HttpServletRequest request(String path, String localAddress, String... nameValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        String servletPath = path.startsWith("/api/events") ? "/api/events" : path.startsWith("/api") ? "/api" : path;
        return (HttpServletRequest) Proxy.newProxyInstance(RequestGuardFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                    case "getServletPath" -> servletPath;
                    case "getLocalAddr" -> localAddress;
                    case "getLocalPort" -> 8400;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private HttpServletResponse response() {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        body.reset();
        answerHeaders.clear();
        return (HttpServletResponse) Proxy.newProxyInstance(RequestGuardFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> status = (Integer) args[0];
                        case "setHeader" -> answerHeaders.put(((String) args[0]).toLowerCase(java.util.Locale.ROOT), (String) args[1]);
                        case "setContentType" -> answerHeaders.put("content-type", (String) args[0]);
                        case "setContentLength" -> answerHeaders.put("content-length", String.valueOf(args[0]));
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
