package org.fgclip2.app.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or plain milliseconds. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h)?\\s*");

    private Durations() {
    }

    static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 250ms, 30s, 5m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
