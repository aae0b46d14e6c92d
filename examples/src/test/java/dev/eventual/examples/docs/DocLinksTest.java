package dev.eventual.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of {@code README.md} and {@code docs/*.md} leads to a file of the
 * repository (never outside it: a clone has nothing there), and a {@code #fragment} to a heading
 * of the target, spelled as GitHub makes anchors (lower case, punctuation dropped, spaces to
 * hyphens).
 */
class DocLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+)$");

    @Test
    void everyRelativeLink_leadsToAFileOrHeadingInTheRepository() throws IOException {
        Path root = DocSnippetsTest.ROOT.toAbsolutePath().normalize();
        List<String> broken = new ArrayList<>();
        for (Path doc : DocSnippetsTest.documents()) {
            String text = withoutCodeBlocks(Files.readString(root.resolve(doc)));
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                int hash = link.indexOf('#');
                String file = hash < 0 ? link : link.substring(0, hash);
                Path target = file.isEmpty() ? root.resolve(doc) : root.resolve(doc).getParent().resolve(file).normalize();
                if (!target.startsWith(root)) {
                    broken.add(doc + ": " + link + " leads outside the repository");
                } else if (!Files.exists(target)) {
                    broken.add(doc + ": " + link + " leads to no file");
                } else if (hash >= 0 && !anchors(Files.readString(target)).contains(link.substring(hash + 1))) {
                    broken.add(doc + ": " + link + " names no heading of " + root.relativize(target));
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    private static String withoutCodeBlocks(String markdown) {
        return markdown.replaceAll("(?ms)^```.*?^```", "");
    }

    private static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        Matcher m = HEADING.matcher(withoutCodeBlocks(markdown));
        while (m.find()) {
            anchors.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
