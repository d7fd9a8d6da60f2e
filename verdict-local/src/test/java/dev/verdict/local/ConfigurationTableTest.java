package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the one place an operator looks: every VERDICT_* variable a service's
 * configuration reads is in it, and it lists none that nothing reads.
 */
class ConfigurationTableTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(VERDICT_[A-Z0-9_]+)(?::[^}]*)?}");
    private static final Pattern VARIABLE = Pattern.compile("`(VERDICT_[A-Z0-9_]+)`");

    /** Every VERDICT_* placeholder in every application*.yml of every module. */
    private static Set<String> readByTheServices() throws IOException {
        Set<String> variables = new TreeSet<>();
        try (Stream<Path> files = Files.walk(REPOSITORY, 6)) {
            for (Path file : files.filter(p -> p.toString().contains("/src/main/resources/"))
                    .filter(p -> p.getFileName().toString().matches("application.*\\.ya?ml")).toList()) {
                Matcher matcher = PLACEHOLDER.matcher(Files.readString(file));
                matcher.results().forEach(result -> variables.add(result.group(1)));
            }
        }
        return variables;
    }

    /** The variables named in the first column of the README's configuration table. */
    private static Set<String> documented() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        int start = readme.indexOf("## Configuration");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        Set<String> variables = new TreeSet<>();
        readme.substring(start).lines().dropWhile(line -> !line.startsWith("|")).takeWhile(line -> line.startsWith("|"))
                .forEach(row -> {
                    String firstColumn = row.split("\\|")[1];
                    VARIABLE.matcher(firstColumn).results().forEach(result -> variables.add(result.group(1)));
                });
        return variables;
    }

    @Test
    void everyVariableTheServicesReadIsInTheReadmeTable() throws IOException {
        Set<String> read = readByTheServices();
        assertThat(read).as("the scan finds the services' variables").contains("VERDICT_KAFKA_BOOTSTRAP_SERVERS",
                "VERDICT_AUDIT_DB_URL", "VERDICT_LOG_FORMAT");
        assertThat(documented()).containsAll(read);
    }

    @Test
    void theTableListsNoVariableThatNothingReads() throws IOException {
        Set<String> read = readByTheServices();
        // ./verdict up's own variables are read by the launcher, not by a service's configuration.
        String launcher = Files.readString(REPOSITORY.resolve("verdict-local/src/main/java/dev/verdict/local/StackConfig.java"));
        for (String variable : documented()) {
            assertThat(read.contains(variable) || launcher.contains("\"" + variable + "\""))
                    .as("%s is documented but nothing reads it", variable).isTrue();
        }
    }
}
