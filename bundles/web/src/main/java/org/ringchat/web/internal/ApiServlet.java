package org.ringchat.web.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.ringchat.api.GroupChat;
import org.ringchat.spi.Topology;

/**
 * The JSON API at {@code /api/*}, behind {@link RequestGuardFilter}:
 * the body read up to its bound, then {@link WebApi}.
 */
@Component(service = Servlet.class, configurationPid = WebConfig.PID,
        reference = @Reference(name = "guard", service = Filter.class, target = RequestGuardFilter.REQUIRED))
@Designate(ocd = WebConfig.class)
@HttpWhiteboardServletName(ApiServlet.NAME)
@HttpWhiteboardServletPattern("/api/*")
public final class ApiServlet extends HttpServlet {

    static final String NAME = "ringchat-api";

    private static final long serialVersionUID = 1L;

    private final transient WebApi api;
    private final int maxBodyBytes;

    /** The topology the engine uses too: the best-ranked one, replaced while the node runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Topology topology;

    @Activate
    public ApiServlet(@Reference GroupChat chat, WebConfig config) {
        this.api = new WebApi(chat, () -> Optional.ofNullable(topology), Duration.ofMillis(config.wait_ms()));
        this.maxBodyBytes = config.max_body_bytes();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> headers = ServletSupport.headers(request);
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        byte[] body = new byte[0];
        if (method.equals("POST")) {
            try {
                body = RequestGuard.readBody(request.getInputStream(), request.getContentLengthLong(), maxBodyBytes);
            } catch (ApiException e) {
                ServletSupport.writeError(response, e);
                return;
            }
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        ApiResponse answer = api.handle(new ApiRequest(method, path, query(request), headers, body));
        ServletSupport.writeJson(response, answer);
    }

    private static Map<String, String> query(HttpServletRequest request) {
        Map<String, String> query = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                query.put(name, values[0]);
            }
        });
        return query;
    }
}
