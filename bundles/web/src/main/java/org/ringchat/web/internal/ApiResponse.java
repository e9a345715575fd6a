package org.ringchat.web.internal;

import java.util.Map;

/**
 * An answer of the API: a status and a JSON body.
 *
 * @param headers extra headers, e.g. {@code Allow} with a 405
 */
record ApiResponse(int status, Object json, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse ok(Object json) {
        return new ApiResponse(200, json, Map.of());
    }

    static ApiResponse of(int status, Object json) {
        return new ApiResponse(status, json, Map.of());
    }

    static ApiResponse error(int status, String message) {
        return new ApiResponse(status, Map.of("error", message == null ? "error" : message), Map.of());
    }
}
