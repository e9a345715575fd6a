package org.ringchat.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the web page, PID {@value #PID}; all optional. The address it is served at is the HTTP
 * service's (Felix HTTP Jetty: {@code org.apache.felix.http.host}, {@code org.osgi.service.http.port}; Pax Web:
 * {@code org.ops4j.pax.web.listening.addresses}, {@code org.osgi.service.http.port}).
 */
@ObjectClassDefinition(name = "ringchat web page",
        description = "The node's web page: JSON API, live events and the page itself")
public @interface WebConfig {

    String PID = "org.ringchat.web";

    @AttributeDefinition(name = "Presence poll interval (ms)",
            description = "How often the members' presence is compared, for the live events")
    long presence_poll_interval_ms() default 1000;

    @AttributeDefinition(name = "Heartbeat interval (ms)",
            description = "How long an event stream may stay silent before a comment line keeps it open")
    long heartbeat_interval_ms() default 15000;

    @AttributeDefinition(name = "Events queued per client",
            description = "Events held for a page that has not taken them yet; beyond, it is dropped and reconnects")
    int event_queue_size() default 256;

    @AttributeDefinition(name = "Event streams", description = "How many pages may follow the live events at once")
    int max_event_clients() default 16;

    @AttributeDefinition(name = "Request body limit (bytes)", description = "Larger request bodies are refused")
    int max_body_bytes() default 65536;

    @AttributeDefinition(name = "Wait for peers (ms)",
            description = "How long a request waits for other peers: a sent message's acknowledgement, an invitee")
    long wait_ms() default 15000;

    @AttributeDefinition(name = "Allowed host names",
            description = "Names besides localhost and the node's IP addresses that the page may be opened by "
                    + "(the Host header); a guard against DNS rebinding")
    String[] allowed_hosts() default {};

    @AttributeDefinition(name = "Loopback only",
            description = "Serve only requests that came in on a loopback address (127.0.0.0/8, ::1), wherever the "
                    + "HTTP service listens; the Karaf feature ringchat-web sets it, as Pax Web listens on all interfaces")
    boolean loopback_only() default false;
}
