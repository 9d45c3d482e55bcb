package dev.sluice.imports;

import dev.sluice.common.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsing side of one run: decoder → parser → mapper, turning framed chunks into batches.
 * Resolves the header from the first chunk (or takes it from the job when resuming mid-file).
 * Used by one thread at a time, in chunk order.
 */
public final class RunState {
    private final ImportOptions options;
    private final ObjectMapper json;
    private final ChunkDecoder decoder;
    private Character delimiter;
    private CsvChunkParser parser;
    private ColumnPlan plan;
    private RowMapper mapper;
    private List<String> header;
    private String notes;

    RunState(ImportOptions options, ObjectMapper json, String encoding, String delimiter, String headerJson, String notes) {
        this.options = options;
        this.json = json;
        boolean explicit = options.encoding() != null;
        java.nio.charset.Charset cs = encoding != null ? java.nio.charset.Charset.forName(encoding) : options.charset();
        this.decoder = new ChunkDecoder(cs, explicit || encoding != null && !cs.equals(StandardCharsets.UTF_8));
        this.delimiter = options.delimiterChar() != null ? options.delimiterChar()
                : delimiter != null && !delimiter.isEmpty() ? delimiter.charAt(0) : null;
        this.notes = notes;
        if (headerJson != null) {
            try {
                useHeader(json.readValue(headerJson, new TypeReference<List<String>>() {}));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored header is not JSON", e);
            }
        }
    }

    public Batch toBatch(RecordFramer.Chunk chunk) {
        long[] lines = chunk.lines();
        String text = lines.length == 0 ? "" : decoder.decode(chunk.data(), lines[0]);
        if (plan == null) {
            if (lines.length == 0) throw new ImportFailure("The file is empty: it needs a header row");
            List<String> records = CsvChunkParser.splitRecords(text, delimiter);
            String headerLine = records.getFirst();
            CsvChunkParser.Header h = CsvChunkParser.readHeader(headerLine, delimiter);
            if (h == null) throw new ImportFailure("Line " + lines[0] + ": the header row is not valid CSV");
            delimiter = h.delimiter();
            parser = new CsvChunkParser(delimiter);
            try {
                useHeader(h.columns());
            } catch (ApiException e) {
                throw new ImportFailure(e.getMessage());
            }
            text = text.substring(headerLine.length()); // chunks start exactly at their first record
            lines = Arrays.copyOfRange(lines, 1, lines.length);
        }
        if (parser == null) parser = new CsvChunkParser(delimiter == null ? ',' : delimiter);
        List<String[]> rows = lines.length == 0 ? List.of() : parser.parse(text, lines.length);
        List<MappedRow.Valid> valid = new ArrayList<>(rows.size());
        List<RejectedRow> rejects = new ArrayList<>(0);
        Map<Long, List<String>> raw = Map.of();
        for (int i = 0; i < lines.length; i++) {
            switch (mapper.map(i < rows.size() ? rows.get(i) : null, lines[i])) {
                case MappedRow.Valid v -> {
                    valid.add(v);
                    if (v.raw() != null) {
                        if (raw.isEmpty()) raw = new HashMap<>();
                        raw.put(v.line(), v.raw());
                    }
                }
                case MappedRow.Rejected r -> rejects.add(r.row());
            }
        }
        if (decoder.fallbackNote() != null && notes == null) notes = decoder.fallbackNote();
        return new Batch(ProductColumns.of(valid, plan.present()), rejects, raw, chunk.endOffset(), chunk.endLine(), chunk.last());
    }

    private void useHeader(List<String> h) {
        header = List.copyOf(h.stream().map(s -> s == null ? "" : s).toList());
        plan = ColumnPlan.resolve(header, options.mapping());
        mapper = new RowMapper(plan);
    }

    public String encoding() {
        return decoder.charset().name();
    }

    /** The delimiter when known (given, stored, or detected from the header); null before the header. */
    public Character delimiterChar() {
        return delimiter;
    }

    public String delimiter() {
        return delimiter == null ? null : String.valueOf(delimiter);
    }

    public String headerJson() {
        try {
            // Stored as text, which can't hold NUL: a NUL in a header cell is kept as U+FFFD.
            return header == null ? null : Json.pgSafe(json.writeValueAsString(header));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> header() {
        return header;
    }

    /** The product fields the file has columns for; null before the header is known. */
    public List<String> present() {
        return plan == null ? null : plan.present();
    }

    public String notes() {
        return notes;
    }
}
