package org.ringchat.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.ServletOutputStream;
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
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.ringchat.api.GroupChat;
import org.ringchat.spi.Topology;

/**
 * The live events at {@code /api/events} ({@code text/event-stream}), from an {@link EventHub}, behind
 * {@link RequestGuardFilter}. The request is made asynchronous, so that it holds none of the HTTP
 * server's threads; a writer thread of this component's own serves it while it is connected.
 */
@Component(service = Servlet.class, configurationPid = WebConfig.PID,
        reference = @Reference(name = "guard", service = Filter.class, target = RequestGuardFilter.REQUIRED))
@HttpWhiteboardServletName(EventStreamServlet.NAME)
@HttpWhiteboardServletPattern("/api/events")
@HttpWhiteboardServletAsyncSupported
public final class EventStreamServlet extends HttpServlet {

    static final String NAME = "ringchat-events";

    private static final long serialVersionUID = 1L;

    private final transient GroupChat chat;
    private final transient EventHub hub;
    private final transient ScheduledExecutorService poller;
    private final transient ExecutorService writers;
    /** The topology the engine uses too: the best-ranked one, replaced while the node runs. */
    private transient volatile Topology topology;

    @Activate
    public EventStreamServlet(@Reference GroupChat chat, WebConfig config) {
        this.chat = chat;
        AtomicInteger writerCount = new AtomicInteger();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ringchat-web-presence"));
        this.writers = Executors.newCachedThreadPool(r -> daemon(r, "ringchat-web-events-" + writerCount.incrementAndGet()));
        this.hub = new EventHub(chat, () -> Optional.ofNullable(topology),
                new EventHub.Settings(Duration.ofMillis(config.heartbeat_interval_ms()), config.event_queue_size(),
                        config.max_event_clients()), writers);
        chat.addListener(hub);
        long interval = Math.max(100, config.presence_poll_interval_ms());
        poller.scheduleWithFixedDelay(hub::poll, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTopology(Topology replacement) {
        topology = replacement;
        hub.topologyChanged();
    }

    void unbindTopology(Topology gone) {
        if (topology == gone) {
            topology = null;
            hub.topologyChanged();
        }
    }

    @Deactivate
    void deactivate() {
        chat.removeListener(hub);
        poller.shutdownNow();
        hub.close();
        writers.shutdown();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletSupport.commonHeaders(response);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // open until the client goes away or the node stops
        AsyncSink sink = new AsyncSink(async);
        Optional<EventHub.Subscription> subscription = hub.subscribe(sink);
        if (subscription.isPresent()) {
            sink.ended(subscription.get());
        } else {
            ServletSupport.writeError(response, new ApiException(503, "too many pages are following the live events"));
            async.complete();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The response of one event stream; it ends when the client goes away. */
    private static final class AsyncSink implements EventHub.Sink, AsyncListener {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private volatile boolean done;
        private volatile EventHub.Subscription subscription;

        AsyncSink(AsyncContext async) throws IOException {
            this.async = async;
            this.out = async.getResponse().getOutputStream();
            async.addListener(this);
        }

        /** Ends the subscription when the container ends the request (the client went away). */
        void ended(EventHub.Subscription cancel) {
            subscription = cancel;
            if (done) {
                cancel.cancel();
            }
        }

        private void gone() {
            done = true;
            EventHub.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void write(String text) throws IOException {
            if (done) {
                throw new IOException("the event stream has ended");
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public synchronized void close() {
            if (!done) {
                done = true;
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // completed by the container already
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            gone();
        }

        @Override
        public void onError(AsyncEvent event) {
            gone();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }
}
