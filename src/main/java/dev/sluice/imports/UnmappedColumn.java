package dev.sluice.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A column of the file that feeds no field and no attribute: its header, a sample value (the first
 * non-empty one near the top of the file), and, with option unmapped=create, the attribute created for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record UnmappedColumn(String name, String sample, String attribute) {}
