package org.ringchat.web.internal;

import java.util.Map;

/**
 * An HTTP request to the API as plain data, so that the handlers run without a servlet container.
 *
 * @param method  the HTTP method, upper case
 * @param path    the path below {@code /api}, e.g. {@code /groups}; {@code ""} for {@code /api} itself
 * @param query   the query parameters (the first value of each)
 * @param headers the headers the API looks at, by lower-case name
 * @param body    the body, already bounded in size; empty for none
 */
record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {

    /** The headers {@link ApiRequest#headers} holds: what the guard and the handlers read. */
    static final String[] HEADERS = {"host", "origin", "content-type", "sec-fetch-site"};

    ApiRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }
}
