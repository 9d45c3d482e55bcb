package dev.sluice.spreadsheet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.support.Workbooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The XLSX reader on workbooks from Apache POI and LibreOffice, and on broken files. */
class XlsxReaderTest {
    private static List<SheetReader.Row> rows(byte[] file, String sheet) {
        Workbook wb = Workbook.open(new BytesSource(file), XlsxLimits.DEFAULTS);
        List<SheetReader.Row> out = new ArrayList<>();
        try (SharedStrings strings = wb.spilledStrings();
                SheetReader r = wb.rows(wb.select(sheet), strings, wb.styles())) {
            for (SheetReader.Row row = r.next(); row != null; row = r.next()) out.add(row);
        }
        return out;
    }

    private static List<String> cells(SheetReader.Row r) {
        return Arrays.asList(r.cells());
    }

    @Test
    void readsEveryKindOfCellAsTheImportReadsIt() {
        List<SheetReader.Row> rows = rows(Workbooks.catalog("P"), null);
        assertThat(cells(rows.get(0))).containsExactly("sku", "name", "price", "quantity", "active", "description");
        assertThat(cells(rows.get(1))).containsExactly("P-1", "Kettle", "12.5", "3", "true", "2024-03-01");
        assertThat(cells(rows.get(2)))
                .as("formulas by cached value; built-in format 22 is a timestamp")
                .containsExactly("P-2", "Kettle lid", "25", "0", "false", "2024-03-01T09:30:00");
        // The blank 4th row is skipped; the 5th skips column C and holds an error in F.
        assertThat(rows.get(3).number()).isEqualTo(5);
        assertThat(cells(rows.get(3))).containsExactly("P-3", "Skipped price", "", "7", "", "#DIV/0!");
        assertThat(rows.get(3).errors()).containsExactly(new SheetReader.CellError(5, "F5", "#DIV/0!"));
        assertThat(rows.get(4).number()).isEqualTo(6);
        assertThat(rows).hasSize(5);
    }

    @Test
    void theFirstVisibleSheetIsReadUnlessOneIsNamedOrNumbered() {
        Workbook wb = Workbook.open(new BytesSource(Workbooks.catalog("P")), XlsxLimits.DEFAULTS);
        assertThat(wb.sheetNames()).containsExactly("Old", "Products", "Extra");
        assertThat(wb.sheets().get(0).visible()).isFalse();
        assertThat(wb.select(null).name()).isEqualTo("Products");
        assertThat(wb.select("extra").name()).isEqualTo("Extra");
        assertThat(wb.select("1").name()).isEqualTo("Old");
        assertThat(cells(rows(Workbooks.catalog("P"), "3").get(1))).containsExactly("P-X", "From the third sheet");
        assertThatThrownBy(() -> wb.select("Nope"))
                .isInstanceOf(UnknownSheetException.class)
                .hasMessageContaining("[Old, Products, Extra]");
        assertThatThrownBy(() -> wb.select("4")).isInstanceOf(UnknownSheetException.class);
    }

    @Test
    void inlineStringsFromAStreamingWriterAreRead() {
        List<SheetReader.Row> rows = rows(Workbooks.inlineStrings("P", 300), null);
        assertThat(rows).hasSize(301);
        assertThat(cells(rows.get(300))).containsExactly("P-00300", "Item 300", "300.25", "300", "true");
    }

    @Test
    void sharedStringsSpillToDiskAndAreFoundByIndex() {
        byte[] file = Workbooks.sharedStrings("P", 5000);
        Workbook wb = Workbook.open(new BytesSource(file), XlsxLimits.DEFAULTS);
        try (DiskSharedStrings s = (DiskSharedStrings) wb.spilledStrings()) {
            assertThat(s.count()).isEqualTo(3 + 2 * 5000);
            // Out of order, across cache blocks.
            assertThat(s.get(3 + 2 * 4999 + 1)).isEqualTo("Shared 5000");
            assertThat(s.get(0)).isEqualTo("sku");
            assertThat(s.get(4)).isEqualTo("Shared 1");
            assertThat(s.get(s.count())).isNull();
        }
    }

