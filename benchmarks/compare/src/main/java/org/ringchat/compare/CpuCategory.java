package org.ringchat.compare;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a sampled stack was doing, named by the first frame from the top whose class is one of a category's:
 * a {@code HashMap.put} called by the engine is engine bookkeeping, {@code Arrays.copyOf} called by the
 * wire codec is codec and copies, AES called by TLS is TLS. The JVM's own threads (GC, JIT) are not sampled;
 * {@link CpuMeter} measures them.
 */
final class CpuCategory {

    static final String GC = "GC";
    static final String JIT = "JIT";
    static final String JVM_OTHER = "JVM other";
    /** The Java threads' system time: system calls, and the scheduler's work when threads hand off. */
    static final String KERNEL = "kernel";
    static final String OTHER = "other";

    /** A category and a pattern of the "class.method" names that belong to it. */
    private record Rule(String category, Pattern frames) {
        Rule(String category, String regex) {
            this(category, Pattern.compile(regex));
        }
    }

    /**
     * A TLS handshake anywhere on the stack: its Ed25519 and X25519 are Bouncy Castle's, as ringchat's message
     * signatures are, so the caller tells them apart.
     */
    private static final Pattern HANDSHAKE = Pattern.compile("org\\.bouncycastle\\.tls\\.Tls(Server|Client)?Protocol"
            + "\\.(handleHandshakeMessage|beginHandshake|processHandshakeQueue)"
            + "|org\\.ringchat\\.transport\\.netty\\.internal\\.(SelfSigned|IdentityKeyManager|TlsCrypto)");

    /** Tried in this order for every frame, from the top of the stack down; class names change, roles less. */
    private static final List<Rule> RULES = List.of(
            new Rule("TLS records and ciphers", "(org\\.bouncycastle\\.(tls|jsse)|sun\\.security\\.ssl|com\\.sun\\.crypto\\.provider|javax\\.crypto"
                    + "|io\\.netty\\.handler\\.ssl)\\.|org\\.jgroups\\.protocols\\.(Encrypt|SYM_ENCRYPT)"),
            new Rule("signatures", "(org\\.bouncycastle|org\\.ringchat\\.crypto)\\."
                    + "|" + ringchatClass("Verifier|Merkle|Signature|Signer")),
            new Rule("store", "org\\.h2\\.|sun\\.nio\\.ch\\.File|" + ringchatClass("Store|MessageLog|Segment")),
            new Rule("thread hand-offs", "java\\.util\\.concurrent\\.(locks\\.|[A-Za-z]*(Queue|Executor|ForkJoin)|CompletableFuture)"
                    + "|jdk\\.internal\\.misc\\.Unsafe\\.(un)?park|io\\.netty\\.util\\.concurrent\\."
                    + "|io\\.netty\\.channel\\.(nio\\.NioEventLoop|SingleThreadIoEventLoop|nio\\.NioIoHandler\\.wakeup)"
                    + "|sun\\.nio\\.ch\\.EPollSelectorImpl\\.wakeup|" + ringchatClass("EngineThread")),
            new Rule("codec and copies", ringchatClass("Wire|Codec|Frame|Bundle|SyncBatch|SyncRequest") + "|io\\.netty\\.(buffer|handler\\.codec)\\.|io\\.netty\\.util\\.Recycler"),
            new Rule("network", "(io\\.netty|sun\\.nio\\.ch|java\\.nio\\.channels)\\."),
            new Rule("engine bookkeeping", "org\\.ringchat\\.(group|topology|state|api)\\."),
            new Rule("transport", "org\\.ringchat\\.transport\\."),
            new Rule("JGroups stack", "org\\.jgroups\\."),
            new Rule("harness", "org\\.ringchat\\.(compare|itests)\\."));

    /** A class of ringchat's whose simple name contains one of {@code tokens} ("A|B"). */
    private static String ringchatClass(String tokens) {
        return "org\\.ringchat\\.[a-z.]+\\.[A-Za-z0-9$]*(?:" + tokens + ")[A-Za-z0-9$]*\\.";
    }

    /** The categories in the order reports show them. */
    static final List<String> ALL = List.of(GC, JIT, JVM_OTHER, KERNEL, "store", "engine bookkeeping",
            "codec and copies", "TLS handshakes", "TLS records and ciphers", "signatures", "thread hand-offs", "network",
            "transport", "JGroups stack", "harness", OTHER);

    private CpuCategory() {
    }

    /** The category of a stack given as "class.method" names, the top of the stack first. */
    static String of(List<String> frames) {
        if (frames.stream().anyMatch(frame -> HANDSHAKE.matcher(frame).lookingAt())) {
            return "TLS handshakes";
        }
        for (String frame : frames) {
            for (Rule rule : RULES) {
                if (rule.frames().matcher(frame).lookingAt()) {
                    return rule.category();
                }
            }
        }
        return OTHER;
    }
}
