package org.ringchat.state.internal;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.ringchat.spi.StateStore;

/** Registers the node's {@link StateStore}, kept in its data directory. */
@Component(service = StateStore.class, configurationPid = "org.ringchat.node",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StateStoreComponent.Config.class)
public final class StateStoreComponent implements StateStore {

    @ObjectClassDefinition(name = "ringchat state store", description = "Where the node keeps its groups and messages")
    public @interface Config {
        @AttributeDefinition(name = "Data directory", description = "The node's data directory; the store is "
                + MVStateStore.FILE_NAME + " in it")
        String data_dir() default "data";
    }

    private final MVStateStore store;

    @Activate
    public StateStoreComponent(Config config) {
        this.store = MVStateStore.open(Path.of(config.data_dir()));
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
