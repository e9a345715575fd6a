package org.ringchat.itests.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ringchat.itests.processes.NodeProcess;

/**
 * The ringchat features in a stock Apache Karaf: installed from the local Maven repository, the Karaf node
 * chats with a node of the Felix distribution (a bin/ringchat process), swaps its topology while it runs,
 * and serves its web page on Pax Web. Everything is done through Karaf's console and the page, as a user would.
 */
class KarafFeaturesIT {

    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Pattern ADDRESS = Pattern.compile("[a-z2-7]{52}@127\\.0\\.0\\.1:\\d+");
    private static final Pattern GROUP_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SENT_2_OF_2 = Pattern.compile("sent [0-9a-f]{32} \\((acknowledged, 2/2|confirmed 2/2)\\)");
    /** {@code 2026-11-25 17:04:34  g7j5s23p  hello bob  [confirmed 2/2]}; the node's own messages by {@code me} */
    private static final Pattern HISTORY_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  (me|[a-z2-7]{8})  (.*)  \\[([^\\]]+)\\]");
    private static final String GROUP_CHAT = "org.ringchat.api.GroupChat";
    private static final Pattern SERVICE_ID = Pattern.compile("\\s*service\\.id = (\\d+)");

    @RegisterExtension
    final KarafAndNodes rig = new KarafAndNodes();

    @Test
    void karafInstallsTheFeaturesChatsWithAFelixNodeSwapsItsTopologyAndServesThePage() throws Exception {
        NodeProcess felix = rig.node("felix"); // comes up while Karaf starts
        KarafProcess karaf = rig.karaf();
        karaf.start();

        // --- install: the core feature brings the ring, the only topology, as its dependency="true" feature
        karaf.run("feature:repo-add " + ThisBuild.featuresUrl());
        karaf.run("feature:install ringchat ringchat-shell");
        Map<String, String> features = installedFeatures(karaf);
        assertEquals("required, Started", features.get("ringchat"), "ringchat: " + features);
        assertEquals("required, Started", features.get("ringchat-shell"), "ringchat-shell: " + features);
        assertEquals("Started", features.get("ringchat-topology-ring"), "ring, as a dependency: " + features);
        assertEquals(null, features.get("ringchat-topology-tree"), "no tree: " + features);
        assertEquals(List.of("org.ringchat.topology.ring"), topologyBundles(karaf));

        String karafId = awaitLine(karaf, "ringchat:id", ADDRESS);
        String karafShort = karafId.substring(0, 8);
        assertEquals(List.of("ring"), karaf.run("ringchat:topology"));
        assertTrue(Files.isDirectory(karaf.home().resolve("data/ringchat")), "the node's data in ${karaf.data}/ringchat");
        String groupChat = groupChatService(karaf);
        KarafProcess.Result failing = karaf.exec("ringchat:history nosuchgroup");
        assertEquals(List.of("error: no group named 'nosuchgroup' or with an ID starting with it; see 'groups'"),
                failing.lines(), "a failing command prints one error line: " + failing);

        // --- chat with the Felix node, both ways
        List<String> created = karaf.run("ringchat:create friends");
        assertTrue(created.size() == 1 && GROUP_ID.matcher(created.get(0)).matches(), "create prints the group ID: " + created);
        assertEquals(List.of(felix.shortId() + " joined 'friends', now 2 members"),
                karaf.run("ringchat:invite friends " + felix.address()));
        assertSent(karaf.run("ringchat:send friends hello felix"));
        assertSent(felix.run("send friends hello karaf"));
        List<String> expected = new ArrayList<>(List.of(
                karafShort + ": hello felix [confirmed 2/2]",
                felix.shortId() + ": hello karaf [confirmed 2/2]"));
        awaitHistories(karaf, karafShort, felix, expected);

        // --- Karaf's own commands: usage in help and with --help (which sends nothing), a text as quoted
        // help pages its text ('*:help $args | more'): only a console with a terminal shows it
        try (KarafProcess.Console console = karaf.console()) {
            console.awaitShown("the prompt", shown -> shown.contains("@root()>"));
            console.type("help ringchat:send\r");
            console.awaitShown("the usage of ringchat:send", shown -> shown.contains("ringchat:send group text")
                    && shown.contains("send the text, every character as typed"));
            console.type("ringchat:send fr\t");
            console.awaitShown("the group's name completed", shown -> shown.contains("iends"));
            console.type("\u0015ringchat:kick friends \t"); // Ctrl-U: a new line
            console.awaitShown("the members' peer IDs offered", shown -> shown.contains(peerId(felix.address()))
                    && shown.contains(peerId(karafId)));
        }
        String usage = String.join("\n", karaf.run("ringchat:send friends --help"));
        assertTrue(usage.contains("ringchat:send group text"), "ringchat:send friends --help: " + usage);
        String typed = "say \"hi\"   twice; a | b $5";
        assertSent(karaf.run("ringchat:send friends '" + typed + "'"));
        expected.add(karafShort + ": " + typed + " [confirmed 2/2]"); // and no message "--help"
        awaitHistories(karaf, karafShort, felix, expected);

        // --- swap: installing the tree meets the requirement, so Karaf takes out the ring it had only
        // installed for it; there is nothing left to uninstall
        karaf.run("feature:install ringchat-topology-tree");
        features = installedFeatures(karaf);
        assertEquals("required, Started", features.get("ringchat-topology-tree"), "tree: " + features);
        assertEquals(null, features.get("ringchat-topology-ring"), "the ring is gone: " + features);
        assertEquals(List.of("org.ringchat.topology.tree"), topologyBundles(karaf));
        KarafProcess.Result uninstall = karaf.exec("feature:uninstall ringchat-topology-ring");
        assertTrue(uninstall.status() != 0
                && uninstall.output().contains("Feature named 'ringchat-topology-ring/0' is not installed"),
                "uninstalling the ring that Karaf took out: " + uninstall);
        awaitLine(karaf, "ringchat:topology", Pattern.compile("tree"));
        assertEquals(groupChat, groupChatService(karaf), "the group engine took the tree without restarting: same GroupChat service");

        // the Karaf node on the tree and the Felix node on the ring: each spreads the other's messages by its own
        assertSent(karaf.run("ringchat:send friends on the tree now"));
        assertSent(felix.run("send friends still on the ring"));
        expected.add(karafShort + ": on the tree now [confirmed 2/2]");
        expected.add(felix.shortId() + ": still on the ring [confirmed 2/2]");
        awaitHistories(karaf, karafShort, felix, expected);

        // --- and back: a topology installed by name stays until it is uninstalled by name
        karaf.run("feature:install ringchat-topology-ring");
        assertEquals(List.of("org.ringchat.topology.ring", "org.ringchat.topology.tree"), topologyBundles(karaf));
        karaf.run("feature:uninstall ringchat-topology-tree");
        assertEquals(List.of("org.ringchat.topology.ring"), topologyBundles(karaf));
        awaitLine(karaf, "ringchat:topology", Pattern.compile("ring"));
        assertEquals(groupChat, groupChatService(karaf), "the group engine took the ring without restarting: same GroupChat service");
        assertSent(karaf.run("ringchat:send friends back on the ring"));
        expected.add(karafShort + ": back on the ring [confirmed 2/2]");
        awaitHistories(karaf, karafShort, felix, expected);

        // --- the web page, on Pax Web's HTTP Whiteboard (Pax Web listens where etc/org.ops4j.pax.web.cfg says)
        String paxWebCfg = Files.readString(karaf.home().resolve(KarafProcess.PAX_WEB_CFG));
        karaf.run("feature:install ringchat-web");
        features = installedFeatures(karaf);
        assertEquals("required, Started", features.get("ringchat-web"), "ringchat-web: " + features);
        assertEquals(paxWebCfg, Files.readString(karaf.home().resolve(KarafProcess.PAX_WEB_CFG)),
                "Pax Web's configuration, shared by every web application of this Karaf, left as it was");
        assertEquals(List.of("true"), karaf.run("config:property-get -p org.ringchat.web loopback.only"),
                "the feature's own configuration: the page answers on loopback addresses only");
        WebPage page = new WebPage(karaf.httpPort());
        // Jetty starts and the whiteboard takes the servlets after feature:install returns
        WebPage.Response index = await("the page at http://127.0.0.1:" + karaf.httpPort() + "/").atMost(AWAIT)
                .pollInterval(POLL).ignoreException(UncheckedIOException.class)
                .until(() -> page.get("/"), r -> r.status() == 200);
        assertEquals("text/html;charset=utf-8", index.contentType().replace(" ", "").toLowerCase(Locale.ROOT), index.toString());
        assertTrue(index.body().contains("data-testid=\"node-address\""), "the page: " + index);
        WebPage.Response script = page.get("/app.js");
        assertTrue(script.status() == 200 && script.contentType().startsWith("text/javascript"), "its script: " + script);
        String announced = "web page at http://127.0.0.1:" + karaf.httpPort() + "/";
        await("'" + announced + "' in Karaf's log").atMost(AWAIT).pollInterval(POLL)
                .until(() -> Files.readString(karaf.home().resolve("data/log/karaf.log")).contains(announced));

        JsonObject node = page.get("/api/node").json();
        assertEquals(karafId, node.get("address").getAsString(), "/api/node: " + node);
        assertEquals("ring", node.get("topology").getAsString(), "/api/node: " + node);
        JsonArray groups = page.get("/api/groups").json().getAsJsonArray("groups");
        assertEquals(1, groups.size(), "/api/groups: " + groups);
        JsonObject friends = groups.get(0).getAsJsonObject();
        assertEquals(List.of(created.get(0), "friends", "2"), List.of(friends.get("id").getAsString(),
                friends.get("name").getAsString(), friends.get("memberCount").getAsString()), "/api/groups: " + groups);

        // a message sent by the page reaches the Felix node; the page's live events (async servlet) tell of it
        WebPage.Follow events = page.follow("message", m -> m.get("text").getAsString().equals("sent from the page")
                && m.getAsJsonObject("delivery").get("status").getAsString().equals("CONFIRMED"));
        WebPage.Event hello = events.hello().get(WebPage.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("hello", hello.name(), "the first event: " + hello);
        assertEquals(karafId, hello.data().get("address").getAsString(), "the first event: " + hello);
        JsonObject text = new JsonObject();
        text.addProperty("text", "sent from the page");
        WebPage.Response sent = page.post("/api/groups/" + created.get(0) + "/messages", text);
        assertEquals(201, sent.status(), "POST of a message: " + sent);
        events.until().get(WebPage.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        expected.add(karafShort + ": sent from the page [confirmed 2/2]");
        awaitHistories(karaf, karafShort, felix, expected);

        // the guard against DNS rebinding: a page opened under another name is refused
        String foreign = "rebound.example:" + karaf.httpPort();
        assertEquals(403, page.statusWithHost("/api/node", foreign), "the API with Host " + foreign);
        assertEquals(403, page.statusWithHost("/", foreign), "the page with Host " + foreign);
        assertEquals(200, page.statusWithHost("/api/node", "localhost:" + karaf.httpPort()), "the API with Host localhost");

        assertEquals(List.of(), felix.errors(), "the Felix node's errors");
        assertEquals(0, karaf.stop(), "Karaf's exit status after system:shutdown -f");
        assertEquals(0, felix.stop(), "the Felix node's exit status at the end of its input");
    }

    /** {@code name -> "required, Started"} (or {@code "Started"} for a feature installed as a dependency). */
    private static Map<String, String> installedFeatures(KarafProcess karaf) {
        Map<String, String> features = new TreeMap<>();
        for (String line : karaf.run("feature:list -i --no-format")) {
            String[] columns = line.split("\t");
            if (columns.length < 4) {
                fail("unexpected line of feature:list: '" + line + "'");
            }
            String name = columns[0].strip();
            if (name.startsWith("ringchat")) {
                features.put(name, (columns[2].strip().equals("x") ? "required, " : "") + columns[3].strip());
            }
        }
        return features;
    }

    /** The symbolic names of the installed ringchat topology bundles, sorted. */
    private static List<String> topologyBundles(KarafProcess karaf) {
        return karaf.run("bundle:list -s -t 0 --no-format").stream()
                .map(line -> line.substring(line.lastIndexOf('\t') + 1).strip())
                .filter(name -> name.startsWith("org.ringchat.topology."))
                .sorted()
                .toList();
    }

    /** The service ID of the node's GroupChat: a restarted group engine registers it again, under a new ID. */
    private static String groupChatService(KarafProcess karaf) {
        List<String> lines = karaf.run("service:list " + GROUP_CHAT);
        List<String> ids = lines.stream().map(SERVICE_ID::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
        assertEquals(1, ids.size(), "one " + GROUP_CHAT + " service:\n" + String.join("\n", lines));
        return ids.get(0);
    }

    /** Runs {@code command} until it prints one line that matches {@code expected} (the node may still be starting). */
    private static String awaitLine(KarafProcess karaf, String command, Pattern expected) {
        return await("'" + command + "' printing " + expected).atMost(AWAIT).pollInterval(POLL)
                .until(() -> karaf.exec(command), r -> r.lines().size() == 1 && expected.matcher(r.lines().get(0)).matches())
                .lines().get(0);
    }

    private static void awaitHistories(KarafProcess karaf, String karafShort, NodeProcess felix, List<String> expected) {
        await("history of 'friends' at Karaf").atMost(AWAIT).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(expected, history(karaf.run("ringchat:history friends"), karafShort),
                        "history at Karaf"));
        await("history of 'friends' at " + felix.name()).atMost(AWAIT).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(expected, history(felix.run("history friends"), felix.shortId()),
                        "history at " + felix.name()));
    }

    /** The history's lines as {@code author: text [delivery]}, the node's own messages under its short ID. */
    private static List<String> history(List<String> lines, String selfShortId) {
        List<String> messages = new ArrayList<>();
        for (String line : lines) {
            Matcher m = HISTORY_LINE.matcher(line);
            if (!m.matches()) {
                fail("malformed history line '" + line + "' in\n" + String.join("\n", lines));
            }
            String author = m.group(1).equals("me") ? selfShortId : m.group(1);
            messages.add(author + ": " + m.group(2) + " [" + m.group(3) + "]");
        }
        return messages;
    }

    /** The peer ID of {@code <peerId>@<host>:<port>}. */
    private static String peerId(String address) {
        return address.substring(0, address.indexOf('@'));
    }

    private static void assertSent(List<String> output) {
        assertEquals(1, output.size(), "send prints one line: " + output);
        assertTrue(SENT_2_OF_2.matcher(output.get(0)).matches(), "send: " + output.get(0));
    }
}
