package dev.sluice.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A one-sheet XLSX written as a stream: rows go straight into the deflated sheet entry, and
 * {@link #drain()} hands over the bytes produced so far, so memory stays at one batch of rows
 * whatever the row count. Text is written as inline strings (never evaluated); text that looks
 * like a formula also gets Excel's quote-prefix style.
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

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(64 * 1024);
    private final ZipOutputStream zip = new ZipOutputStream(sink, StandardCharsets.UTF_8);
    private final StringBuilder xml = new StringBuilder(64 * 1024);
    private int row;

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
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            xml.append("""
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                    <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
                    <sheetData>""");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        row(true, header.toArray());
    }

    /** One row: String, Number, Boolean or null (an empty cell). */
    public void row(Object... cells) {
        row(false, cells);
    }

    private void row(boolean bold, Object[] cells) {
        row++;
        xml.append("<row r=\"").append(row).append("\">");
        for (int i = 0; i < cells.length; i++) {
            Object v = cells[i];
            if (v == null) continue;
            String ref = column(i) + row;
            switch (v) {
                case Boolean b ->
                    xml.append("<c r=\"")
                            .append(ref)
                            .append("\" t=\"b\"><v>")
                            .append(b ? 1 : 0)
                            .append("</v></c>");
                case BigDecimal d ->
                    xml.append("<c r=\"")
                            .append(ref)
                            .append("\"><v>")
                            .append(d.toPlainString())
                            .append("</v></c>");
                case Number n ->
                    xml.append("<c r=\"").append(ref).append("\"><v>").append(n).append("</v></c>");
                default -> {
                    String s = v.toString();
                    int style = bold ? 2 : SpreadsheetSafe.risky(s) ? 1 : 0;
                    xml.append("<c r=\"").append(ref).append("\" t=\"inlineStr\"");
                    if (style != 0) xml.append(" s=\"").append(style).append('"');
                    xml.append("><is><t xml:space=\"preserve\">")
                            .append(escape(s))
                            .append("</t></is></c>");
                }
            }
        }
        xml.append("</row>");
    }

    /** The bytes of the file produced since the last call. */
    public byte[] drain() {
        try {
            zip.write(xml.toString().getBytes(StandardCharsets.UTF_8));
            xml.setLength(0);
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
        xml.append("</sheetData></worksheet>");
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

    /** XML-escapes text and drops characters XML 1.0 cannot carry. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (c == 0xFFFE || c == 0xFFFF) continue;
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
