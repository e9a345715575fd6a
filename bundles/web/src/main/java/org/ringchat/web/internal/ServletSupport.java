package org.ringchat.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** What the servlets share: reading the headers the guard needs, and writing answers. */
final class ServletSupport {

    private ServletSupport() {
    }

    /** The headers of {@link ApiRequest#HEADERS}, by lower-case name. */
    static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : ApiRequest.HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    /** Headers every answer gets: no sniffing, no framing by other sites, no referrer. */
    static void commonHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    static void writeJson(HttpServletResponse response, ApiResponse answer) throws IOException {
        byte[] body = Json.write(answer.json()).getBytes(StandardCharsets.UTF_8);
        commonHeaders(response);
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static void writeError(HttpServletResponse response, ApiException e) throws IOException {
        writeJson(response, ApiResponse.error(e.status(), e.getMessage()));
    }
}
