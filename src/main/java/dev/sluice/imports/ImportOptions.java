package dev.sluice.imports;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.attribute.AttributeRules;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to run an import. mode: apply | dry-run; onError: skip | abort; mapping: {field: header}, where
 * a field is a product field or {@code attr.<code>}; delimiter: one of , ; tab | (auto-detected when
 * absent); encoding: a charset name (UTF-8 with a Windows-1252 fallback when absent); unmapped:
 * ignore (the default: columns that feed nothing are listed, not stored) | create (a text attribute
 * is created for each); format: csv | xlsx (detected from the first bytes and the filename when
 * absent); sheet: an XLSX worksheet's name or 1-based index (the first visible one when absent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportOptions(
        String mode,
        String onError,
        Map<String, String> mapping,
        String delimiter,
        String encoding,
        String unmapped,
        String format,
        String sheet) {
    public static final ImportOptions DEFAULTS = new ImportOptions("apply", "skip", null, null, null, null, null, null);

    @JsonCreator
    public ImportOptions {}

    /** The CSV-era options; unmapped, format (csv | xlsx, detected when absent) and sheet unset. */
    public ImportOptions(String mode, String onError, Map<String, String> mapping, String delimiter, String encoding) {
        this(mode, onError, mapping, delimiter, encoding, null, null, null);
    }

    /** Whether columns that feed nothing get a text attribute each. */
    public boolean createUnmapped() {
        return "create".equals(unmapped);
    }

    public boolean xlsx() {
        return "xlsx".equals(format);
    }

    /** The same options with the format the file turned out to have. */
    public ImportOptions withFormat(String detected) {
        return new ImportOptions(mode, onError, mapping, delimiter, encoding, unmapped, detected, sheet);
    }

    public boolean dryRun() {
        return "dry-run".equals(mode);
    }

    public boolean abortOnError() {
        return "abort".equals(onError);
    }

    public Character delimiterChar() {
        if (delimiter == null) return null;
        return delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? '\t' : delimiter.charAt(0);
    }

    public Charset charset() {
        return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    }

    /** Fills defaults and checks every option; throws a 400 naming each bad one. */
    public ImportOptions validated() {
        List<FieldError> errors = new ArrayList<>();
        String m = mode == null ? "apply" : mode.strip().toLowerCase(Locale.ROOT);
        if (!m.equals("apply") && !m.equals("dry-run"))
            errors.add(new FieldError("options.mode", "must be apply or dry-run", mode));
        String e = onError == null ? "skip" : onError.strip().toLowerCase(Locale.ROOT);
        if (!e.equals("skip") && !e.equals("abort"))
            errors.add(new FieldError("options.onError", "must be skip or abort", onError));
        if (mapping != null) {
            mapping.forEach((field, header) -> {
                boolean attribute = field.startsWith(ColumnPlan.ATTRIBUTE_PREFIX)
                        && AttributeRules.CODE
                                .matcher(field.substring(ColumnPlan.ATTRIBUTE_PREFIX.length()))
                                .matches();
                if (!ColumnPlan.FIELDS.contains(field) && !attribute) {
                    errors.add(new FieldError(
                            "options.mapping." + field,
                            "is not a product field; use one of " + ColumnPlan.FIELDS + " or attr.<code>",
                            header));
                } else if (header == null || header.isBlank()) {
                    errors.add(new FieldError("options.mapping." + field, "must name a column of the file", header));
                }
            });
        }
        String d = delimiter;
        if (d != null && !d.isEmpty()) {
            if (d.equalsIgnoreCase("tab") || d.equals("\\t")) d = "\t";
            if (!List.of(",", ";", "\t", "|").contains(d)) {
                errors.add(new FieldError("options.delimiter", "must be one of , ; tab |", delimiter));
            }
        } else {
            d = null;
        }
        String enc = encoding == null || encoding.isBlank() ? null : encoding.strip();
        if (enc != null) {
            try {
                enc = Charset.forName(enc).name();
            } catch (RuntimeException ex) {
                errors.add(new FieldError("options.encoding", "is not a known charset", encoding));
            }
        }
        String u = unmapped == null ? null : unmapped.strip().toLowerCase(Locale.ROOT);
        if (u != null && !u.equals("ignore") && !u.equals("create"))
            errors.add(new FieldError("options.unmapped", "must be ignore or create", unmapped));
        String f = format == null || format.isBlank() ? null : format.strip().toLowerCase(Locale.ROOT);
        if (f != null && !f.equals("csv") && !f.equals("xlsx"))
            errors.add(new FieldError("options.format", "must be csv or xlsx", format));
        String sh = sheet == null || sheet.isBlank() ? null : sheet.strip();
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid import options", errors);
        return new ImportOptions(
                m,
                e,
                mapping == null || mapping.isEmpty() ? null : Map.copyOf(mapping),
                d,
                enc,
                "create".equals(u) ? u : null,
                f,
                sh);
    }
}
