package dev.sluice.imports;

import java.math.BigDecimal;

/** A recorded JSON value as a CSV cell: text as it is, numbers in their shortest form, no value as empty. */
final class CsvValues {
    private CsvValues() {}

    static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue())
                    .stripTrailingZeros()
                    .toPlainString();
        }
        if (v instanceof BigDecimal d) return d.stripTrailingZeros().toPlainString();
        return v.toString();
    }
}
