package dev.eventual.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's sources cite the contract's rules by number ("rule 6"): {@code docs/contract.md}
 * numbers its rules 1 to N, in order, and has every rule the sources cite; the core's package
 * overview, which the javadoc links to ({@code dev.eventual##rule-6}), has the same rules under the
 * same names.
 */
class ContractRulesTest {
    private static final Pattern RULE_HEADING = Pattern.compile("(?m)^## (\\d+)\\. (.+)$");
    private static final Pattern CITATION = Pattern.compile("\\brule (\\d+)\\b");
    private static final Pattern OVERVIEW_HEADING =
            Pattern.compile("<h2 id=\"rule-(\\d+)\">(\\d+)\\. (.+)</h2>");

    @Test
    void everyRuleTheSourcesCite_isAHeadingOfTheContract_numberedInOrder() throws IOException {
        Path root = DocSnippetsTest.ROOT;
        Matcher headings = RULE_HEADING.matcher(Files.readString(root.resolve("docs/contract.md")));
        List<Integer> numbers = new ArrayList<>();
        while (headings.find()) {
            numbers.add(Integer.parseInt(headings.group(1)));
        }
        assertThat(numbers).as("the contract's rule headings, ## N. Name").isNotEmpty();
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as("rule heading number " + (i + 1)).isEqualTo(i + 1);
        }

        TreeMap<Integer, TreeSet<String>> cited = new TreeMap<>();
        for (String module : List.of("core", "io")) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = CITATION.matcher(Files.readString(file));
                    while (m.find()) {
                        cited.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeSet<>())
                                .add(root.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(cited).as("rules cited by the sources").isNotEmpty();
        cited.forEach((rule, files) -> assertThat(numbers)
                .as("rule " + rule + ", cited by " + files + ", is not in docs/contract.md").contains(rule));
    }

    @Test
    void thePackageOverview_hasTheContractsRules_underTheSameNumbersAndNames() throws IOException {
        Path root = DocSnippetsTest.ROOT;
        List<String> contract = new ArrayList<>();
        Matcher headings = RULE_HEADING.matcher(Files.readString(root.resolve("docs/contract.md")));
        while (headings.find()) {
            contract.add(headings.group(1) + ". " + headings.group(2));
        }
        Path overview = root.resolve("core/src/main/java/dev/eventual/package-info.java");
        List<String> javadoc = new ArrayList<>();
        Matcher sections = OVERVIEW_HEADING.matcher(Files.readString(overview));
        while (sections.find()) {
            assertThat(sections.group(1)).as("anchor of rule heading " + sections.group(0) + " in " + overview)
                    .isEqualTo(sections.group(2));
            javadoc.add(sections.group(2) + ". " + sections.group(3));
        }
        assertThat(javadoc).as("the rule headings <h2 id=\"rule-N\">N. Name</h2> of " + overview
                + ", against the ## N. Name headings of docs/contract.md").isEqualTo(contract);
    }
}
