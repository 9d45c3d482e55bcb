package dev.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @Test
    void every_migration_has_a_whole_number_version_which_is_all_the_start_up_check_compares() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("V<n>__*.sql only: V12_1 or R__ scripts would be skipped on a start that finds version 12")
                    .allMatch(name -> VERSIONED.matcher(name).matches());
        }
    }

    @Test
    void the_latest_version_is_the_highest_migration_so_a_new_migration_cannot_be_skipped_at_start()
            throws IOException {
        int highest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            highest = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElseThrow();
        }
        assertThat(SchemaVersion.LATEST)
                .as("SchemaVersion.LATEST must name the newest db/migration/V<n>__*.sql")
                .isEqualTo(highest);
    }
}
