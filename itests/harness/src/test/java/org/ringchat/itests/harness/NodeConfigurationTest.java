package org.ringchat.itests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.ringchat.group.internal.NodeConfiguration;
import org.ringchat.state.internal.StateStoreComponent;
import org.ringchat.transport.netty.internal.NettyTransportComponent;

/**
 * The node's configuration (PID {@code org.ringchat.node}) is described once, completely: one metatype
 * among all the bundles designates it, it names every key the shipped configuration file lists, and the
 * components that read the PID's keys default to what it says.
 */
class NodeConfigurationTest {

    private static final Path SHIPPED = Path.of("../../distribution/src/main/dist/deploy/org.ringchat.node.cfg");
    /** A key of the shipped file, set or commented out with its default: {@code key = value}. */
    private static final Pattern KEY = Pattern.compile("^#?([a-z]+(?:\\.[a-z]+)*)\\s*=\\s*(.*)$");

    @Test
    void exactlyOneBundleDescribesTheNodesConfiguration() throws IOException {
        List<String> designating = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("OSGI-INF/metatype/"))) {
            if (url.getProtocol().equals("jar")) {
                try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
                    jar.stream().filter(e -> e.getName().startsWith("OSGI-INF/metatype/") && !e.isDirectory())
                            .forEach(e -> {
                                try {
                                    String xml = new String(jar.getInputStream(e).readAllBytes());
                                    if (xml.contains("pid=\"org.ringchat.node\"")) {
                                        designating.add(jar.getName() + "!" + e.getName());
                                    }
                                } catch (IOException ex) {
                                    throw new AssertionError(ex);
                                }
                            });
                }
            } else {
                try (var files = Files.list(Path.of(url.getPath()))) {
                    files.filter(f -> readUnchecked(f).contains("pid=\"org.ringchat.node\"")).forEach(f -> designating.add(f.toString()));
                }
            }
        }
        assertEquals(1, designating.size(), "metatypes designating org.ringchat.node: " + designating);
        assertTrue(designating.get(0).contains("org.ringchat.group"), designating.get(0));
    }

    @Test
    void theDescriptionNamesEveryKeyOfTheShippedFileWithItsDefault() throws IOException {
        Map<String, String> shipped = new TreeMap<>();
        for (String line : Files.readAllLines(SHIPPED)) {
            Matcher m = KEY.matcher(line.trim());
            if (m.matches()) {
                shipped.put(m.group(1), m.group(2).trim());
            }
        }
        Map<String, Object> described = defaults(NodeConfiguration.class);
        assertEquals(shipped.keySet(), described.keySet(), "the keys of " + SHIPPED);
        shipped.forEach((key, value) -> {
            if (!value.startsWith("${")) {
                assertEquals(value, String.valueOf(described.get(key)), "the default of " + key);
            }
        });
    }

    @Test
    void theComponentsReadingTheNodesKeysDefaultToTheDescription() {
        Map<String, Object> described = defaults(NodeConfiguration.class);
        for (Class<?> reader : List.of(NettyTransportComponent.Config.class, StateStoreComponent.Config.class)) {
            defaults(reader).forEach((key, value) ->
                    assertEquals(described.get(key), value, reader.getName() + " reads " + key));
        }
    }

    /** The keys of a component property type (DS's names: {@code _} becomes {@code .}) and their defaults. */
    private static Map<String, Object> defaults(Class<?> propertyType) {
        Map<String, Object> defaults = new TreeMap<>();
        for (Method m : propertyType.getDeclaredMethods()) {
            defaults.put(m.getName().replace('_', '.'), m.getDefaultValue());
        }
        return defaults;
    }

    private static String readUnchecked(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
