package dev.sluice.imports;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text of whole records → rows, with jackson-dataformat-csv (RFC 4180 quoting, quoted newlines,
 * CRLF). CPU work on text already in memory: callers run it on a worker thread. A chunk that
 * Jackson refuses is re-parsed record by record, so one malformed row costs only that row.
 */
public final class CsvChunkParser {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();
    private final ObjectReader reader;
    private final char delimiter;

    public CsvChunkParser(char delimiter) {
        this.delimiter = delimiter;
        this.reader = MAPPER.readerFor(String[].class)
                .with(CsvSchema.emptySchema()
                        .withColumnSeparator(delimiter)
                        .withQuoteChar('"')
                        .withoutEscapeChar());
    }

    /** Parses; a row that can't be parsed comes back as null in its place. */
    public List<String[]> parse(String text, int expectedRecords) {
        try {
            List<String[]> rows = parseAll(text);
            if (rows.size() == expectedRecords) return rows;
        } catch (IOException | RuntimeException e) {
            // fall through to record-by-record parsing
        }
        List<String[]> rows = new ArrayList<>(expectedRecords);
        for (String record : splitRecords(text, delimiter)) {
            try {
                List<String[]> one = parseAll(record);
                rows.add(one.size() == 1 ? one.getFirst() : null);
            } catch (IOException | RuntimeException e) {
                rows.add(null);
            }
        }
        return rows;
    }

    private List<String[]> parseAll(String text) throws IOException {
        try (MappingIterator<String[]> it = reader.readValues(text)) {
            return it.readAll();
        }
    }

    /** Same boundaries as {@link RecordFramer}: LF outside quotes; blank records dropped. */
    static List<String> splitRecords(String text, Character delimiter) {
        List<String> out = new ArrayList<>();
        CsvQuoteState quotes = new CsvQuoteState(delimiter);
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (quotes.step(text.charAt(i))) {
                add(out, text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) add(out, text.substring(start));
        return out;
    }

    private static void add(List<String> out, String record) {
        if (!record.isBlank()) out.add(record);
    }

    /** A header record's cells and the delimiter they were split on. */
    public record Header(char delimiter, List<String> columns) {}

    /** Reads a header record with the given delimiter, or the one detected from it; null when it isn't valid CSV. */
    public static Header readHeader(String headerLine, Character delimiter) {
        char d = delimiter != null ? delimiter : detectDelimiter(headerLine);
        List<String[]> parsed = new CsvChunkParser(d).parse(headerLine, 1);
        return parsed.isEmpty() || parsed.getFirst() == null ? null : new Header(d, Arrays.asList(parsed.getFirst()));
    }

    /** Picks the delimiter that occurs most often outside quotes in the header line (',' on a tie or none). */
    public static char detectDelimiter(String headerLine) {
        char[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int i = 0; i < headerLine.length(); i++) {
            char c = headerLine.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) if (c == candidates[k]) counts[k]++;
            }
        }
        int best = 0;
        for (int k = 1; k < candidates.length; k++) if (counts[k] > counts[best]) best = k;
        return candidates[best];
    }
}
