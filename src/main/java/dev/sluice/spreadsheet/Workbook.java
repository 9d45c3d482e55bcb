package dev.sluice.spreadsheet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What an XLSX holds, read from its small parts (the ZIP directory, the package and workbook
 * relationships, workbook.xml): its worksheets in tab order with their state, where the shared
 * strings and styles are, and the date system. Opening one costs a few ranged reads.
 */
public final class Workbook {
    private static final String R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /** A worksheet tab: its name, 1-based position among the worksheets, visibility and part name. */
    public record Sheet(String name, int index, boolean visible, String part) {}

    private final RangeSource source;
    private final XlsxLimits limits;
    private final ZipDirectory zip;
    private final List<Sheet> sheets;
    private final String sharedStringsPart;
    private final String stylesPart;
    private final boolean date1904;

    private Workbook(
            RangeSource source,
            XlsxLimits limits,
            ZipDirectory zip,
            List<Sheet> sheets,
            String sharedStringsPart,
            String stylesPart,
            boolean date1904) {
        this.source = source;
        this.limits = limits;
        this.zip = zip;
        this.sheets = sheets;
        this.sharedStringsPart = sharedStringsPart;
        this.stylesPart = stylesPart;
        this.date1904 = date1904;
    }

    public static Workbook open(RangeSource source, XlsxLimits limits) {
        Formats.requireZip(source.read(0, Formats.PROBE));
        ZipDirectory zip = ZipDirectory.read(source, limits);
        String main = "xl/workbook.xml";
        for (Rel r : rels(source, limits, zip, "_rels/.rels", "")) {
            if (r.type.endsWith("/officedocument")) main = r.target;
        }
        if (zip.entry(main) == null) {
            if (zip.entry("EncryptedPackage") != null) throw Formats.encrypted();
            throw new XlsxException("The file is a ZIP archive but not an XLSX workbook (it has no " + main + ")");
        }
        String base = main.contains("/") ? main.substring(0, main.lastIndexOf('/') + 1) : "";
        String relsPart = base + "_rels/" + main.substring(base.length()) + ".rels";
        Map<String, Rel> byId = new HashMap<>();
        String shared = null, styles = null;
        for (Rel r : rels(source, limits, zip, relsPart, base)) {
            byId.put(r.id, r);
            if (r.type.endsWith("/sharedstrings")) shared = r.target;
            if (r.type.endsWith("/styles")) styles = r.target;
        }
        List<Sheet> sheets = new ArrayList<>();
        boolean[] date1904 = {false};
        read(source, limits, zip, main, x -> {
            if (x.getLocalName().equals("workbookPr")) {
                String d = x.getAttributeValue(null, "date1904");
                date1904[0] = "1".equals(d) || "true".equalsIgnoreCase(d);
            } else if (x.getLocalName().equals("sheet")) {
                Rel rel = byId.get(x.getAttributeValue(R_NS, "id"));
                // Chart sheets and dialog sheets have no cells to import.
                if (rel == null || !rel.type.endsWith("/worksheet")) return;
                String state = x.getAttributeValue(null, "state");
                sheets.add(new Sheet(
                        x.getAttributeValue(null, "name"),
                        sheets.size() + 1,
                        state == null || state.equals("visible"),
                        rel.target));
            }
        });
        if (sheets.isEmpty()) throw new XlsxException("The workbook has no worksheet");
        return new Workbook(
                source,
                limits,
                zip,
                List.copyOf(sheets),
                shared != null && zip.entry(shared) != null ? shared : null,
                styles != null && zip.entry(styles) != null ? styles : null,
                date1904[0]);
    }

    public List<Sheet> sheets() {
        return sheets;
    }

    public List<String> sheetNames() {
        return sheets.stream().map(Sheet::name).toList();
    }

