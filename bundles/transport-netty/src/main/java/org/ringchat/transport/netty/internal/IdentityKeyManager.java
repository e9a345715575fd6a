package org.ringchat.transport.netty.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the node's one key and self-signed certificate, on both ends of a handshake, to whoever asks for
 * an Ed25519 key. Peers check the key after the handshake; certificate authorities play no part.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "identity";
    /** The key type as Bouncy Castle's TLS names it when it looks for a key to sign the ed25519 scheme with. */
    private static final String KEY_TYPE = "Ed25519";

    private final PrivateKey key;
    private final X509Certificate certificate;

    IdentityKeyManager(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    private static String aliasFor(String... keyTypes) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (KEY_TYPE.equalsIgnoreCase(keyType)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {certificate} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
