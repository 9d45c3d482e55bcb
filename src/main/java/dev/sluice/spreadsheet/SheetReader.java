package dev.sluice.spreadsheet;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A worksheet's rows, pulled one at a time from its streamed, inflating XML part (StAX): memory is
 * one row, whatever the sheet's size. Cells come as text, the way an import reads them:
 * <ul>
 *   <li>shared strings (looked up in {@link SharedStrings}), inline strings, formula strings;
 *   <li>numbers in plain notation ({@code 12.50} → {@code 12.5}: a money format is only how it is shown);
 *   <li>numbers with a date or time format as ISO 8601 ({@link CellStyles});
 *   <li>booleans as {@code true}/{@code false}; formulas by their cached value;
 *   <li>error cells ({@code #DIV/0!}) by their text, and listed in {@link Row#errors()};
 *   <li>columns a row skips ({@code <c r="…">} jumps) as empty cells.
 * </ul>
 * Rows whose cells are all empty are skipped, like blank lines in a CSV. Blocking: a worker thread.
 */
public final class SheetReader implements Closeable {
    /** An error cell: its column, its reference (C17) and what it shows (#N/A). */
    public record CellError(int column, String ref, String value) {}

    /** A non-empty row: its number in the sheet (1-based, as Excel shows it) and its cells from column A. */
    public record Row(long number, String[] cells, List<CellError> errors) {}

    private final EntryInput in;
    private final XMLStreamReader x;
    private final String part;
    private final SharedStrings strings;
    private final CellStyles styles;
    private final boolean date1904;
    private long lastRow;
    private String[] cells = new String[16];
    private final StringBuilder text = new StringBuilder();
    private boolean ended;

    public SheetReader(EntryInput in, String part, SharedStrings strings, CellStyles styles, boolean date1904) {
        this.in = in;
        this.part = part;
        this.strings = strings;
        this.styles = styles;
        this.date1904 = date1904;
        this.x = Xml.open(in, part);
    }

    /** The file offset reached in the compressed sheet (a progress figure). */
    public long position() {
        return in.position();
    }

    /** The next non-empty row, or null after the last. */
    public Row next() {
        if (ended) return null;
        try {
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.START_ELEMENT && x.getLocalName().equals("row")) {
                    Row r = row();
                    if (r != null) return r;
                } else if (ev == XMLStreamConstants.END_ELEMENT
                        && x.getLocalName().equals("sheetData")) {
                    break;
                }
            }
            ended = true;
            return null;
        } catch (XMLStreamException e) {
            throw Xml.notXml(part, e);
        }
    }

    private Row row() throws XMLStreamException {
        String r = x.getAttributeValue(null, "r");
        long number = r == null ? lastRow + 1 : parseRow(r);
        lastRow = number;
        int width = 0, col = -1;
        boolean any = false;
        List<CellError> errors = null;
        while (x.hasNext()) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT && x.getLocalName().equals("c")) {
                String ref = x.getAttributeValue(null, "r");
                int c = ref == null ? col + 1 : CellRef.column(ref);
                if (c < 0) c = col + 1;
                if (c >= CellRef.MAX_COLUMNS)
                    throw ZipDirectory.corrupt("row " + number + " has a cell past column XFD");
                col = c;
                String type = x.getAttributeValue(null, "t");
                String style = x.getAttributeValue(null, "s");
                String value = cell(type, style);
                if (value == null || value.isEmpty()) continue;
                if (c >= cells.length) cells = Arrays.copyOf(cells, Math.max(c + 1, cells.length * 2));
                for (int k = width; k < c; k++) cells[k] = "";
                if (c < width) {
                    cells[c] = value; // cells out of order: rare, but the last one wins
                } else {
                    cells[c] = value;
                    width = c + 1;
                }
                if (!value.isBlank()) any = true;
                if ("e".equals(type)) {
                    if (errors == null) errors = new ArrayList<>(1);
                    errors.add(new CellError(c, CellRef.of(c, number), value));
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("row")) {
                break;
            }
        }
        if (!any) return null;
        return new Row(number, Arrays.copyOf(cells, width), errors == null ? List.of() : errors);
    }

    /** Reads one {@code <c>} up to its end tag; its value as text ("" when it has none). */
    private String cell(String type, String style) throws XMLStreamException {
        String v = null;
        text.setLength(0);
        boolean inline = false;
        int phonetic = 0;
        while (x.hasNext()) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                switch (x.getLocalName()) {
                    case "v" -> v = x.getElementText();
                    case "f" -> x.getElementText(); // the formula itself: its cached value is in <v>
                    case "is" -> inline = true;
                    case "rPh" -> phonetic++;
                    case "t" -> {
                        if (inline && phonetic == 0) text.append(x.getElementText());
                    }
                    default -> {}
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                String name = x.getLocalName();
                if (name.equals("rPh")) phonetic--;
                else if (name.equals("c")) break;
            }
        }
        if (type == null || type.equals("n")) {
            if (v == null) return "";
            CellStyles.Kind kind = style == null ? CellStyles.Kind.NUMBER : styles.kind(parseInt(style));
            return kind == CellStyles.Kind.NUMBER ? CellValues.number(v) : CellValues.date(v, kind, date1904);
        }
        return switch (type) {
            case "s" -> {
                if (v == null || v.isBlank()) yield "";
                String s = strings.get(parseInt(v));
                if (s == null)
                    throw ZipDirectory.corrupt(
                            "a cell refers to shared string " + v.strip() + ", which the table lacks");
                yield s;
            }
            case "inlineStr" -> inline ? Xml.unescape(text.toString()) : v == null ? "" : Xml.unescape(v);
            case "str" -> v == null ? "" : Xml.unescape(v);
            case "b" -> v == null ? "" : "1".equals(v.strip()) || "true".equals(v.strip()) ? "true" : "false";
            case "e" -> v == null ? "#ERROR" : v.strip();
            case "d" -> v == null ? "" : CellValues.isoDate(v);
            default -> v == null ? "" : v;
        };
    }

    private static long parseRow(String r) {
        try {
            return Long.parseLong(r.strip());
        } catch (NumberFormatException e) {
            throw ZipDirectory.corrupt("a row number is not a number (" + r + ")");
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        Xml.close(x);
        in.close();
    }
}
