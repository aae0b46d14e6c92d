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
 * numbers its rules 1 to N, in order, and has every rule the sources cite.
 */
class ContractRulesTest {
    private static final Pattern RULE_HEADING = Pattern.compile("(?m)^## (\\d+)\\. (.+)$");
    private static final Pattern CITATION = Pattern.compile("\\brule (\\d+)\\b");

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
}
