package dev.sluice.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The start of an uploaded file as an import would read it: format (csv | xlsx), the workbook's
 * worksheets and the one read ({@code sheet}), the header, up to 10 rows, a suggested mapping
 * {field: header}, and for CSV the encoding and delimiter.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadPreview(
        String format,
        List<SheetInfo> sheets,
        String sheet,
        List<String> header,
        List<List<String>> rows,
        Map<String, String> suggestedMapping,
        String encoding,
        String delimiter) {
    /** A worksheet: its name, 1-based index and whether it is visible. */
    @RegisterForReflection
    public record SheetInfo(String name, int index, boolean visible) {}
}
