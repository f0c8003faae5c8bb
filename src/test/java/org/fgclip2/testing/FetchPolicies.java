package org.fgclip2.testing;

import java.util.HashMap;
import java.util.Map;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.fetch.AddressPolicy;
import org.fgclip2.fetch.FetchPolicy;

/**
 * Fetch policies as the application builds them from its {@code fetch.*} settings: the production defaults, with
 * only what a test names changed.
 */
public final class FetchPolicies {
    private FetchPolicies() {
    }

    /** @param keysAndValues setting keys and their values, in pairs */
    public static FetchPolicy withSettings(String... keysAndValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new AppConfig(settings).fetchPolicy();
    }

    /**
     * For tests whose servers listen on loopback.
     *
     * @param keysAndValues further settings, in pairs
     */
    public static FetchPolicy loopbackAllowed(String... keysAndValues) {
        String[] settings = new String[keysAndValues.length + 2];
        settings[0] = "fetch.allow-loopback";
        settings[1] = "true";
        System.arraycopy(keysAndValues, 0, settings, 2, keysAndValues.length);
        return withSettings(settings);
    }

    /** The defaults, but for which destinations HTTP(S) may reach. */
    public static FetchPolicy withAddresses(AddressPolicy addresses) {
        FetchPolicy p = withSettings();
        return new FetchPolicy(p.connectTimeout(), p.readTimeout(), p.maxBytes(), p.maxRedirects(), p.fileRoot(),
                addresses, p.limits());
    }
}
