package org.ringchat.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the itests/karaf pom passes to the test as system properties. */
final class ThisBuild {

    private ThisBuild() {
    }

    /** The stock Karaf the build unpacked for this run. */
    static Path karafHome() {
        return Path.of(property("ringchat.karaf.home"));
    }

    /** The Maven local repository of this build, where Karaf finds our features and bundles. */
    static Path localRepository() {
        return Path.of(property("ringchat.karaf.localRepository"));
    }

    /** The features repository's URL, {@code mvn:org.ringchat/ringchat-features/<version>/xml/features}. */
    static String featuresUrl() {
        return property("ringchat.karaf.features");
    }

    /** Where each test keeps its Karaf copy, node data and logs. */
    static Path testDir() {
        return Path.of(property("ringchat.itest.dir"));
    }

    /**
     * Checks that the local repository holds the files this build made, so that Karaf installs what is under
     * test: {@code mvn verify} builds them but leaves older copies (or none) in the local repository.
     */
    static void assertLocalRepositoryIsCurrent() {
        List<String> stale = new ArrayList<>();
        for (String entry : property("ringchat.karaf.built").split(",")) {
            String[] coordinatesAndFile = entry.strip().split("=", 2);
            Path built = Path.of(coordinatesAndFile[1]);
            Path installed = localRepository().resolve(repositoryPath(coordinatesAndFile[0]));
            try {
                if (!Files.isRegularFile(installed) || Files.mismatch(built, installed) != -1) {
                    stale.add(installed + (Files.isRegularFile(installed) ? " differs from " + built : " is missing"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compare " + built + " with " + installed, e);
            }
        }
        if (!stale.isEmpty()) {
            throw new IllegalStateException("Karaf would install other files than this build's: install them first"
                    + " (mvn install, not mvn verify; or mvn install -DskipTests, then mvn install -pl itests/karaf)\n  "
                    + String.join("\n  ", stale));
        }
    }

    /** {@code groupId:artifactId:version:type[:classifier]} as a path in a Maven repository. */
    private static String repositoryPath(String coordinates) {
        String[] c = coordinates.split(":");
        String classifier = c.length > 4 ? "-" + c[4] : "";
        return c[0].replace('.', '/') + "/" + c[1] + "/" + c[2] + "/" + c[1] + "-" + c[2] + classifier + "." + c[3];
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run this test through Maven"
                    + " (mvn install -pl itests/karaf, after mvn install -DskipTests)");
        }
        return value.strip();
    }
}
