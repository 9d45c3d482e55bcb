package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The parser stage for CSV: a framed chunk → its records as cells, each with its line. Decodes the
 * bytes ({@link ChunkDecoder}), reads the header from the first chunk (or takes the job's stored one
 * when a run resumes mid-file) and parses ({@link CsvChunkParser}). Used by one thread at a time, in
 * chunk order.
 */
public final class CsvRecordReader implements RecordReader {
    /** A chunk's records: {@code rows.get(i)} is the record at {@code lines[i]}, null when it isn't valid CSV. */
    public record Records(List<String[]> rows, long[] lines) {
        public String[] cells(int i) {
            return i < rows.size() ? rows.get(i) : null;
        }
    }

    private final ObjectMapper json;
    private final ChunkDecoder decoder;
    private Character delimiter;
    private CsvChunkParser parser;
    private List<String> header;
    private String notes;

    /** {@code encoding}, {@code headerJson}: what a resumed run stored; null from the first byte. */
    CsvRecordReader(
            ImportOptions options,
            ObjectMapper json,
            String encoding,
            String delimiter,
            String headerJson,
            String notes) {
        this.json = json;
        boolean explicit = options.encoding() != null;
        Charset cs = encoding != null ? Charset.forName(encoding) : options.charset();
        this.decoder = new ChunkDecoder(cs, explicit || encoding != null && !cs.equals(StandardCharsets.UTF_8));
        this.delimiter = options.delimiterChar() != null
                ? options.delimiterChar()
                : delimiter != null && !delimiter.isEmpty() ? delimiter.charAt(0) : null;
        this.notes = notes;
        if (headerJson != null) {
            try {
                header = json.readValue(headerJson, new TypeReference<List<String>>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored header is not JSON", e);
            }
        }
    }

    /** The chunk's records with where the file stands after it. */
    RecordReader.Parsed parse(RecordFramer.Chunk chunk) {
        return new RecordReader.Parsed(read(chunk), null, chunk.endOffset(), chunk.endLine(), chunk.last());
    }

    public Records read(RecordFramer.Chunk chunk) {
        long[] lines = chunk.lines();
        String text = lines.length == 0 ? "" : decoder.decode(chunk.data(), lines[0]);
        if (header == null) {
            if (lines.length == 0) throw new ImportFailure("The file is empty: it needs a header row");
            String headerLine = CsvChunkParser.splitRecords(text, delimiter).getFirst();
            CsvChunkParser.Header h = CsvChunkParser.readHeader(headerLine, delimiter);
            if (h == null) throw new ImportFailure("Line " + lines[0] + ": the header row is not valid CSV");
            delimiter = h.delimiter();
            header = List.copyOf(
                    h.columns().stream().map(s -> s == null ? "" : s).toList());
            text = text.substring(headerLine.length()); // chunks start exactly at their first record
            lines = Arrays.copyOfRange(lines, 1, lines.length);
        }
        if (parser == null) parser = new CsvChunkParser(delimiter == null ? ',' : delimiter);
        List<String[]> rows = lines.length == 0 ? List.of() : parser.parse(text, lines.length);
        if (decoder.fallbackNote() != null && notes == null) notes = decoder.fallbackNote();
        return new Records(rows, lines);
    }

    /** The header's cells; null before the first chunk. */
    @Override
    public List<String> header() {
        return header;
    }

    /** The delimiter when known (given, stored, or detected from the header); null before the header. */
    public Character delimiterChar() {
        return delimiter;
    }

    /** What a resumed run needs to carry on mid-file, stored with each checkpoint. */
    @Override
    public ImportSql.ParseState state() {
        String headerJson;
        try {
            // Stored as text, which can't hold NUL: a NUL in a header cell is kept as U+FFFD.
            headerJson = header == null ? null : Json.pgSafe(json.writeValueAsString(header));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new ImportSql.ParseState(
                decoder.charset().name(), delimiter == null ? null : String.valueOf(delimiter), headerJson, notes);
    }
}
