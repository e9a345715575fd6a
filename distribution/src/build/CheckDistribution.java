import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Build-time check of the assembled installation (run by the distribution pom with the JDK's
 * source launcher, {@code java -cp bin/felix.jar CheckDistribution.java <installation>}):
 * <ol>
 * <li>the launcher, configuration and script files are there;</li>
 * <li>every jar in logging/, bundle/ and shell/ is an OSGi bundle (has a Bundle-SymbolicName), and none is a
 * Netty native transport;</li>
 * <li>the infrastructure bundles are there;</li>
 * <li>every bundle resolves in a real Felix (installed and resolved only: no bundle is started, so
 * nothing listens and no configuration is needed). For a bundle that does not resolve, the
 * mandatory requirements that nothing provides are listed.</li>
 * </ol>
 * Exits 1 with a list of problems, 0 when all is well.
 */
public class CheckDistribution {

    private static final List<String> REQUIRED_FILES = List.of(
            "bin/ringchat", "bin/ringchat-demo", "bin/felix.jar", "bin/ringchat-launcher.jar", "bin/osgi.service.log.jar",
            "conf/config.properties", "conf/logging.properties",
            "etc/gosh_profile", "deploy/org.ringchat.node.cfg", "shell/org.apache.felix.gogo.jline.jar",
            "deploy/org.ringchat.topology.ring.jar", "topologies/org.ringchat.topology.ring.jar",
            "topologies/org.ringchat.topology.tree.jar");

    private static final List<String> REQUIRED_BUNDLES = List.of(
            "org.apache.felix.scr", "org.osgi.service.component", "org.osgi.util.promise", "org.osgi.util.function",
            "org.apache.felix.configadmin", "org.apache.felix.log", "org.apache.felix.metatype", "org.apache.felix.fileinstall",
            "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "org.apache.felix.gogo.jline",
            "org.jline", "org.ringchat.api");

    private final List<String> problems = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp bin/felix.jar CheckDistribution.java <installation-dir>");
            System.exit(2);
        }
        CheckDistribution check = new CheckDistribution();
        int bundles = check.run(Path.of(args[0]).toAbsolutePath().normalize());
        if (check.problems.isEmpty()) {
            System.out.println("[check-distribution] OK: " + bundles + " bundles, all resolve");
            return;
        }
        System.err.println("[check-distribution] " + args[0] + " is broken:");
        check.problems.forEach(p -> System.err.println("[check-distribution]   " + p));
        System.err.println("[check-distribution] (-Dringchat.dist.skipCheck=true skips this check)");
        System.exit(1);
    }

    private int run(Path home) throws Exception {
        for (String f : REQUIRED_FILES) {
            if (!Files.isRegularFile(home.resolve(f))) {
                problems.add("missing " + f);
            }
        }
        for (String script : List.of("bin/ringchat", "bin/ringchat-demo")) {
            if (Files.isRegularFile(home.resolve(script)) && !Files.isExecutable(home.resolve(script))) {
                problems.add(script + " is not executable");
            }
        }

        Map<String, Path> jars = new TreeMap<>(); // location -> jar
        Map<String, List<String>> bySymbolicName = new TreeMap<>();
        // topologies/ holds the alternatives to the one in deploy/: each must resolve, one at a time is installed
        for (String dir : List.of("logging", "bundle", "shell", "deploy", "topologies")) {
            for (Path jar : list(home.resolve(dir))) {
                String name = dir + "/" + jar.getFileName();
                if (dir.equals("deploy") && jar.getFileName().toString().endsWith(".cfg")) {
                    continue;
                }
                if (!jar.getFileName().toString().endsWith(".jar")) {
                    problems.add(name + ": not a jar (only bundles belong in " + dir + "/)");
                    continue;
                }
                String bsn = symbolicName(jar);
                if (bsn == null) {
                    problems.add(name + ": not an OSGi bundle (no Bundle-SymbolicName): exclude it in"
                            + " src/assembly/ringchat.xml, or depend on a bundle that wraps it");
                    continue;
                }
                if (isNettyNative(bsn, jar)) {
                    problems.add(name + ": a Netty native transport (" + bsn + "): exclude it in src/assembly/ringchat.xml");
                    continue;
                }
                if (dir.equals("topologies") && bySymbolicName.containsKey(bsn)) {
                    continue; // the copy of the one in deploy/
                }
                bySymbolicName.computeIfAbsent(bsn, k -> new ArrayList<>()).add(name);
                jars.put(name, jar);
            }
        }
        for (String bsn : REQUIRED_BUNDLES) {
            if (!bySymbolicName.containsKey(bsn)) {
                problems.add("bundle " + bsn + " is missing");
            }
        }
        bySymbolicName.forEach((bsn, names) -> {
            if (names.size() > 1) {
                System.out.println("[check-distribution] note: several versions of " + bsn + ": " + names);
            }
        });

        resolve(jars);
        return jars.size();
    }

    private void resolve(Map<String, Path> jars) throws Exception {
        Path storage = Files.createTempDirectory("ringchat-check-felix");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "0");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework framework = factory.newFramework(config);
        framework.init();
        try {
            Map<Bundle, String> installed = new HashMap<>();
            for (Map.Entry<String, Path> e : jars.entrySet()) {
                try {
                    installed.put(framework.getBundleContext().installBundle(e.getValue().toUri().toString()), e.getKey());
                } catch (BundleException ex) {
                    problems.add(e.getKey() + ": cannot be installed: " + ex.getMessage());
                }
            }
            FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
            wiring.resolveBundles(installed.keySet());
            for (Map.Entry<Bundle, String> e : installed.entrySet()) {
                Bundle b = e.getKey();
                if (b.getState() != Bundle.INSTALLED) {
                    continue;
                }
                List<String> missing = new ArrayList<>();
                for (Requirement req : b.adapt(BundleRevision.class).getRequirements(null)) {
                    String resolution = req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
                    String effective = req.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
                    if (Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                            || (effective != null && !Namespace.EFFECTIVE_RESOLVE.equals(effective))) {
                        continue;
                    }
                    Collection<?> providers = wiring.findProviders(req);
                    if (providers.isEmpty()) {
                        missing.add(req.getNamespace() + " " + req.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
                    }
                }
                String what = e.getValue() + " (" + b.getSymbolicName() + " " + b.getVersion() + ") does not resolve: ";
                if (!missing.isEmpty()) {
                    problems.add(what + "nothing provides " + String.join(", ", missing));
                } else {
                    problems.add(what + "its requirements exist but do not fit together"
                            + " (uses constraint, or a bundle it needs does not resolve)");
                }
            }
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
            deleteTree(storage);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String bsn = mf == null ? null : mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null || bsn.isBlank() ? null : bsn.split(";")[0].trim();
        }
    }

    /** A Netty native transport (epoll, kqueue, io_uring, tcnative) or any Netty jar carrying native libraries. */
    private static boolean isNettyNative(String bsn, Path jar) throws IOException {
        if (!bsn.startsWith("io.netty")) {
            return false;
        }
        if (bsn.contains("epoll") || bsn.contains("kqueue") || bsn.contains("io_uring") || bsn.contains("tcnative")) {
            return true;
        }
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.stream().anyMatch(e -> e.getName().startsWith("META-INF/native/") && !e.isDirectory());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
