package org.ringchat.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.service.http.runtime.dto.FailedServletDTO;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.runtime.dto.ServletDTO;

class PageAnnouncerTest {

    private final PageAnnouncer announcer = new PageAnnouncer("ringchat-page");

    private static RuntimeDTO runtime(String registered, String failed) {
        RuntimeDTO runtime = new RuntimeDTO();
        ServletContextDTO context = new ServletContextDTO();
        ServletDTO servlet = new ServletDTO();
        servlet.name = registered;
        context.servletDTOs = registered == null ? new ServletDTO[0] : new ServletDTO[] {servlet};
        runtime.servletContextDTOs = new ServletContextDTO[] {context};
        FailedServletDTO failure = new FailedServletDTO();
        failure.name = failed;
        failure.failureReason = 3;
        runtime.failedServletDTOs = failed == null ? new FailedServletDTO[0] : new FailedServletDTO[] {failure};
        return runtime;
    }

    @Test
    void tellsWhereThePageIsOnceTheRuntimeListsIt() {
        assertEquals(Optional.empty(), announcer.announcement(runtime(null, null), "http://127.0.0.1:8400/"));
        assertEquals(Optional.empty(), announcer.announcement(runtime("other", null), "http://127.0.0.1:8400/"));
        assertEquals(Optional.of("web page at http://127.0.0.1:8400/"),
                announcer.announcement(runtime("ringchat-page", null), new String[] {"http://127.0.0.1:8400/"}));
        assertEquals(Optional.of("web page at http://10.0.0.1:8400/ http://127.0.0.1:8400/"),
                announcer.announcement(runtime("ringchat-page", null), List.of("http://10.0.0.1:8400/", "http://127.0.0.1:8400/")));
        assertEquals(Optional.of("web page at the HTTP service's address (it names no endpoint)"),
                announcer.announcement(runtime("ringchat-page", null), null));
        assertEquals(Optional.of("the HTTP service refused the web page: failure reason 3 (org.osgi.service.http.runtime.dto.DTOConstants)"),
                announcer.announcement(runtime(null, "ringchat-page"), "http://127.0.0.1:8400/"));
    }

    @Test
    void readsTheEndpointPropertyInAnyOfItsForms() {
        assertEquals(List.of("http://a/"), PageAnnouncer.endpoints("http://a/"));
        assertEquals(List.of("http://a/", "http://b/"), PageAnnouncer.endpoints(new String[] {"http://a/", " ", "http://b/"}));
        assertEquals(List.of(), PageAnnouncer.endpoints(42));
    }
}
