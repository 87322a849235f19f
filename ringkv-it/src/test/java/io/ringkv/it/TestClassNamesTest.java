package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every test class runs. Surefire runs only the classes its default includes name
 * ({@code Test*}, {@code *Test}, {@code *Tests}, {@code *TestCase}), so a class of JUnit or jqwik
 * tests named otherwise compiles and silently never runs, as four {@code *Properties} classes
 * did until issue 10. This reads every module's src/test/java and fails naming each such file,
 * and fails if a module's pom narrows or skips what Surefire runs, which would make that rule
 * wrong. It is here because ringkv-it is last in the reactor; it starts no cluster.
 */
class TestClassNamesTest {
    /** Surefire's default includes, applied to the class name: its file name without .java. */
    private static final Pattern SUREFIRE_RUNS = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");

    /** What makes a method a JUnit Jupiter or jqwik test; at the start of a line, so javadoc does not count. */
    private static final Pattern TEST_ANNOTATION = Pattern.compile(
            "^\\s*@(?:[\\w.]+\\.)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example)\\b",
            Pattern.MULTILINE);

    /** Surefire settings that choose or skip tests; with any of them the naming rule is not the whole story. */
    private static final Set<String> NARROWING = Set.of("includes", "excludes", "includesFile", "excludesFile",
            "test", "groups", "excludedGroups", "skip", "skipTests", "skipExec");

    @Test
    void everyClassWithTestsIsNamedSoSurefireRunsIt() throws Exception {
        Path checkout = checkout();
        List<String> sourceRoots = new ArrayList<>();
        List<String> misnamed = new ArrayList<>();
        for (String module : modules(checkout)) {
            Path tests = checkout.resolve(module).resolve("src/test/java");
            if (Files.isDirectory(tests)) {
                sourceRoots.add(module);
                misnamed.addAll(misnamedTestClasses(tests).stream().map(f -> module + "/src/test/java/" + f).toList());
            }
        }
        // Guards the guard: a wrong checkout would find nothing and pass.
        assertThat(sourceRoots).as("modules with src/test/java under %s", checkout)
                .contains("ringkv-storage", "ringkv-it");
        assertThat(misnamed)
                .as("test classes Surefire never runs: name them Test*, *Test, *Tests or *TestCase")
                .isEmpty();
    }

    @Test
    void noModuleNarrowsOrSkipsWhatSurefireRuns() throws Exception {
        Path checkout = checkout();
        List<String> narrowing = new ArrayList<>(narrowingSettings(checkout, "pom.xml"));
        for (String module : modules(checkout)) {
            narrowing.addAll(narrowingSettings(checkout, module + "/pom.xml"));
        }
        assertThat(narrowing).as("Surefire settings that leave tests unrun").isEmpty();
    }

    /** The check itself, on files made for it: it must catch the old names and spare bases and helpers. */
    @Test
    void flagsOnlyConcreteTestClassesWithOtherNames(@TempDir Path tests) throws IOException {
        write(tests, "p/EngineModelProperties.java", """
                class EngineModelProperties {
                    @Property(tries = 40)
                    void p() {}
                }""");
        write(tests, "p/q/Checks.java", """
                class Checks {
                    @org.junit.jupiter.api.Test void t() {}
                }""");
        write(tests, "p/StoreContract.java", """
                public abstract class StoreContract {
                    @Test
                    void t() {}
                }""");
        write(tests, "p/ClockContract.java", """
                interface ClockContract {
                    @Test
                    default void t() {}
                }""");
        write(tests, "p/MemtableTest.java", """
                class MemtableTest {
                    @Example
                    void e() {}

                    static final class Recorder {
                    }
                }""");
        write(tests, "p/Fixtures.java", """
                /**
                 * Helpers, not tests, though this says
                 * @Test
                 */
                class Fixtures {
                }""");

        assertThat(misnamedTestClasses(tests)).containsExactly("p/EngineModelProperties.java", "p/q/Checks.java");
    }

    /** Files under {@code tests} (relative, '/'-separated) that hold tests Surefire would not run. */
    static List<String> misnamedTestClasses(Path tests) throws IOException {
        List<String> misnamed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.java$", "");
                String source = Files.readString(file);
                if (TEST_ANNOTATION.matcher(source).find() && !SUREFIRE_RUNS.matcher(name).matches()
                        && !isBaseType(source, name)) {
                    misnamed.add(tests.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
        return misnamed;
    }

    /**
     * An abstract class or an interface: its tests run in the classes that extend it (which this
     * check sees only if they hold tests of their own).
     */
    private static boolean isBaseType(String source, String name) {
        String declaration = "^(?:\\w+\\s+)*(?:abstract\\s+(?:\\w+\\s+)*class|interface)\\s+"
                + Pattern.quote(name) + "\\b";
        return Pattern.compile(declaration, Pattern.MULTILINE).matcher(source).find();
    }

    /** The root of the checkout: Surefire sets basedir to this module's directory. */
    private static Path checkout() {
        Path checkout = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        assertThat(checkout.resolve("pom.xml")).as("the checkout's root pom").isRegularFile();
        return checkout;
    }

    private static List<String> modules(Path checkout) throws Exception {
        NodeList modules = parse(checkout.resolve("pom.xml")).getElementsByTagName("module");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            out.add(modules.item(i).getTextContent().trim());
        }
        return out;
    }

    /** Each Surefire setting in {@code pom} that chooses or skips tests, and each property that skips them. */
    private static List<String> narrowingSettings(Path checkout, String pom) throws Exception {
        Document doc = parse(checkout.resolve(pom));
        List<String> found = new ArrayList<>();
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (!"maven-surefire-plugin".equals(childText(plugin, "artifactId"))) {
                continue;
            }
            // Executions have configurations of their own, so look at every one under the plugin.
            NodeList configurations = plugin.getElementsByTagName("configuration");
            for (int j = 0; j < configurations.getLength(); j++) {
                NodeList settings = configurations.item(j).getChildNodes();
                for (int k = 0; k < settings.getLength(); k++) {
                    if (settings.item(k) instanceof Element e && NARROWING.contains(e.getTagName())) {
                        found.add(pom + ": surefire <" + e.getTagName() + ">");
                    }
                }
            }
        }
        NodeList properties = doc.getElementsByTagName("properties");
        for (int i = 0; i < properties.getLength(); i++) {
            for (String property : List.of("skipTests", "maven.test.skip")) {
                if (childText((Element) properties.item(i), property) != null) {
                    found.add(pom + ": property " + property);
                }
            }
        }
        return found;
    }

    private static String childText(Element parent, String tag) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
