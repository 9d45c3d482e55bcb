package dev.sluice.imports;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** XLSX imports: the bounds a workbook must keep to be read, and where shared strings are spilled. */
@ConfigMapping(prefix = "app.xlsx")
public interface XlsxConfig {
    /** Largest size one part of a workbook (a sheet, the shared strings) may inflate to. */
    @WithDefault("4G")
    MemorySize maxInflatedSize();

    /** Largest inflated/compressed ratio of a part (past the first 16 MB): above it the file is taken for a ZIP bomb. */
    @WithDefault("200")
    int maxCompressionRatio();

    /** Where the shared-strings table is spilled while an import reads it (default: the JVM's temporary directory). */
    Optional<String> tempDir();

    /** How long one ranged GET of a workbook's directory or small parts may take. */
    @WithDefault("60s")
    Duration readTimeout();
}
