package org.ringchat.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.itests.paxexam.driver.RelayPeer;
import org.ringchat.itests.paxexam.driver.RingchatOptions;
import org.ringchat.itests.paxexam.support.Await;
import org.ringchat.itests.paxexam.support.Histories;
import org.ringchat.itests.paxexam.support.OsgiDiagnostics;

/**
 * The example bundle of docs/EMBEDDING.md, {@code org.ringchat.example.echo}, installed into Felix with
 * the ringchat bundles: its bot answers {@code "!echo hi"} from another member with {@code "echo: hi"},
 * once, and never answers this node's own messages. The other member is a {@link RelayPeer} in the
 * driver JVM, which writes what this node asks it to with {@code "relay: <text>"}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EchoExampleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String EXAMPLE_BUNDLE = "org.ringchat.example.echo";
    private static final String BOT_COMPONENT = "org.ringchat.example.echo.internal.EchoBot";
    /** System property: the relay peer's address. */
    private static final String RELAY_PEER_PROPERTY = "ringchat.itest.peer.relay";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        // runs in the driver JVM: start the relay peer there and tell the framework side its address
        PeerAddress relay = RelayPeer.ensureStarted();
        return new Option[] {
            RingchatOptions.node(RingchatOptions.newDataDir("felix-echo-"), RingchatOptions.LOOPBACK_ANY_PORT),
            RingchatOptions.ringchatBundle(EXAMPLE_BUNDLE),
            systemProperty(RELAY_PEER_PROPERTY).value(relay.toString()),
        };
    }

    @Test
    public void theBotAnswersAnotherMembersEchoCommandOnceAndNeverThisNodesOwn() throws Exception {
        OsgiDiagnostics.assertBundlesActive(context);
        GroupChat chat = awaitService(GroupChat.class);
        awaitBotActive();
        PeerAddress relay = PeerAddress.parse(System.getProperty(RELAY_PEER_PROPERTY));

        GroupInfo group = chat.createGroup("echo-example");
        await("invite of the relay peer", chat.invite(group.id(), relay));
        // the bot answers in order, on one thread: an answer to this would come before the next one
        await("send", chat.send(group.id(), "!echo from this node"));
        await("send", chat.send(group.id(), RelayPeer.RELAY + "!echo hi"));

        awaitHistory(chat, group, "the peer's '!echo hi' confirmed here and the bot's answer confirmed by both", history ->
                count(history, relay, "!echo hi", Delivery.Status.CONFIRMED) == 1
                        && count(history, chat.localAddress(), "echo: hi", Delivery.Status.CONFIRMED) == 1);
        // "!echo hi" will not change here any more: the bot has seen its every update; whatever it made
        // of them is sent before its answer to this next question
        await("send", chat.send(group.id(), RelayPeer.RELAY + "!echo bye"));
        awaitHistory(chat, group, "the bot's answer to '!echo bye'", history ->
                count(history, chat.localAddress(), "echo: bye", null) == 1);

        List<ChatMessage> history = chat.history(group.id());
        String described = Histories.describe(history);
        assertEquals("one answer to '!echo hi'\n" + described, 1, count(history, chat.localAddress(), "echo: hi", null));
        assertEquals("no answer to this node's own command\n" + described, 0,
                count(history, chat.localAddress(), "echo: from this node", null));
    }

    /** The example needs the API and nothing else: besides the JDK's, it imports org.ringchat.api only, from the api bundle. */
    @Test
    public void theExampleUsesTheApiOnly() {
        Bundle example = bundle(EXAMPLE_BUNDLE);
        List<String> imported = new ArrayList<>();
        for (BundleWire wire : example.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (!pkg.startsWith("java.")) {
                imported.add(pkg + " from " + wire.getProvider().getSymbolicName());
            }
        }
        assertEquals(List.of("org.ringchat.api from org.ringchat.api"), imported);
    }

    private void awaitBotActive() throws InterruptedException {
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class);
        ComponentDescriptionDTO bot = scr.getComponentDescriptionDTO(bundle(EXAMPLE_BUNDLE), BOT_COMPONENT);
        assertNotNull("the example bundle declares " + BOT_COMPONENT, bot);
        Await.until("the echo bot to be active", TIMEOUT,
                () -> scr.getComponentConfigurationDTOs(bot).stream().anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE),
                () -> OsgiDiagnostics.report(context));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName + "\n" + OsgiDiagnostics.bundleTable(context));
    }

    private <T> T awaitService(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        // the tracker stays open: the service is used for the whole test
        return OsgiDiagnostics.awaitService(tracker, type, TIMEOUT, () -> OsgiDiagnostics.report(context));
    }

    private static void awaitHistory(GroupChat chat, GroupInfo group, String what,
                                     Predicate<List<ChatMessage>> condition) throws InterruptedException {
        Await.until(what, TIMEOUT, () -> condition.test(chat.history(group.id())),
                () -> "history of " + group.name() + ":\n" + Histories.describe(chat.history(group.id())));
    }

    /** The messages of {@code author} with this text and, unless null, this delivery status. */
    private static long count(List<ChatMessage> history, PeerAddress author, String text, Delivery.Status status) {
        return history.stream().filter(m -> m.author().equals(author.peerId()) && m.text().equals(text)
                && (status == null || m.delivery().status() == status)).count();
    }

    private static <T> T await(String what, CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }
}
