package dev.sluice.spreadsheet;

import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Which cell styles show dates, from styles.xml: a cell's {@code s} attribute indexes {@code cellXfs},
 * whose {@code numFmtId} is a built-in format or one of {@code numFmts}. Everything else (money,
 * percentages, thousands separators) is only how a number is shown: the cell imports its value.
 */
public final class CellStyles {
    /** How a style shows a number. */
    public enum Kind {
        NUMBER,
        DATE,
        DATE_TIME,
        TIME
    }

    public static final CellStyles NONE = new CellStyles(new Kind[0]);
    private final Kind[] kinds;

    private CellStyles(Kind[] kinds) {
        this.kinds = kinds;
    }

    public Kind kind(int style) {
        return style >= 0 && style < kinds.length ? kinds[style] : Kind.NUMBER;
    }

    static CellStyles read(InputStream in, String part) {
        Map<Integer, String> custom = new HashMap<>();
        Kind[] kinds = new Kind[16];
        int n = 0;
        boolean inCellXfs = false;
        try (in) {
            XMLStreamReader x = Xml.open(in, part);
            try {
                while (x.hasNext()) {
                    int ev = x.next();
                    if (ev == XMLStreamConstants.START_ELEMENT) {
                        switch (x.getLocalName()) {
                            case "numFmt" -> {
                                Integer id = integer(x.getAttributeValue(null, "numFmtId"));
                                if (id != null) custom.put(id, x.getAttributeValue(null, "formatCode"));
                            }
                            case "cellXfs" -> inCellXfs = true;
                            case "xf" -> {
                                if (inCellXfs) {
                                    if (n == kinds.length) kinds = Arrays.copyOf(kinds, n * 2);
                                    Integer id = integer(x.getAttributeValue(null, "numFmtId"));
                                    kinds[n++] = id == null ? Kind.NUMBER : kindOf(id, custom.get(id));
                                }
                            }
                            default -> {}
                        }
                    } else if (ev == XMLStreamConstants.END_ELEMENT
                            && x.getLocalName().equals("cellXfs")) {
                        inCellXfs = false;
                    }
                }
            } finally {
                Xml.close(x);
            }
        } catch (XMLStreamException e) {
            throw Xml.notXml(part, e);
        } catch (java.io.IOException e) {
            throw ZipDirectory.corrupt(e.getMessage());
        }
        return new CellStyles(Arrays.copyOf(kinds, n));
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Built-in formats 14–22 and 45–47 (and the East Asian date ones), or a custom code that shows a date. */
    static Kind kindOf(int id, String code) {
        if (code == null) {
            if (id >= 14 && id <= 17 || id >= 27 && id <= 36 || id >= 50 && id <= 58) return Kind.DATE;
            if (id == 22) return Kind.DATE_TIME;
            if (id >= 18 && id <= 21 || id >= 45 && id <= 47) return Kind.TIME;
            return Kind.NUMBER;
        }
        return kindOf(code);
    }

    /** Like Excel: the first section, without literals, escapes, colours and conditions, made only of date/time letters. */
    static Kind kindOf(String code) {
        String first = code.split(";", 2)[0];
        StringBuilder c = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < first.length(); i++) {
            char ch = first.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (quoted) {
                // literal text
            } else if (ch == '\\' || ch == '_' || ch == '*') {
                i++; // escaped or padding character
            } else if (ch == '[') {
                int end = first.indexOf(']', i);
                if (end < 0) break;
                String inside = first.substring(i + 1, end).toLowerCase();
                // [h], [mm], [ss]: elapsed time; anything else ([Red], [$€-407], [>=100]) is not about dates.
                if (inside.matches("h+|m+|s+")) c.append(inside);
                i = end;
            } else {
                c.append(Character.toLowerCase(ch));
            }
        }
        String s = c.toString().replace("am/pm", "").replace("a/p", "");
        if (s.isBlank() || s.contains("general") || s.indexOf('#') >= 0 || s.indexOf('?') >= 0) return Kind.NUMBER;
        boolean hasTime = false, hasDate = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case 'y', 'd', 'e', 'g', 'b' -> hasDate = true;
                case 'h', 's' -> hasTime = true;
                case 'm' -> {}
                case '0' -> {
                    // digits only as fractions of seconds ("ss.000")
                    if (!hasTime) return Kind.NUMBER;
                }
                case '-', '/', ' ', '.', ',', ':', 't', '(', ')', '年', '月', '日' -> {}
                default -> {
                    return Kind.NUMBER;
                }
            }
        }
        if (!hasDate && !hasTime) {
            return s.indexOf('m') >= 0 ? Kind.DATE : Kind.NUMBER; // "mmm": a month name
        }
        if (hasDate || s.indexOf('m') >= 0 && !hasTime) return hasTime ? Kind.DATE_TIME : Kind.DATE;
        return Kind.TIME;
    }
}
