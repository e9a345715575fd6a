package org.ringchat.group.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.Reachability;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.StateStore;
import org.ringchat.spi.Topology;
import org.ringchat.spi.Transport;
import org.ringchat.state.messages.MessageLog;

/**
 * Runs the {@link GroupEngine} of this node, serving its groups from start-up, and registers it as {@link GroupChat}.
 * It opens the node's {@link MessageLog} in the data directory beside the store (which holds the directory's
 * lock, so no other node writes there), and closes it after the engine.
 */
@Component(service = GroupChat.class, immediate = true, configurationPid = "org.ringchat.node",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NodeConfiguration.class)
public final class GroupChatComponent implements GroupChat {

    /** The preferred topology; a better-ranked one replaces it while the node runs. */
    private volatile Topology topology;

    /** Keys that set one fixed timeout each, until the timeouts followed each link's round trip. */
    private static final Map<String, String> REPLACED_KEYS = Map.of(
            "ack.timeout.ms", "ack.timeout.min.ms and ack.timeout.max.ms",
            "probe.timeout.ms", "probe.timeout.min.ms and probe.timeout.max.ms");
    private static final System.Logger LOG = System.getLogger(GroupChatComponent.class.getName());

    private final MessageLog messages;
    private final GroupEngine engine;

    @Activate
    public GroupChatComponent(@Reference NodeIdentity identity, @Reference Transport transport,
                              @Reference StateStore store, NodeConfiguration config, Map<String, Object> properties) {
        warnOfReplacedKeys(properties);
        // Damage is reported by the log as it opens; the engine fetches what it lost from the members.
        this.messages = MessageLog.open(Path.of(config.data_dir()),
                new MessageLog.Settings(MessageLog.Settings.DEFAULT.segmentBytes(), config.messages_fsync()), damage -> { });
        try {
            this.engine = new GroupEngine(identity, transport, () -> topology, store, messages, settings(config),
                    new EngineThread("ringchat-engine", Clock.systemUTC()));
        } catch (RuntimeException e) {
            messages.close();
            throw e;
        }
    }

    /** A changed configuration: the protocol's timing applies while the node runs, without a restart. */
    @Modified
    void modified(NodeConfiguration config, Map<String, Object> properties) {
        warnOfReplacedKeys(properties);
        engine.update(settings(config));
    }

    private static void warnOfReplacedKeys(Map<String, Object> properties) {
        REPLACED_KEYS.forEach((key, replacement) -> {
            if (properties.containsKey(key)) {
                LOG.log(System.Logger.Level.WARNING, key + " is no longer read: the timeouts follow each link's "
                        + "round trip within " + replacement + "; remove it from the configuration");
            }
        });
    }

    private static GroupEngine.Settings settings(NodeConfiguration config) {
        return new GroupEngine.Settings(new AckTimeouts(config.ack_timeout_min_ms(), config.ack_timeout_max_ms()),
                Duration.ofMillis(config.part_timeout_ms()), Duration.ofMillis(config.invite_timeout_ms()),
                Duration.ofMillis(config.retry_interval_ms()), new FailureDetector.Settings(config.probe_interval_ms(),
                        config.probe_timeout_min_ms(), config.probe_timeout_max_ms(), config.indirect_probes(),
                        config.local_health_max(), config.probe_interval_max_ms()),
                Duration.ofMillis(config.anti_entropy_interval_ms()));
    }

    /** Listeners registered as services (the whiteboard pattern) hear of this node's groups like added ones. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindListener(GroupChatListener listener) {
        engine.addListener(listener);
    }

    void unbindListener(GroupChatListener listener) {
        engine.removeListener(listener);
    }

    // Called after the constructor; SCR binds a replacement before it unbinds the one replaced. Optional:
    // while no topology is there (between uninstalling one and installing another) the engine keeps
    // running and messages wait, rather than the whole node restarting.
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            cardinality = ReferenceCardinality.OPTIONAL)
    void bindTopology(Topology replacement) {
        if (!BroadcastFrames.isTopologyName(replacement.name())) {
            LOG.log(System.Logger.Level.WARNING, "ignored topology ''{0}'' ({1}): its name must be printable ASCII of at "
                    + "most {2} characters, since every frame of the broadcast carries it", replacement.name(),
                    replacement.getClass().getName(), BroadcastFrames.MAX_TOPOLOGY_NAME);
            return;
        }
        topology = replacement;
        engine.topologyChanged();
    }

    void unbindTopology(Topology gone) {
        if (topology == gone) {
            topology = null;
        }
    }

    @Deactivate
    void deactivate() {
        engine.close();
        messages.close();
    }

    @Override
    public PeerAddress localAddress() {
        return engine.localAddress();
    }

    @Override
    public Reachability reachability() {
        return engine.reachability();
    }

    @Override
    public GroupInfo createGroup(String name) {
        return engine.createGroup(name);
    }

    @Override
    public CompletionStage<GroupInfo> invite(GroupId group, PeerAddress invitee) {
        return engine.invite(group, invitee);
    }

    @Override
    public CompletionStage<Void> requestJoin(PeerAddress member, GroupId group) {
        return engine.requestJoin(member, group);
    }

    @Override
    public List<JoinRequest> joinRequests() {
        return engine.joinRequests();
    }

    @Override
    public CompletionStage<GroupInfo> acceptJoin(GroupId group, PeerId requester) {
        return engine.acceptJoin(group, requester);
    }

    @Override
    public void rejectJoin(GroupId group, PeerId requester) {
        engine.rejectJoin(group, requester);
    }

    @Override
    public void leave(GroupId group) {
        engine.leave(group);
    }

    @Override
    public GroupInfo remove(GroupId group, PeerId member) {
        return engine.remove(group, member);
    }

    @Override
    public GroupInfo setOwner(GroupId group, PeerId member, boolean owner) {
        return engine.setOwner(group, member, owner);
    }

    @Override
    public GroupInfo rename(GroupId group, String name) {
        return engine.rename(group, name);
    }

    @Override
    public List<GroupInfo> groups() {
        return engine.groups();
    }

    @Override
    public GroupInfo findGroup(String nameOrIdPrefix) {
        return engine.findGroup(nameOrIdPrefix);
    }

    @Override
    public CompletionStage<ChatMessage> send(GroupId group, String text) {
        return engine.send(group, text);
    }

    @Override
    public List<ChatMessage> history(GroupId group) {
        return engine.history(group);
    }

    @Override
    public List<ChatMessage> latestHistory(GroupId group, int count) {
        return engine.latestHistory(group, count);
    }

    @Override
    public int historySize(GroupId group) {
        return engine.historySize(group);
    }

    @Override
    public Presence presence(PeerId peer) {
        return engine.presence(peer);
    }

    @Override
    public Optional<String> topology() {
        return engine.topology();
    }

    @Override
    public Optional<MessageTrace> trace(GroupId group, MessageId message) {
        return engine.trace(group, message);
    }

    @Override
    public void addListener(GroupChatListener listener) {
        engine.addListener(listener);
    }

    @Override
    public void removeListener(GroupChatListener listener) {
        engine.removeListener(listener);
    }
}
