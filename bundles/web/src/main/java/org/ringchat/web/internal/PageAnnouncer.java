package org.ringchat.web.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.http.runtime.dto.FailedServletDTO;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.runtime.dto.ServletDTO;

/**
 * Logs where the page is once the HTTP runtime lists its servlet, with the runtime's endpoints
 * ({@code osgi.http.endpoint}), and why, should the runtime refuse it; each news once.
 */
final class PageAnnouncer {

    private static final System.Logger LOG = System.getLogger("org.ringchat.web");

    private final String servletName;
    private String last; // guarded by this

    PageAnnouncer(String servletName) {
        this.servletName = servletName;
    }

    synchronized void check(HttpServiceRuntime runtime, Map<String, Object> properties) {
        try {
            announcement(runtime.getRuntimeDTO(), properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT))
                    .filter(news -> !news.equals(last))
                    .ifPresent(news -> {
                        last = news;
                        LOG.log(news.startsWith("web page at") ? System.Logger.Level.INFO : System.Logger.Level.WARNING, news);
                    });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the HTTP runtime''s state: {0}", e.toString());
        }
    }

    /** What to tell of the servlet's state, if the runtime knows of it yet. */
    Optional<String> announcement(RuntimeDTO runtime, Object endpointProperty) {
        boolean registered = runtime.servletContextDTOs != null && Arrays.stream(runtime.servletContextDTOs)
                .map((ServletContextDTO c) -> c.servletDTOs).filter(s -> s != null).flatMap(Arrays::stream)
                .anyMatch((ServletDTO s) -> servletName.equals(s.name));
        if (registered) {
            List<String> endpoints = endpoints(endpointProperty);
            return Optional.of(endpoints.isEmpty() ? "web page at the HTTP service's address (it names no endpoint)"
                    : "web page at " + String.join(" ", endpoints));
        }
        if (runtime.failedServletDTOs != null) {
            for (FailedServletDTO failed : runtime.failedServletDTOs) {
                if (servletName.equals(failed.name)) {
                    return Optional.of("the HTTP service refused the web page: failure reason " + failed.failureReason
                            + " (org.osgi.service.http.runtime.dto.DTOConstants)");
                }
            }
        }
        return Optional.empty();
    }

    /** {@code osgi.http.endpoint}: a string, or an array or collection of them. */
    static List<String> endpoints(Object property) {
        Stream<?> values;
        if (property instanceof String s) {
            values = Stream.of(s);
        } else if (property instanceof String[] array) {
            values = Arrays.stream(array);
        } else if (property instanceof Collection<?> collection) {
            values = collection.stream();
        } else {
            values = Stream.empty();
        }
        return values.map(String::valueOf).filter(v -> !v.isBlank()).toList();
    }
}
