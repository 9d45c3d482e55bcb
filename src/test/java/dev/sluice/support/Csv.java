package dev.sluice.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Small deterministic product CSVs for tests. */
public final class Csv {
    private Csv() {}

    public static final String HEADER = "sku,name,description,price,quantity,active\n";

    /** {@code rows} valid rows with SKUs {prefix}-00000… */
    public static String products(String prefix, int rows) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < rows; i++) {
            sb.append(prefix)
                    .append('-')
                    .append(String.format("%05d", i))
                    .append(",Item ")
                    .append(i)
                    .append(",\"Desc, with comma\",")
                    .append(i % 100)
                    .append('.')
                    .append(i % 10)
                    .append("0,")
                    .append(i % 50)
                    .append(',')
                    .append(i % 7 == 0 ? "false" : "true")
                    .append('\n');
        }
        return sb.toString();
    }

    public static String prefix() {
        return "I" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
    public static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c != '"') field.append(c);
                else if (i + 1 < csv.length() && csv.charAt(i + 1) == '"') field.append(csv.charAt(++i));
                else quoted = false;
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else field.append(c);
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
