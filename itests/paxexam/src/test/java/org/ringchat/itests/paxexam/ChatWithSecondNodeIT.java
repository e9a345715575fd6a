package org.ringchat.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.itests.paxexam.driver.EchoPeer;
import org.ringchat.itests.paxexam.driver.RingchatOptions;
import org.ringchat.itests.paxexam.support.Await;
import org.ringchat.itests.paxexam.support.Histories;
import org.ringchat.itests.paxexam.support.Itest;
import org.ringchat.itests.paxexam.support.OsgiDiagnostics;

/**
 * The node inside Felix chats with a second node on 127.0.0.1: an echo bot that the harness runs in
 * the driver JVM, outside the framework (see {@link EchoPeer}). The test invites the bot into a new
 * group, writes to it and waits for its own message to be confirmed and for the bot's answer.
 * <p>
 * Only the {@code @Configuration} method touches the driver-side classes; the test methods run inside
 * the framework and see the second node only as the address in {@link Itest#PEER_PROPERTY}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // chats… first, then probe… checks what the chat made the probe import
public class ChatWithSecondNodeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(Itest.TIMEOUT_SECONDS);
    private static final String TEXT = "hello from felix";

    @Inject
    private BundleContext context;

    private ServiceTracker<GroupChat, GroupChat> chatTracker;

    @Configuration
    public Option[] config() {
        // runs in the driver JVM: start the echo peer there and tell the framework side its address
        PeerAddress peer = EchoPeer.ensureStarted();
        return new Option[] {
            RingchatOptions.node(RingchatOptions.newDataDir("felix-node-"), RingchatOptions.LOOPBACK_ANY_PORT),
            systemProperty(Itest.PEER_PROPERTY).value(peer.toString()),
        };
    }

    @Before
    public void openTracker() {
        chatTracker = new ServiceTracker<>(context, GroupChat.class, null);
        chatTracker.open();
    }

    @After
    public void closeTracker() {
        chatTracker.close();
    }

    @Test
    public void chatsWithEchoPeer() throws Exception {
        OsgiDiagnostics.assertBundlesActive(context);
        GroupChat chat = OsgiDiagnostics.awaitService(chatTracker, GroupChat.class, TIMEOUT,
                () -> OsgiDiagnostics.report(context));
        PeerAddress self = chat.localAddress();
        PeerAddress peer = PeerAddress.parse(System.getProperty(Itest.PEER_PROPERTY));
        assertNotEquals("the two nodes need different identities", self.peerId(), peer.peerId());

        GroupInfo group = chat.createGroup("felix-and-echo");
        GroupInfo joined = await("invite of " + peer, chat.invite(group.id(), peer));
        assertTrue("after the invite the peer is a member: " + joined, joined.isMember(peer.peerId()));
        assertTrue("after the invite this node is still a member: " + joined, joined.isMember(self.peerId()));
        assertEquals("members after the invite: " + joined.members(), 2, joined.members().size());

        ChatMessage sent = await("send of '" + TEXT + "'", chat.send(group.id(), TEXT));
        assertEquals(TEXT, sent.text());
        assertEquals(self.peerId(), sent.author());

        Await.until("the own message to be CONFIRMED and the echo peer's answer 'echo: " + TEXT + "'", TIMEOUT,
                () -> {
                    List<ChatMessage> history = chat.history(group.id());
                    boolean confirmed = history.stream().anyMatch(m -> m.id().equals(sent.id())
                            && m.delivery().status() == Delivery.Status.CONFIRMED);
                    boolean echoed = history.stream().anyMatch(m -> m.author().equals(peer.peerId())
                            && m.text().equals("echo: " + TEXT));
                    return confirmed && echoed;
                },
                () -> "history of " + group.id() + " on " + self + ":\n" + Histories.describe(chat.history(group.id())));

        ChatMessage echo = chat.history(group.id()).stream()
                .filter(m -> m.author().equals(peer.peerId()) && m.text().equals("echo: " + TEXT))
                .findFirst().orElseThrow();
        assertTrue("the echo is received or already confirmed: " + echo.delivery(),
                echo.delivery().status() == Delivery.Status.RECEIVED || echo.delivery().status() == Delivery.Status.CONFIRMED);
        assertEquals(group.id(), echo.group());
    }

    /** Every change of a group's state through the service, with the echo peer as the other member. */
    @Test
    public void groupLifecycleThroughTheService() throws Exception {
        GroupChat chat = OsgiDiagnostics.awaitService(chatTracker, GroupChat.class, TIMEOUT,
                () -> OsgiDiagnostics.report(context));
        PeerAddress peer = PeerAddress.parse(System.getProperty(Itest.PEER_PROPERTY));
        PeerId self = chat.localAddress().peerId();

        GroupInfo group = chat.createGroup("lifecycle");
        await("invite", chat.invite(group.id(), peer));
        assertEquals("renamed", chat.rename(group.id(), "renamed").name());
        assertTrue(chat.setOwner(group.id(), peer.peerId(), true).isOwner(peer.peerId()));
        assertEquals(Presence.ONLINE, chat.presence(peer.peerId()));

        await("send", chat.send(group.id(), "ping"));
        Await.until("the echo of 'ping'", TIMEOUT, () -> chat.history(group.id()).stream()
                        .anyMatch(m -> m.text().equals("echo: ping")),
                () -> Histories.describe(chat.history(group.id())));

        GroupInfo alone = chat.remove(group.id(), peer.peerId());
        assertEquals(List.of(self), alone.members().stream().map(m -> m.peerId()).toList());
        assertTrue("this node is still owner", alone.isOwner(self));
        assertEquals(List.of(), chat.joinRequests());

        chat.leave(group.id());
        try {
            await("a join request to a peer outside the group", chat.requestJoin(peer, group.id()));
            fail("the peer was removed from the group, so it cannot pass a join request on");
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("is not a member of group"));
        }
        assertTrue("left", chat.groups().stream().noneMatch(g -> g.id().equals(group.id())));
    }

    /**
     * The test code inside the framework gets ringchat's classes from the api bundle only: neither the
     * harness nor Netty, Bouncy Castle or H2 of the driver's class path leak into the probe.
     */
    @Test
    public void probeSeesOnlyTheApiBundle() {
        Bundle probe = FrameworkUtil.getBundle(getClass());
        assertEquals("GroupChat must come from the api bundle", "org.ringchat.api",
                FrameworkUtil.getBundle(GroupChat.class).getSymbolicName());

        // what the test code has wired to so far (the probe imports dynamically, as it loads classes)
        List<String> imported = new ArrayList<>();
        for (BundleWire wire : probe.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (!pkg.startsWith("org.osgi.") && !pkg.startsWith("org.junit") && !pkg.startsWith("junit.")
                    && !pkg.startsWith("org.hamcrest") && !pkg.startsWith("org.ops4j.") && !pkg.startsWith("javax.inject")) {
                imported.add(pkg + " from " + wire.getProvider().getSymbolicName());
            }
        }
        assertEquals("besides OSGi, JUnit and Pax Exam the probe must import only org.ringchat.api, from the api bundle",
                List.of("org.ringchat.api from org.ringchat.api"), imported);

        // the driver's classes are not reachable; libraries, if at all, only from their bundles in the framework
        for (String driverOnly : List.of("org.ringchat.itests.harness.LocalNode", "io.netty.channel.Channel",
                "org.bouncycastle.jce.provider.BouncyCastleProvider", "org.h2.mvstore.MVStore")) {
            Class<?> loaded;
            try {
                loaded = probe.loadClass(driverOnly);
            } catch (ClassNotFoundException expected) {
                continue;
            }
            Bundle from = FrameworkUtil.getBundle(loaded);
            if (driverOnly.startsWith("org.ringchat.itests.harness.") || from == null || from.equals(probe)) {
                fail("the probe sees " + driverOnly + " from " + (from == null ? "the class path" : from.getSymbolicName()));
            }
        }
    }

    private static <T> T await(String what, CompletionStage<T> stage) throws InterruptedException {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete in " + TIMEOUT.toSeconds() + " s");
        }
    }
}
