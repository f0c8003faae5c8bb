package org.fgclip2.serialization.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/** How requests to the schema registry authenticate: not at all, HTTP basic, or a bearer token. */
public sealed interface RegistryAuth {

    /** The value of the {@code Authorization} header, if any. */
    Optional<String> authorizationHeader();

    static RegistryAuth none() {
        return new None();
    }

    /** HTTP basic authentication, the Confluent {@code basic.auth.user.info} {@code user:password}. */
    static RegistryAuth basic(String user, String password) {
        return new Basic(user, password);
    }

    /** A static bearer token (for instance an API key issued by a managed registry). */
    static RegistryAuth bearer(String token) {
        return new Bearer(token);
    }

    record None() implements RegistryAuth {
        @Override
        public Optional<String> authorizationHeader() {
            return Optional.empty();
        }
    }

    record Basic(String user, String password) implements RegistryAuth {
        public Basic {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.contains(":")) {
                throw new IllegalArgumentException("A basic-auth user name cannot contain ':'");
            }
        }

        @Override
        public Optional<String> authorizationHeader() {
            byte[] userInfo = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo));
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + ", password=***]";
        }
    }

    record Bearer(String token) implements RegistryAuth {
        public Bearer {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public Optional<String> authorizationHeader() {
            return Optional.of("Bearer " + token);
        }

        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }
}
