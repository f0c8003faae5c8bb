package org.fgclip2.testing;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, for checking a dashboard and alert rules against what the app
 * exports. Enough of PromQL for that: strings, label matchers, range and subquery brackets, grouping clauses and
 * function calls are removed, Grafana's {@code $variables} too; what remains as a bare identifier is a metric name.
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    /** Grafana's {@code label_values(metric, label)}: its second argument is a label, not a metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,()]*?)\\s*(,[^()]*)?\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {
    }

    public static Set<String> metricNames(String expression) {
        String e = STRING.matcher(expression).replaceAll(" ");
        e = LABEL_VALUES.matcher(e).replaceAll(" $1 ");
        e = VARIABLE.matcher(e).replaceAll(" ");
        e = MATCHERS.matcher(e).replaceAll(" ");
        e = RANGE.matcher(e).replaceAll(" ");
        e = GROUPING.matcher(e).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            boolean call = m.group(2) != null;
            String name = m.group(1);
            if (!call && !KEYWORDS.contains(name.toLowerCase()) && !isDuration(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The names {@code rate}, {@code irate} and {@code increase} are applied to: these must be counters. */
    public static Set<String> rated(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(?:rate|irate|increase)\\s*\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)")
                .matcher(STRING.matcher(expression).replaceAll(" "));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean isDuration(String token) {
        return token.matches("(\\d+(ms|s|m|h|d|w|y))+");
    }
}
