package dev.verdict.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.local.reliability.ReliabilitySuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short run of the reliability suite ({@code ./verdict reliability --short}): every scenario once, on the real
 * stack, each with fewer faults and shorter outages than the documented run. Every row must be clean.
 */
class ReliabilitySuiteIT {

    @Test
    void nothingIsLostDuplicatedReorderedOrBrokenUnderCrashesOutagesGapsDuplicatesAndPoison() throws Exception {
        Path home = Files.createTempDirectory("verdict-reliability-it");
        StackConfig config = StackConfig.onFreePorts(Path.of("..").toAbsolutePath().normalize(), home);
        List<ReliabilitySuite.Row> rows;
        try (Stack stack = new Stack(config, System.out,
                ReliabilitySuite.serviceEnvironment(ReliabilitySuite.Settings.brief()))) {
            stack.start();
            rows = new ReliabilitySuite(stack, ReliabilitySuite.Settings.brief(), System.out).run();
        }
        String report = ReliabilitySuite.markdown(rows, ReliabilitySuite.Settings.brief(), "ReliabilitySuiteIT");
        Files.writeString(Path.of("target", "RELIABILITY-short.md"), report);
        ReliabilitySuite.removeIfClean(home, rows);
        assertThat(rows).hasSize(9);
        assertThat(rows).allSatisfy(row -> assertThat(row.clean()).as(report).isTrue());
    }
}
