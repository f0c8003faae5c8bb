package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;

/** The trace id of a W3C {@code traceparent} header (version-traceid-parentid-flags), for log lines. */
final class TraceParent {

    static final String HEADER = "traceparent";
    /**
     * Version 00's layout; later versions may append fields after the flags, which the specification tells a reader
     * to ignore. An all-zero trace id is invalid.
     */
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{2}-(?!0{32})([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

    private TraceParent() {
    }

    /** The trace id of the last well-formed {@code traceparent} among {@code headers}; null when there is none. */
    static String traceId(List<Header> headers) {
        String id = null;
        for (Header h : headers) {
            if (h.key().equals(HEADER) && h.value() != null && h.value().length <= 512) {
                var m = VALID.matcher(new String(h.value(), StandardCharsets.US_ASCII).trim());
                if (m.matches() && !m.group().startsWith("ff")) {
                    id = m.group(1);
                }
            }
        }
        return id;
    }
}
