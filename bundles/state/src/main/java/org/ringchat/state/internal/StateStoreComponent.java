package org.ringchat.state.internal;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.ringchat.spi.StateStore;

/** Registers the node's {@link StateStore}, kept in its data directory. */
@Component(service = StateStore.class, configurationPid = "org.ringchat.node",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class StateStoreComponent implements StateStore {

    private static final System.Logger LOG = System.getLogger(StateStoreComponent.class.getName());

    /**
     * The store's key of the node's configuration; described, with this default, in the one description
     * of PID {@code org.ringchat.node} (the group bundle's {@code NodeConfiguration}).
     */
    public @interface Config {
        String data_dir() default "data";
    }

    private final MVStateStore store;
    private final Path dataDir;

    @Activate
    public StateStoreComponent(Config config) {
        this.dataDir = Path.of(config.data_dir());
        this.store = MVStateStore.open(dataDir);
    }

    /**
     * The node's configuration changed: the store stays open where it is, so that the node does not restart
     * for a change of its timing; a new data directory takes effect when the node starts again.
     */
    @Modified
    void modified(Config config) {
        if (!Path.of(config.data_dir()).equals(dataDir)) {
            LOG.log(System.Logger.Level.WARNING, "data.dir changed to {0}: the node keeps {1} until it starts again",
                    config.data_dir(), dataDir);
        }
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public StoreMap map(String name) {
        return store.map(name);
    }

    @Override
    public void commit() {
        store.commit();
    }

    @Override
    public boolean isNew() {
        return store.isNew();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
