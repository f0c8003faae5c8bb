package org.fgclip2.serialization.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards the schema registry: which certificates to trust (default: the JDK's) and which client
 * certificate to present (default: none).
 */
public record RegistryTls(Optional<Store> truststore, Optional<Store> keystore) {

    /**
     * A key store file. {@code type} is {@code PKCS12} or {@code JKS}; a keystore's private key is protected by
     * the store's own password.
     */
    public record Store(Path path, String password, String type) {
        public Store {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(type, "type");
        }

        KeyStore load() {
            try (InputStream in = Files.newInputStream(path)) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, password.toCharArray());
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "Cannot load the " + type + " key store " + path + " (check the path, type and password): " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "Store[path=" + path + ", type=" + type + ", password=***]";
        }
    }

    public RegistryTls {
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(keystore, "keystore");
    }

    /** An SSL context built from the stores. */
    public SSLContext sslContext() {
        try {
            TrustManager[] trustManagers = null;
            if (truststore.isPresent()) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(truststore.get().load());
                trustManagers = factory.getTrustManagers();
            }
            KeyManager[] keyManagers = null;
            if (keystore.isPresent()) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keystore.get().load(), keystore.get().password().toCharArray());
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot set up TLS for the schema registry: " + e.getMessage(), e);
        }
    }
}
