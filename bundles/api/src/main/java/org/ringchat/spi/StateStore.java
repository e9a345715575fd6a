package org.ringchat.spi;

import java.util.function.BiConsumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of named maps from string keys to byte values, iterated in key order.
 */
@ProviderType
public interface StateStore {

    /** Opens (creating if needed) a named map. */
    StoreMap map(String name);

    /** Makes every change so far durable; returns after it has been written. */
    void commit();

    /**
     * Whether the store was created when it was opened, in a new data directory. A node makes itself a new
     * identity only in a new store: in any other, a missing key is damage. Stores that cannot tell say
     * true.
     *
     * @since 2.1
     */
    default boolean isNew() {
        return true;
    }

    /** A named map of the store. */
    @ProviderType
    interface StoreMap {

        /** The value, in an array of the caller's own: changing it does not change the store. */
        byte[] get(String key);

        /** Stores a copy of the value: the caller may change or clear its array afterwards. */
        void put(String key, byte[] value);

        void remove(String key);

        /** Visits all entries in ascending key order. */
        void forEach(BiConsumer<String, byte[]> visitor);

        int size();
    }
}
