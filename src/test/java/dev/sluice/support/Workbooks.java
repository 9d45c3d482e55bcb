package dev.sluice.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CreationHelper;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Workbooks made by Apache POI (an independent producer), and broken ones: the bytes tests import.
 * <p>
 * {@link #catalog(String)}: a hidden first sheet "Old", then "Products" (the first visible one) with
 * shared strings, a money-formatted price, dates, formulas with cached values, booleans, an error
 * cell, a skipped cell and a blank row, then "Extra".
 */
public final class Workbooks {
    private Workbooks() {}

    public static byte[] catalog(String p) {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            CreationHelper help = wb.getCreationHelper();
            CellStyle money = wb.createCellStyle();
            money.setDataFormat(help.createDataFormat().getFormat("#,##0.00\\ [$€-407]"));
            CellStyle day = wb.createCellStyle();
            day.setDataFormat(help.createDataFormat().getFormat("yyyy-mm-dd"));
            CellStyle stamp = wb.createCellStyle();
            stamp.setDataFormat((short) 22); // built-in m/d/yy h:mm

            Sheet old = wb.createSheet("Old");
            row(old, 0, "sku", "name");
            row(old, 1, p + "-OLD", "From the hidden sheet");

            Sheet s = wb.createSheet("Products");
            row(s, 0, "sku", "name", "price", "quantity", "active", "description");
            Row r1 = row(s, 1, p + "-1", "Kettle");
            r1.createCell(2).setCellValue(12.50);
            r1.getCell(2).setCellStyle(money);
            r1.createCell(3).setCellValue(3);
            r1.createCell(4).setCellValue(true);
            r1.createCell(5).setCellValue(new GregorianCalendar(2024, Calendar.MARCH, 1));
            r1.getCell(5).setCellStyle(day);
            Row r2 = row(s, 2, p + "-2");
            r2.createCell(1).setCellFormula("B2&\" lid\"");
            r2.createCell(2).setCellFormula("C2*2");
            r2.createCell(3).setCellValue(0);
            r2.createCell(4).setCellValue(false);
            r2.createCell(5).setCellValue(new GregorianCalendar(2024, Calendar.MARCH, 1, 9, 30, 0));
            r2.getCell(5).setCellStyle(stamp);
            // row 4 (index 3) left blank; row 5: a skipped column (no price cell) and an error cell
            Row r5 = row(s, 4, p + "-3", "Skipped price");
            r5.createCell(3).setCellValue(7);
            r5.createCell(5).setCellErrorValue(FormulaError.DIV0.getCode());
            Row r6 = row(s, 5, p + "-4", "Bad price", "abc");
            r6.createCell(3).setCellValue(1);
            wb.getCreationHelper().createFormulaEvaluator().evaluateAll();

            Sheet extra = wb.createSheet("Extra");
            row(extra, 0, "sku", "name");
            row(extra, 1, p + "-X", "From the third sheet");
            wb.setSheetHidden(0, true);
            wb.setActiveSheet(1);
            return bytes(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sku,name,price,quantity,active for n products, as SXSSF writes them: inline strings, streamed. */
    public static byte[] inlineStrings(String p, int n) {
        SXSSFWorkbook wb = new SXSSFWorkbook(100);
        try {
            Sheet s = wb.createSheet("Sheet1");
            row(s, 0, "sku", "name", "price", "quantity", "active");
            for (int i = 1; i <= n; i++) {
                Row r = row(s, i, String.format("%s-%05d", p, i), "Item " + i);
                r.createCell(2).setCellValue(i + 0.25);
                r.createCell(3).setCellValue(i);
                r.createCell(4).setCellValue(i % 2 == 0);
            }
            return bytes(wb);
        } finally {
            wb.dispose();
        }
    }

    /** Rows of sku,name via shared strings (XSSF), n of them. */
    public static byte[] sharedStrings(String p, int n) {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet s = wb.createSheet("Data");
            row(s, 0, "sku", "name", "price");
            for (int i = 1; i <= n; i++) {
                Row r = row(s, i, String.format("%s-%05d", p, i), "Shared " + i);
                r.createCell(2).setCellValue(i);
            }
            return bytes(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A password-protected (agile-encrypted) workbook: an OLE2 container holding EncryptionInfo. */
    public static byte[] encrypted(String p) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor enc = info.getEncryptor();
            enc.confirmPassword("secret");
            try (OutputStream os = enc.getDataStream(fs)) {
                os.write(sharedStrings(p, 3));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An old binary .xls (BIFF8). */
    public static byte[] xls(String p) {
        try (HSSFWorkbook wb = new HSSFWorkbook()) {
            Sheet s = wb.createSheet("Products");
            row(s, 0, "sku", "name");
            row(s, 1, p + "-1", "Old format");
            return bytes(wb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-sheet workbook of sku,name rows written on a single line of XML (as some writers do). */
    public static byte[] oneLine(int rows) {
        StringBuilder sheet = new StringBuilder(
                "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        sheet.append(
                "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>sku</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>name</t></is></c></row>");
        for (int i = 2; i <= rows + 1; i++) {
            sheet.append("<row r=\"")
                    .append(i)
                    .append("\"><c r=\"A")
                    .append(i)
                    .append("\" t=\"inlineStr\"><is><t>S-")
                    .append(i)
                    .append("</t></is></c><c r=\"B")
                    .append(i)
                    .append("\" t=\"inlineStr\"><is><t>Name ")
                    .append(i)
                    .append("</t></is></c></row>");
        }
        sheet.append("</sheetData></worksheet>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            skeleton(zip);
            put(zip, "xl/worksheets/sheet1.xml", sheet.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void skeleton(ZipOutputStream zip) throws IOException {
        put(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        put(zip, "xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        put(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
    }

    /** A valid-looking workbook whose sheet inflates ~1000:1 to {@code megabytes} MB of spaces. */
    public static byte[] bomb(int megabytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            put(zip, "xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            put(zip, "xl/_rels/workbook.xml.rels", """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            zip.write(
                    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>sku</t></is></c></row>"
                            .getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < megabytes; i++) zip.write(spaces);
            zip.write("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static Row row(Sheet s, int index, String... values) {
        Row r = s.createRow(index);
        for (int i = 0; i < values.length; i++) r.createCell(i).setCellValue(values[i]);
        return r;
    }

    private static byte[] bytes(Workbook wb) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
