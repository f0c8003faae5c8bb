package org.fgclip2;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the production code is the one docs/architecture.md draws in its "Package graph" table:
 * every dependency between two packages of the project is a row's "uses" entry, every entry is a real dependency,
 * every edge points to a later row (the rows are the layers, top down), and there is no cycle. A new edge is an
 * architecture decision: add it to the table, where a reviewer sees it.
 */
class ArchitectureTest {

    private static final String ROOT = "org.fgclip2";
    private static final Path DOC = Path.of("docs/architecture.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.]+)` \\|([^|]*)\\|.*$");
    private static final Pattern PACKAGE = Pattern.compile("`([a-z0-9.]+)`");

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesDependOnEachOtherAsTheArchitectureDocumentSays() throws IOException {
        Map<String, Set<String>> documented = documentedGraph();
        Map<String, Set<String>> actual = actualGraph();
        assertThat(actual.keySet()).as("packages without a row in the Package graph table of " + DOC)
                .isSubsetOf(documented.keySet());
        List<String> undocumented = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (String from : documented.keySet()) {
            Set<String> real = actual.getOrDefault(from, Set.of());
            real.stream().filter(to -> !documented.get(from).contains(to)).forEach(to -> undocumented.add(
                    from + " -> " + to + " (" + example(from, to) + ")"));
            documented.get(from).stream().filter(to -> !real.contains(to)).forEach(to -> stale.add(from + " -> " + to));
        }
        assertThat(undocumented).as("dependencies the architecture does not allow: remove them, or add them to "
                + DOC + " if they are right").isEmpty();
        assertThat(stale).as("edges " + DOC + " draws that the code no longer has: remove them from the table")
                .isEmpty();
    }

    @Test
    void everyEdgeOfTheTablePointsDown() throws IOException {
        Map<String, Set<String>> documented = documentedGraph();
        List<String> layers = new ArrayList<>(documented.keySet());
        List<String> upward = new ArrayList<>();
        documented.forEach((from, uses) -> uses.stream()
                .filter(to -> layers.indexOf(to) <= layers.indexOf(from))
                .forEach(to -> upward.add(from + " -> " + to + (layers.contains(to) ? "" : " (no row)"))));
        assertThat(upward).as("edges of " + DOC + " that point to an earlier row or to no row: the layering"
                + " forbids them").isEmpty();
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    /** Rows of the table, in order: {@code | `topology` | `fetch`, `inference` |}. */
    private static Map<String, Set<String>> documentedGraph() throws IOException {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Package graph");
            }
            Matcher row = inSection ? ROW.matcher(line) : null;
            if (row != null && row.matches()) {
                Set<String> uses = new TreeSet<>();
                Matcher used = PACKAGE.matcher(row.group(2));
                while (used.find()) {
                    uses.add(used.group(1));
                }
                graph.put(row.group(1), uses);
            }
        }
        assertThat(graph).as("the Package graph table of " + DOC).isNotEmpty();
        return graph;
    }

    private static Map<String, Set<String>> actualGraph() {
        Map<String, Set<String>> graph = new HashMap<>();
        for (JavaClass c : classes) {
            String from = relative(c.getPackageName());
            graph.computeIfAbsent(from, p -> new HashSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getPackageName();
                if (relative(target) != null && !relative(target).equals(from)) {
                    graph.get(from).add(relative(target));
                }
            }
        }
        return graph;
    }

    /** One dependency behind an edge, for the failure message. */
    private static String example(String from, String to) {
        for (JavaClass c : classes) {
            if (from.equals(relative(c.getPackageName()))) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    if (to.equals(relative(d.getTargetClass().getBaseComponentType().getPackageName()))) {
                        return d.getDescription();
                    }
                }
            }
        }
        return "";
    }

    /** The package's name below the project's root, as the table writes it; null for other packages. */
    private static String relative(String packageName) {
        return packageName.startsWith(ROOT + ".") ? packageName.substring(ROOT.length() + 1) : null;
    }
}
