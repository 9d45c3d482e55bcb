package dev.sluice.spreadsheet;

import java.io.InputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** The JDK's StAX parser, without DTDs or external entities (a workbook is untrusted input). */
final class Xml {
    private static final XMLInputFactory FACTORY = factory();

    private Xml() {}

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        // The JDK's entity-size limits also count a long run of text between two newlines of the document
        // itself (a sheet's XML often has none): with DTDs and entities off they guard nothing here.
        for (String limit : new String[] {
            "jdk.xml.maxGeneralEntitySizeLimit", "jdk.xml.totalEntitySizeLimit", "jdk.xml.entityExpansionLimit"
        }) {
            try {
                f.setProperty(limit, 0);
            } catch (IllegalArgumentException notThisParser) {
                // another StAX implementation: it has its own limits
            }
        }
        return f;
    }

    static XMLStreamReader open(InputStream in, String part) {
        try {
            return FACTORY.createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw notXml(part, e);
        }
    }

    static XlsxException notXml(String part, XMLStreamException e) {
        // An I/O or limit failure of the entry underneath comes back as itself.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof XlsxException x) return x;
            if (t instanceof XMLStreamException s && s.getNestedException() instanceof XlsxException x) return x;
        }
        return new XlsxException(
                "The XLSX workbook is damaged: its part " + part + " is not valid XML"
                        + (e.getLocation() != null ? " (line " + e.getLocation().getLineNumber() + ")" : ""),
                e);
    }

    static void close(XMLStreamReader r) {
        try {
            r.close();
        } catch (XMLStreamException ignored) {
            // nothing to release beyond the stream, closed by its owner
        }
    }

    /**
     * Decodes OOXML's {@code _xHHHH_} escapes (characters XML can't hold, e.g. {@code _x000D_}); a
     * literal {@code _x} sequence is itself written {@code _x005F_x…}.
     */
    static String unescape(String s) {
        if (s.indexOf("_x") < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (i + 7 <= s.length() && s.charAt(i) == '_' && s.charAt(i + 1) == 'x' && s.charAt(i + 6) == '_') {
                int cp = hex(s, i + 2);
                if (cp >= 0) {
                    out.append((char) cp);
                    i += 7;
                    continue;
                }
            }
            out.append(s.charAt(i++));
        }
        return out.toString();
    }

    private static int hex(String s, int from) {
        int v = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }
}
