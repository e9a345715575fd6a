package org.ringchat.itests.paxexam.driver;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.cm.ConfigurationAdminOptions.newConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.exam.MavenUtils;
import org.ops4j.pax.exam.Option;
import org.ringchat.itests.paxexam.support.Itest;

/**
 * The Pax Exam options of a ringchat node in Felix. Runs in the driver JVM only (from
 * {@code @Configuration} methods), never inside the framework: nothing in the tests' OSGi code may
 * use this class.
 */
public final class RingchatOptions {

    /** {@code listen} of the node: loopback only, on a port the system picks (no race for a "free" port). */
    public static final String LOOPBACK_ANY_PORT = "127.0.0.1:0";

    /** {@code max.frame.size} of the node: 1 MiB. */
    public static final int MAX_FRAME_SIZE = 1024 * 1024;

    /**
     * System property prefix set by the build (failsafe) to the jar files of the reactor's bundles, e.g.
     * {@code ringchat.bundle.org.ringchat.api}; without it (from an IDE) the bundles come from the local
     * Maven repository as {@code mvn:} links.
     */
    static final String BUNDLE_FILE_PROPERTY_PREFIX = "ringchat.bundle.";

    private RingchatOptions() {
    }

    /**
     * A whole node: the OSGi runtime (SCR, ConfigAdmin, Gogo runtime), the ringchat bundles with their
     * third-party dependencies, and the configuration {@code org.ringchat.node}.
     *
     * @param dataDir a fresh directory for the node's state
     * @param listen  {@code host:port} to listen on, usually {@link #LOOPBACK_ANY_PORT}
     */
    public static Option node(Path dataDir, String listen) {
        return composite(
                osgiRuntime(),
                thirdPartyBundles(),
                ringchatBundles(),
                newConfiguration(Itest.NODE_PID)
                        .put("data.dir", dataDir.toAbsolutePath().toString())
                        .put("listen", listen)
                        .put("advertise", "")
                        .put("max.frame.size", MAX_FRAME_SIZE)
                        .asOption(),
                systemProperty(Itest.LISTEN_PROPERTY).value(listen));
    }

    /** JUnit for the probe, Declarative Services, Configuration Admin and the Gogo runtime. */
    public static Option osgiRuntime() {
        return composite(
                junitBundles(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject());
    }

    /** Netty, Bouncy Castle and H2, as the ringchat bundles import them. */
    public static Option thirdPartyBundles() {
        return composite(
                mavenBundle("io.netty", "netty-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-buffer").versionAsInProject(),
                mavenBundle("io.netty", "netty-resolver").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-unix-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-codec-base").versionAsInProject(),
                mavenBundle("io.netty", "netty-handler").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcprov-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcutil-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcpkix-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bctls-jdk18on").versionAsInProject(),
                // H2's activator fails without org.osgi.service.jdbc, although H2 imports it optionally
                mavenBundle("org.osgi", "org.osgi.service.jdbc").versionAsInProject(),
                mavenBundle("com.h2database", "h2").versionAsInProject());
    }

    /** The seven ringchat bundles. */
    public static Option ringchatBundles() {
        List<Option> options = new ArrayList<>();
        for (String artifactId : Itest.RINGCHAT_BUNDLES) {
            options.add(ringchatBundle(artifactId));
        }
        return composite(options.toArray(new Option[0]));
    }

    /**
     * One ringchat bundle: the jar the reactor built when the build names it (so that {@code mvn verify}
     * tests this build's bundles, not what an earlier {@code mvn install} left in the local repository),
     * else {@code mvn:org.ringchat/<artifactId>/<version in the pom>}.
     */
    public static Option ringchatBundle(String artifactId) {
        String file = System.getProperty(BUNDLE_FILE_PROPERTY_PREFIX + artifactId, "");
        if (file.isBlank() || file.startsWith("${")) {
            return mavenBundle("org.ringchat", artifactId).versionAsInProject();
        }
        if (!Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("the build names " + file + " as the jar of " + artifactId
                    + " but there is no such file");
        }
        return bundle(Path.of(file).toUri().toString());
    }

    /**
     * Where a ringchat bundle that is not provisioned can be installed from while the framework runs, as
     * a {@code file:} URL: the jar the reactor built when the build names it, else the jar in the local
     * Maven repository (pax-url's {@code mvn:} handler is not available inside the framework).
     */
    public static String ringchatBundleLocation(String artifactId) {
        String file = System.getProperty(BUNDLE_FILE_PROPERTY_PREFIX + artifactId, "");
        Path jar;
        if (file.isBlank() || file.startsWith("${")) {
            String version = MavenUtils.getArtifactVersion("org.ringchat", artifactId);
            String repository = System.getProperty("org.ops4j.pax.url.mvn.localRepository", "");
            Path base = repository.isBlank() || repository.startsWith("${")
                    ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(repository);
            jar = base.resolve(Path.of("org", "ringchat", artifactId, version, artifactId + "-" + version + ".jar"));
        } else {
            jar = Path.of(file);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar of " + artifactId + " at " + jar);
        }
        return jar.toUri().toString();
    }

    /**
     * A fresh, empty directory for a node's state: under {@code target/itest-data} when run by Maven
     * (system property {@code ringchat.itest.dir}), else under the system's temporary directory.
     */
    public static Path newDataDir(String prefix) {
        try {
            String base = System.getProperty("ringchat.itest.dir", "");
            Path parent = base.isBlank() || base.startsWith("${")
                    ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(base);
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory", e);
        }
    }
}
