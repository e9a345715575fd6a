package org.ringchat.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.ServiceTracker;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.itests.paxexam.driver.RingchatOptions;
import org.ringchat.itests.paxexam.support.Await;
import org.ringchat.itests.paxexam.support.Itest;
import org.ringchat.itests.paxexam.support.OsgiDiagnostics;

/**
 * The ringchat bundles in Felix, and in Equinox, with SCR and ConfigAdmin: every bundle resolves and
 * starts, every DS component is satisfied, and the configured node offers the {@link GroupChat} service.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesActiveIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(Itest.TIMEOUT_SECONDS);

    @Inject
    private BundleContext context;

    private ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scrTracker;
    private ServiceTracker<GroupChat, GroupChat> chatTracker;

    @Configuration
    public Option[] config() {
        // runs in the driver JVM, before the framework starts
        return new Option[] {
            RingchatOptions.node(RingchatOptions.newDataDir("bundles-active-"), RingchatOptions.LOOPBACK_ANY_PORT),
        };
    }

    @Before
    public void openTrackers() {
        scrTracker = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        scrTracker.open();
        chatTracker = new ServiceTracker<>(context, GroupChat.class, null);
        chatTracker.open();
    }

    @After
    public void closeTrackers() {
        chatTracker.close();
        scrTracker.close();
    }

    @Test
    public void runsInTheFrameworkTheBuildNames() {
        assertEquals("the framework Pax Exam launched (its system bundle)",
                System.getProperty(Itest.FRAMEWORK_PROPERTY, "org.apache.felix.framework"),
                context.getBundle(0).getSymbolicName());
    }

    @Test
    public void everyBundleIsActive() {
        List<String> missing = new ArrayList<>();
        for (String bsn : expectedBundles()) {
            if (find(bsn) == null) {
                missing.add(bsn);
            }
        }
        List<String> problems = OsgiDiagnostics.bundleProblems(context);
        if (!missing.isEmpty() || !problems.isEmpty()) {
            fail((missing.isEmpty() ? "" : "Bundles not installed: " + missing + "\n")
                    + (problems.isEmpty() ? "" : "Bundles not active:\n  " + String.join("\n  ", problems) + "\n")
                    + OsgiDiagnostics.bundleTable(context));
        }
    }

    @Test
    public void everyRingchatComponentIsSatisfied() throws InterruptedException {
        OsgiDiagnostics.assertBundlesActive(context);
        ServiceComponentRuntime scr = OsgiDiagnostics.awaitService(scrTracker, ServiceComponentRuntime.class, TIMEOUT,
                () -> OsgiDiagnostics.bundleTable(context));
        // the node's configuration arrives asynchronously (pax-exam-cm), so components may need a moment
        AtomicReference<List<String>> problems = new AtomicReference<>(List.of());
        Await.until("every DS component of the org.ringchat.* bundles to be ACTIVE or SATISFIED", TIMEOUT,
                () -> {
                    problems.set(OsgiDiagnostics.componentProblems(scr));
                    return problems.get().isEmpty();
                },
                () -> "Unsatisfied components:\n  " + String.join("\n  ", problems.get()) + "\n"
                        + OsgiDiagnostics.componentTable(scr) + OsgiDiagnostics.bundleTable(context));
        assertFalse("the ringchat bundles declare no DS component at all\n" + OsgiDiagnostics.bundleTable(context),
                OsgiDiagnostics.ringchatComponents(scr).isEmpty());
        System.out.println(OsgiDiagnostics.componentTable(scr));
    }

    @Test
    public void groupChatServiceIsAvailableAndWorks() throws InterruptedException {
        GroupChat chat = awaitGroupChat();
        assertEquals("GroupChat must come from the api bundle inside the framework", "org.ringchat.api",
                bundleOf(GroupChat.class).getSymbolicName());

        PeerAddress local = chat.localAddress();
        assertNotNull("localAddress()", local);
        // advertise is empty: the node is reached at its listen host and the port it got
        HostPort listen = HostPort.parse(System.getProperty(Itest.LISTEN_PROPERTY));
        assertEquals("host of localAddress() " + local + " vs listen " + listen, listen.host(), local.host());
        if (listen.port() != 0) {
            assertEquals("port of localAddress() " + local + " vs listen " + listen, listen.port(), local.port());
        }

        assertTrue("a fresh node is in no group: " + chat.groups(), chat.groups().isEmpty());
        GroupInfo group = chat.createGroup("bundles-active");
        assertEquals("bundles-active", group.name());
        assertTrue("creator is owner: " + group, group.isOwner(local.peerId()));
        assertEquals(1, group.members().size());
        assertEquals(List.of(group.id()), chat.groups().stream().map(GroupInfo::id).toList());
        assertEquals(group.id(), chat.findGroup("bundles-active").id());
        assertTrue("history of a new group: " + chat.history(group.id()), chat.history(group.id()).isEmpty());
    }

    private GroupChat awaitGroupChat() throws InterruptedException {
        OsgiDiagnostics.assertBundlesActive(context);
        return OsgiDiagnostics.awaitService(chatTracker, GroupChat.class, TIMEOUT, () -> OsgiDiagnostics.report(context));
    }

    private static List<String> expectedBundles() {
        List<String> expected = new ArrayList<>(List.of(Itest.RINGCHAT_BUNDLES));
        expected.addAll(List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.gogo.runtime",
                "org.osgi.service.component", "org.osgi.util.promise", "org.osgi.util.function"));
        return expected;
    }

    private Bundle find(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private static Bundle bundleOf(Class<?> type) {
        return org.osgi.framework.FrameworkUtil.getBundle(type);
    }
}
