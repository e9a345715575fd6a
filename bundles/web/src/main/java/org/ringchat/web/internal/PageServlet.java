package org.ringchat.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The page itself: a fixed set of files from this bundle ({@code /} is {@code index.html}), as the
 * default servlet, so that any other path is a 404; behind {@link RequestGuardFilter}. Also says in the
 * log where the page is, once the HTTP runtime lists this servlet.
 */
@Component(service = Servlet.class,
        reference = @Reference(name = "guard", service = Filter.class, target = RequestGuardFilter.REQUIRED))
@HttpWhiteboardServletName(PageServlet.NAME)
@HttpWhiteboardServletPattern("/")
public final class PageServlet extends HttpServlet {

    static final String NAME = "ringchat-page";

    private static final long serialVersionUID = 1L;

    /** Scripts, styles and images from this server only; no inline script; not framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(byte[] content, String contentType) {
    }

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/topology.js", "topology.js",
            "/style.css", "style.css",
            "/favicon.svg", "favicon.svg");

    private final transient Map<String, File> files;
    private final transient PageAnnouncer announcer = new PageAnnouncer(NAME);
    /** Asks the HTTP runtime for its state off the thread that tells of its changes. */
    private final transient ExecutorService announcing = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ringchat-web-announce");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public PageServlet() {
        Map<String, File> loaded = new java.util.HashMap<>();
        FILES.forEach((path, name) -> loaded.put(path, load(name)));
        this.files = Map.copyOf(loaded);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announcing.execute(() -> announcer.check(runtime, properties));
    }

    void updatedRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announcing.execute(() -> announcer.check(runtime, properties));
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        // nothing to undo: the next runtime announces itself
    }

    @Deactivate
    void deactivate() {
        announcing.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        File file = files.get(path.isEmpty() ? "/" : path);
        if (file == null) {
            ServletSupport.writeError(response, new ApiException(404, "no such page: " + RequestGuard.printable(path)));
            return;
        }
        ServletSupport.commonHeaders(response);
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Cache-Control", "no-cache");
        response.setContentType(file.contentType());
        response.setContentLength(file.content().length);
        response.getOutputStream().write(file.content());
    }

    private static File load(String name) {
        try (InputStream in = PageServlet.class.getResourceAsStream("page/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks page/" + name);
            }
            return new File(in.readAllBytes(), contentType(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page/" + name, e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html;charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript;charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css;charset=utf-8";
        }
        return "image/svg+xml";
    }
}