    @Test
    void aWorkbookSavedByLibreOfficeIsRead() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("src/test/resources/samples/libreoffice-products.xlsx"));
        List<SheetReader.Row> rows = rows(file, "Products");
        assertThat(cells(rows.get(0))).containsExactly("SKU", "Name", "Price", "Quantity", "Active", "Description");
        assertThat(cells(rows.get(1))).containsExactly("LO-1", "Kettle", "12.5", "3", "1", "2024-03-01");
        assertThat(cells(rows.get(2))).containsExactly("LO-2", "Kettle lid", "25", "0", "0");
        assertThat(rows.get(3).number()).isEqualTo(5);
        assertThat(rows.get(3).errors()).extracting(SheetReader.CellError::ref).containsExactly("F5");
        assertThat(cells(rows.get(3)).get(1)).isEqualTo("Grüße & Ümlaut");
    }

    @Test
    void onlyTheDirectoryIsFetchedByRangeAndTheSheetIsStreamed() {
        byte[] file = Workbooks.sharedStrings("P", 20_000);
        BytesSource source = new BytesSource(file);
        Workbook wb = Workbook.open(source, XlsxLimits.DEFAULTS);
        assertThat(source.ranged.get()).as("ranged reads to open").isLessThan(80_000);
        assertThat(file.length).isGreaterThan(200_000);
    }

    @Test
    void aSheetWrittenOnOneLongLineIsRead() {
        // The JDK parser's default entity-size limit (100,000) also counts a long line of the document itself.
        List<SheetReader.Row> rows = rows(Workbooks.oneLine(20_000), null);
        assertThat(rows).hasSize(20_001);
        assertThat(cells(rows.getLast())).containsExactly("S-20001", "Name 20001");
    }

    @Test
    void dateFormatsAreToldFromNumberFormats() {
        assertThat(CellStyles.kindOf(14, null)).isEqualTo(CellStyles.Kind.DATE);
        assertThat(CellStyles.kindOf(22, null)).isEqualTo(CellStyles.Kind.DATE_TIME);
        assertThat(CellStyles.kindOf(20, null)).isEqualTo(CellStyles.Kind.TIME);
        assertThat(CellStyles.kindOf(4, null)).isEqualTo(CellStyles.Kind.NUMBER);
        assertThat(CellStyles.kindOf("dd/mm/yyyy")).isEqualTo(CellStyles.Kind.DATE);
        assertThat(CellStyles.kindOf("yyyy\\-mm\\-dd")).isEqualTo(CellStyles.Kind.DATE);
        assertThat(CellStyles.kindOf("[$-409]d-mmm-yy;@")).isEqualTo(CellStyles.Kind.DATE);
        assertThat(CellStyles.kindOf("yyyy-mm-dd hh:mm:ss")).isEqualTo(CellStyles.Kind.DATE_TIME);
        assertThat(CellStyles.kindOf("[h]:mm:ss")).isEqualTo(CellStyles.Kind.TIME);
        assertThat(CellStyles.kindOf("#,##0.00\\ [$€-407]")).isEqualTo(CellStyles.Kind.NUMBER);
        assertThat(CellStyles.kindOf("[$€]0.00")).isEqualTo(CellStyles.Kind.NUMBER);
        assertThat(CellStyles.kindOf("\"Date:\" 0")).isEqualTo(CellStyles.Kind.NUMBER);
        assertThat(CellStyles.kindOf("0.00%")).isEqualTo(CellStyles.Kind.NUMBER);
        assertThat(CellStyles.kindOf("General")).isEqualTo(CellStyles.Kind.NUMBER);
    }

    @Test
    void numbersComeInPlainShortestNotation() {
        assertThat(CellValues.number("12.50")).isEqualTo("12.5");
        assertThat(CellValues.number("39.899999999999999")).isEqualTo("39.9");
        assertThat(CellValues.number("1.2E3")).isEqualTo("1200");
        assertThat(CellValues.number("1E-3")).isEqualTo("0.001");
        assertThat(CellValues.number("140")).isEqualTo("140");
        assertThat(CellValues.number("-0")).isEqualTo("0");
        assertThat(CellValues.date("45352", CellStyles.Kind.DATE, false)).isEqualTo("2024-03-01");
        assertThat(CellValues.date("45352.395833333336", CellStyles.Kind.DATE_TIME, false))
                .isEqualTo("2024-03-01T09:30:00");
        assertThat(CellValues.date("0.5", CellStyles.Kind.TIME, false)).isEqualTo("12:00:00");
        assertThat(CellValues.date("43890", CellStyles.Kind.DATE, true))
                .as("1904 date system")
                .isEqualTo("2024-03-01");
        assertThat(CellValues.date("1", CellStyles.Kind.DATE, false)).isEqualTo("1900-01-01");
        assertThat(Xml.unescape("a_x000D_b")).isEqualTo("a\rb");
    }

    @Test
    void aTruncatedOrCorruptZipIsRefusedWithAReason() {
        byte[] file = Workbooks.catalog("P");
        byte[] cut = Arrays.copyOf(file, file.length / 2);
        assertThatThrownBy(() -> Workbook.open(new BytesSource(cut), XlsxLimits.DEFAULTS))
                .isInstanceOf(XlsxException.class)
                .hasMessageContaining("cut short");
        byte[] damaged = file.clone();
        // Scramble the middle of the file, where the compressed parts are.
        for (int i = 200; i < file.length / 2; i++) damaged[i] ^= 0x5A;
        assertThatThrownBy(() -> rows(damaged, null)).isInstanceOf(XlsxException.class);
        assertThatThrownBy(() -> Workbook.open(new BytesSource("sku,name\n".getBytes()), XlsxLimits.DEFAULTS))
                .isInstanceOf(XlsxException.class)
                .hasMessageContaining("not a ZIP");
    }

    @Test
    void aZipBombStopsAtTheRatioBoundWithoutInflatingIt() {
        byte[] bomb = Workbooks.bomb(200);
        assertThat(bomb.length).isLessThan(2_000_000);
        long before = System.nanoTime();
        assertThatThrownBy(() -> rows(bomb, null))
                .isInstanceOf(XlsxException.class)
                .hasMessageContaining("ZIP bomb");
        assertThat((System.nanoTime() - before) / 1e9).isLessThan(10);
    }

    @Test
    void passwordProtectedAndXlsFilesAreToldApart() {
        byte[] enc = Workbooks.encrypted("P");
        assertThat(Formats.sniff(enc)).isEqualTo(Formats.Kind.OLE2);
        assertThat(Formats.ole2(new BytesSource(enc)).getMessage()).contains("password-protected");
        byte[] xls = Workbooks.xls("P");
        assertThat(Formats.sniff(xls)).isEqualTo(Formats.Kind.OLE2);
        assertThat(Formats.ole2(new BytesSource(xls)).getMessage()).contains(".xls");
        assertThatThrownBy(() -> Workbook.open(new BytesSource(xls), XlsxLimits.DEFAULTS))
                .isInstanceOf(XlsxException.class)
                .hasMessageContaining("OLE2");
    }
}
