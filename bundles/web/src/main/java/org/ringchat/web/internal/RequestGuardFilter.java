package org.ringchat.web.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterServlet;

/**
 * The {@link RequestGuard} in front of the page's three servlets, so that none of them runs for a request
 * it refuses. The page's files may be opened from a link anywhere, so they need only a {@code Host} that
 * names this server; the API and the events ({@code /api}) also refuse other origins.
 * <p>
 * It is applied by servlet name rather than by a pattern such as {@code /*}: in Karaf the default context
 * is shared with every other web application there, which this guard must leave alone. Async, as the
 * events servlet is.
 */
@Component(service = Filter.class, configurationPid = WebConfig.PID)
@HttpWhiteboardFilterName(RequestGuardFilter.NAME)
@HttpWhiteboardFilterServlet({PageServlet.NAME, ApiServlet.NAME, EventStreamServlet.NAME})
@HttpWhiteboardFilterAsyncSupported
public final class RequestGuardFilter implements Filter {

    static final String NAME = "ringchat-request-guard";

    /**
     * The reference each of the page's servlets has to this filter, though it never calls it: a servlet is
     * registered only while the guard is, so that no request reaches it unguarded, at start or while the
     * filter is replaced.
     */
    static final String REQUIRED = "(osgi.http.whiteboard.filter.name=" + NAME + ")";

    private final RequestGuard guard;

    @Activate
    public RequestGuardFilter(WebConfig config) {
        this(RequestGuard.of(config));
    }

    RequestGuardFilter(RequestGuard guard) {
        this.guard = guard;
    }

    @Override
    public void init(FilterConfig filterConfig) {
        // configured by ConfigAdmin, in the constructor
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        try {
            if (isApi(http.getServletPath())) {
                guard.checkOrigin(ServletSupport.headers(http), http.getLocalAddr(), http.getLocalPort());
            } else {
                guard.checkHost(ServletSupport.headers(http), http.getLocalAddr(), http.getLocalPort());
            }
        } catch (ApiException e) {
            ServletSupport.writeError((HttpServletResponse) response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isApi(String servletPath) {
        return servletPath.equals("/api") || servletPath.startsWith("/api/");
    }

    @Override
    public void destroy() {
        // holds nothing
    }
}
