package dev.sluice.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A one-sheet XLSX written as a stream: rows go straight into the deflated sheet entry, and
 * {@link #drain()} hands over the bytes produced so far, so memory stays at one batch of rows
 * whatever the row count. Text is written as inline strings (never evaluated); text that looks
 * like a formula also gets Excel's quote-prefix style.
 *
 * <p>Rows are written cell by cell ({@link #startRow}, {@link #text}, {@link #number}, {@link #bool},
 * {@link #skip}, {@link #endRow}) as UTF-8 straight into a byte buffer: no boxed cells, no
 * intermediate strings. Deflating was most of an export's CPU (45 % of the samples of a 1M-row
 * export at the default level): the sheet is deflated at {@link Deflater#BEST_SPEED}, which costs
 * a larger file (see docs/benchmarks.md) for a several times cheaper deflate.
 */
public final class XlsxStream {
    private static final String CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>""";
    private static final String ROOT_RELS = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>""";
    private static final String WORKBOOK_RELS = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>""";
    private static final String STYLES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>""";

    private static final byte[] ROW_END = ascii("</row>");
    private static final byte[] TEXT_START = ascii("\" t=\"inlineStr\"><is><t>");
    private static final byte[] TEXT_PRESERVED_START = ascii("\" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
    private static final byte[] TEXT_RISKY_START = ascii("\" t=\"inlineStr\" s=\"1\"><is><t>");
    private static final byte[] TEXT_RISKY_PRESERVED_START =
            ascii("\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">");
    private static final byte[] HEADER_START = ascii("\" t=\"inlineStr\" s=\"2\"><is><t xml:space=\"preserve\">");
    private static final byte[] TEXT_END = ascii("</t></is></c>");
    private static final byte[] NUMBER_START = ascii("\"><v>");
    private static final byte[] BOOL_TRUE = ascii("\" t=\"b\"><v>1</v></c>");
    private static final byte[] BOOL_FALSE = ascii("\" t=\"b\"><v>0</v></c>");
    private static final byte[] NUMBER_END = ascii("</v></c>");

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(64 * 1024);
    private final ZipOutputStream zip = new ZipOutputStream(sink, StandardCharsets.UTF_8);
    private final Bytes xml = new Bytes(256 * 1024);
    /** {@code <c r="} and the column's letters, per column, grown as needed. */
    private byte[][] cellStarts = new byte[0][];

    private int row;
    private byte[] rowDigits = new byte[0];
    private int column;

    public XlsxStream(String sheetName, List<String> header) {
        try {
            entry("[Content_Types].xml", CONTENT_TYPES);
            entry("_rels/.rels", ROOT_RELS);
            entry("xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                    <sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>""".formatted(escape(sheetName)));
            entry("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
            entry("xl/styles.xml", STYLES);
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            xml.ascii("""
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                    <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
                    <sheetData>""");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startRow();
        for (String h : header) {
            cellStart();
            xml.append(HEADER_START).text(h).append(TEXT_END);
        }
        endRow();
    }

    /** Opens the next row; its cells follow, from the first column on. */
    public void startRow() {
        row++;
        rowDigits = ascii(Integer.toString(row));
        column = 0;
        xml.ascii("<row r=\"").append(rowDigits).ascii("\">");
    }

    public void endRow() {
        xml.append(ROW_END);
    }

    /** The next column stays empty. */
    public void skip() {
        column++;
    }

    /** Text, or an empty cell for null. Text that looks like a formula gets the quote-prefix style. */
    public void text(String s) {
        if (s == null) {
            skip();
            return;
        }
        cellStart();
        boolean preserve = !s.isEmpty() && (isSpace(s.charAt(0)) || isSpace(s.charAt(s.length() - 1)));
        boolean risky = SpreadsheetSafe.risky(s);
        xml.append(
                        risky
                                ? preserve ? TEXT_RISKY_PRESERVED_START : TEXT_RISKY_START
                                : preserve ? TEXT_PRESERVED_START : TEXT_START)
                .text(s)
                .append(TEXT_END);
    }

    /**
     * A number given as plain decimal text (as PostgreSQL prints numeric and integer values), or an
     * empty cell for null. Anything but a decimal number is refused rather than spliced into the XML.
     */
    public void number(String plain) {
        if (plain == null) {
            skip();
            return;
        }
        if (!decimal(plain)) throw new IllegalArgumentException("Not a plain decimal number: " + plain);
        cellStart();
        xml.append(NUMBER_START).ascii(plain).append(NUMBER_END);
    }

    public void bool(boolean b) {
        cellStart();
        xml.append(b ? BOOL_TRUE : BOOL_FALSE);
    }

    /** {@code <c r="B12}: the reference of the current column in the current row. */
    private void cellStart() {
        if (column >= cellStarts.length) {
            byte[][] grown = new byte[Math.max(column + 1, cellStarts.length * 2)][];
            System.arraycopy(cellStarts, 0, grown, 0, cellStarts.length);
            for (int i = cellStarts.length; i < grown.length; i++) grown[i] = ascii("<c r=\"" + column(i));
            cellStarts = grown;
        }
        xml.append(cellStarts[column++]).append(rowDigits);
    }

    /** The bytes of the file produced since the last call. */
    public byte[] drain() {
        try {
            zip.write(xml.buf, 0, xml.len);
            xml.len = 0;
            zip.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] out = sink.toByteArray();
        sink.reset();
        return out;
    }

    /** Closes the sheet and the archive; returns the last bytes. */
    public byte[] finish() {
        xml.ascii("</sheetData></worksheet>");
        byte[] rest = drain();
        try {
            zip.closeEntry();
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] tail = sink.toByteArray();
        byte[] out = new byte[rest.length + tail.length];
        System.arraycopy(rest, 0, out, 0, rest.length);
        System.arraycopy(tail, 0, out, rest.length, tail.length);
        return out;
    }

    private void entry(String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    static String column(int index) {
        StringBuilder sb = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) sb.insert(0, (char) ('A' + (n - 1) % 26));
        return sb.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Digits with an optional sign, decimal point and exponent: what may stand in a {@code <v>}. */
    static boolean decimal(String s) {
        if (s.isEmpty() || s.length() > 400) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** XML-escapes text and drops characters XML 1.0 cannot carry. */
    static String escape(String s) {
        Bytes b = new Bytes(s.length() + 16);
        b.text(s);
        return new String(b.buf, 0, b.len, StandardCharsets.UTF_8);
    }

    /** A growable byte buffer that writes XML text as escaped UTF-8 in one pass. */
    private static final class Bytes {
        byte[] buf;
        int len;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }

        Bytes append(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        /** Text known to be ASCII (markup, digits). */
        Bytes ascii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
            return this;
        }

        /**
         * XML-escaped UTF-8: {@code & < > "} as entities; controls other than tab, LF and CR, U+FFFE,
         * U+FFFF and unpaired surrogates dropped (XML 1.0 cannot carry them).
         */
        Bytes text(String s) {
            int n = s.length();
            room(n * 6); // the longest escape, "&quot;", is 6 bytes for 1 char; UTF-8 is at most 3 per char
            byte[] b = buf;
            int at = len;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    switch (c) {
                        case '&' -> at = put(b, at, "&amp;");
                        case '<' -> at = put(b, at, "&lt;");
                        case '>' -> at = put(b, at, "&gt;");
                        case '"' -> at = put(b, at, "&quot;");
                        default -> {
                            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') b[at++] = (byte) c;
                        }
                    }
                } else if (c < 0x800) {
                    b[at++] = (byte) (0xC0 | c >> 6);
                    b[at++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[at++] = (byte) (0xF0 | cp >> 18);
                    b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[at++] = (byte) (0x80 | cp & 0x3F);
                } else if (!Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF) {
                    b[at++] = (byte) (0xE0 | c >> 12);
                    b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                    b[at++] = (byte) (0x80 | c & 0x3F);
                }
            }
            len = at;
            return this;
        }

        private static int put(byte[] b, int at, String entity) {
            for (int i = 0; i < entity.length(); i++) b[at++] = (byte) entity.charAt(i);
            return at;
        }
    }
}