    /**
     * The worksheet a {@code sheet} option names: null → the first visible one; a name (any letter
     * case) or a 1-based position among the worksheets. Throws {@link UnknownSheetException} listing them.
     */
    public Sheet select(String wanted) {
        if (wanted == null || wanted.isBlank()) {
            return sheets.stream().filter(Sheet::visible).findFirst().orElse(sheets.getFirst());
        }
        String w = wanted.strip();
        for (Sheet s : sheets) if (s.name().equals(w)) return s;
        for (Sheet s : sheets) if (s.name().equalsIgnoreCase(w)) return s;
        if (w.matches("\\d{1,6}")) {
            int i = Integer.parseInt(w);
            if (i >= 1 && i <= sheets.size()) return sheets.get(i - 1);
        }
        throw new UnknownSheetException(wanted, sheetNames());
    }

    public boolean date1904() {
        return date1904;
    }

    /** The sheet's entry, inflating as it is read. */
    public EntryInput openPart(String part) {
        ZipDirectory.Entry e = zip.entry(part);
        if (e == null) throw ZipDirectory.corrupt("its part " + part + " is missing");
        return EntryInput.open(source, e, limits);
    }

    public String sharedStringsPart() {
        return sharedStringsPart;
    }

    public CellStyles styles() {
        return stylesPart == null ? CellStyles.NONE : CellStyles.read(openPart(stylesPart), stylesPart);
    }

    public XlsxLimits limits() {
        return limits;
    }

    /** The whole shared-strings table, spilled to disk as it streams ({@link DiskSharedStrings}). */
    public SharedStrings spilledStrings() {
        return sharedStringsPart == null
                ? SharedStrings.EMPTY
                : DiskSharedStrings.build(openPart(sharedStringsPart), sharedStringsPart, limits.tempDir());
    }

    /** The first {@code maxItems} shared strings at most, read as lookups reach them (for probes). */
    public SharedStrings firstStrings(int maxItems) {
        return sharedStringsPart == null
                ? SharedStrings.EMPTY
                : new PrefixSharedStrings(openPart(sharedStringsPart), sharedStringsPart, maxItems);
    }

    /** The sheet's rows; closing the reader closes its stream (the strings are the caller's). */
    public SheetReader rows(Sheet sheet, SharedStrings strings, CellStyles styles) {
        return new SheetReader(openPart(sheet.part()), sheet.part(), strings, styles, date1904);
    }

    private record Rel(String id, String type, String target) {}

    private static List<Rel> rels(RangeSource source, XlsxLimits limits, ZipDirectory zip, String part, String base) {
        List<Rel> out = new ArrayList<>();
        if (zip.entry(part) == null) return out;
        read(source, limits, zip, part, x -> {
            if (!x.getLocalName().equals("Relationship")) return;
            if ("External".equals(x.getAttributeValue(null, "TargetMode"))) return;
            String target = x.getAttributeValue(null, "Target");
            String type = x.getAttributeValue(null, "Type");
            if (target == null || type == null) return;
            out.add(new Rel(x.getAttributeValue(null, "Id"), type.toLowerCase(Locale.ROOT), resolve(base, target)));
        });
        return out;
    }

    /** A relationship target against the folder of the part that names it; a leading "/" is from the root. */
    static String resolve(String base, String target) {
        String path = target.startsWith("/") ? target.substring(1) : base + target;
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
            } else parts.addLast(p);
        }
        return String.join("/", parts);
    }

    private interface OnElement {
        void start(XMLStreamReader x);
    }

    private static void read(RangeSource source, XlsxLimits limits, ZipDirectory zip, String part, OnElement each) {
        try (EntryInput in = EntryInput.open(source, zip.entry(part), limits)) {
            XMLStreamReader x = Xml.open(in, part);
            try {
                while (x.hasNext()) {
                    if (x.next() == XMLStreamConstants.START_ELEMENT) each.start(x);
                }
            } finally {
                Xml.close(x);
            }
        } catch (XMLStreamException e) {
            throw Xml.notXml(part, e);
        }
    }
}
