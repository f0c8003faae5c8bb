package org.fgclip2.app.config;

import java.util.Locale;

/**
 * One configuration key with its default and meaning. The environment variable that overrides it is
 * {@code FGCLIP2_} + the key upper-cased with {@code .} and {@code -} as {@code _}.
 *
 * @param defaultValue null when the key has no default (optional, or required where the description says so)
 */
public record Setting(String key, String defaultValue, String description) {

    public String environmentVariable() {
        return envName(key);
    }

    static String envName(String key) {
        return "FGCLIP2_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
