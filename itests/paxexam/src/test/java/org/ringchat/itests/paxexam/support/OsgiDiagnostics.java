package org.ringchat.itests.paxexam.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

/** Checks of the framework's bundles and DS components that explain themselves when they fail. */
public final class OsgiDiagnostics {

    private OsgiDiagnostics() {
    }

    public static boolean isRingchat(Bundle bundle) {
        String bsn = bundle.getSymbolicName();
        return bsn != null && bsn.startsWith("org.ringchat.");
    }

    public static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /**
     * Bundles that are not ACTIVE (fragments: not RESOLVED), each with the reason the framework gives.
     * For a bundle that did not resolve, the reason is the missing requirement, as Felix reports it when
     * asked to start the bundle.
     */
    public static List<String> bundleProblems(BundleContext context) {
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            int expected = isFragment(bundle) ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() == expected) {
                continue;
            }
            StringBuilder sb = new StringBuilder(describe(bundle)).append(" is ").append(stateName(bundle.getState()))
                    .append(", expected ").append(stateName(expected));
            if ((bundle.getState() == Bundle.INSTALLED || bundle.getState() == Bundle.RESOLVED) && !isFragment(bundle)) {
                // asking again makes the framework say why: the missing requirement, or the activator's error
                try {
                    bundle.start(Bundle.START_TRANSIENT);
                    sb.append(" (it started when asked again)");
                } catch (BundleException | RuntimeException e) {
                    sb.append(":\n      ").append(e.getMessage());
                    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                        sb.append("\n      caused by ").append(cause);
                    }
                }
            }
            problems.add(sb.toString());
        }
        return problems;
    }

    /** All bundles, one a line: id, state, symbolic name, version. */
    public static String bundleTable(BundleContext context) {
        StringBuilder sb = new StringBuilder("Bundles:\n");
        for (Bundle bundle : context.getBundles()) {
            sb.append(String.format("  %3d %-9s %s%n", bundle.getBundleId(), stateName(bundle.getState()),
                    describe(bundle) + (isFragment(bundle) ? " (fragment)" : "")));
        }
        return sb.toString();
    }

    /**
     * The DS components of the ringchat bundles that are neither ACTIVE nor SATISFIED, with their
     * unsatisfied references, missing configuration or activation failure.
     */
    public static List<String> componentProblems(ServiceComponentRuntime scr) {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : ringchatComponents(scr)) {
            String name = description.name + " (" + description.bundle.symbolicName + ")";
            if (!scr.isComponentEnabled(description)) {
                problems.add(name + " is disabled");
                continue;
            }
            Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                problems.add(name + " has no configuration: configuration-policy " + description.configurationPolicy
                        + ", PIDs " + Arrays.toString(description.configurationPid));
                continue;
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state == ComponentConfigurationDTO.ACTIVE
                        || configuration.state == ComponentConfigurationDTO.SATISFIED) {
                    continue;
                }
                StringBuilder sb = new StringBuilder(name).append(" is ").append(componentStateName(configuration.state));
                for (UnsatisfiedReferenceDTO unsatisfied : configuration.unsatisfiedReferences) {
                    sb.append("\n      unsatisfied reference '").append(unsatisfied.name).append("' to ")
                            .append(referenceInterface(description, unsatisfied.name));
                    if (unsatisfied.target != null) {
                        sb.append(" target ").append(unsatisfied.target);
                    }
                }
                if (configuration.failure != null) {
                    sb.append("\n      ").append(configuration.failure.replace("\n", "\n      "));
                }
                problems.add(sb.toString());
            }
        }
        return problems;
    }

    /** The ringchat components and their states, one a line. */
    public static String componentTable(ServiceComponentRuntime scr) {
        StringBuilder sb = new StringBuilder("ringchat DS components:\n");
        for (ComponentDescriptionDTO description : ringchatComponents(scr)) {
            sb.append("  ").append(description.name).append(" (").append(description.bundle.symbolicName).append("):");
            Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
            if (!scr.isComponentEnabled(description)) {
                sb.append(" disabled");
            } else if (configurations.isEmpty()) {
                sb.append(" no configuration");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                sb.append(' ').append(componentStateName(configuration.state));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static List<ComponentDescriptionDTO> ringchatComponents(ServiceComponentRuntime scr) {
        List<ComponentDescriptionDTO> result = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.bundle.symbolicName.startsWith("org.ringchat.")) {
                result.add(description);
            }
        }
        result.sort((a, b) -> (a.bundle.symbolicName + a.name).compareTo(b.bundle.symbolicName + b.name));
        return result;
    }

    /**
     * Fails at once when a bundle is not active: no DS component or service of a bundle that did not
     * resolve or start will come by waiting.
     */
    public static void assertBundlesActive(BundleContext context) {
        List<String> problems = bundleProblems(context);
        if (!problems.isEmpty()) {
            throw new AssertionError("Bundles not active:\n  " + String.join("\n  ", problems) + "\n" + bundleTable(context));
        }
    }

    /** Everything that may explain a missing service: inactive bundles, unsatisfied components, all bundles. */
    public static String report(BundleContext context) {
        StringBuilder sb = new StringBuilder();
        List<String> bundles = bundleProblems(context);
        if (!bundles.isEmpty()) {
            sb.append("Bundles not active:\n  ").append(String.join("\n  ", bundles)).append('\n');
        }
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = reference == null ? null : context.getService(reference);
        if (scr == null) {
            sb.append("No ServiceComponentRuntime service: is SCR active?\n");
        } else {
            try {
                List<String> components = componentProblems(scr);
                if (!components.isEmpty()) {
                    sb.append("Unsatisfied components:\n  ").append(String.join("\n  ", components)).append('\n');
                }
                sb.append(componentTable(scr));
            } finally {
                context.ungetService(reference);
            }
        }
        return sb.append(bundleTable(context)).toString();
    }

    /** Waits for a service of the tracker; fails with the given diagnostics when none comes in time. */
    public static <T> T awaitService(ServiceTracker<T, T> tracker, Class<T> type, Duration timeout,
                                     Supplier<String> diagnostics) throws InterruptedException {
        T service = tracker.waitForService(timeout.toMillis());
        if (service == null) {
            throw new AssertionError("No " + type.getName() + " service after " + timeout.toSeconds() + " s\n"
                    + diagnostics.get());
        }
        return service;
    }

    private static String referenceInterface(ComponentDescriptionDTO description, String referenceName) {
        for (ReferenceDTO reference : description.references) {
            if (reference.name.equals(referenceName)) {
                return reference.interfaceName + " [" + reference.cardinality + "]";
            }
        }
        return "?";
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }

    public static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "state " + state;
        }
    }

    public static String componentStateName(int state) {
        switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION: return "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE: return "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED: return "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE: return "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION: return "FAILED_ACTIVATION";
            default: return "state " + state;
        }
    }
}
