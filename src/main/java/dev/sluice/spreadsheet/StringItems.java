package dev.sluice.spreadsheet;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the {@code <si>} items of sharedStrings.xml one at a time: the text of its {@code <t>}
 * elements (plain, or the runs of rich text), without phonetic guides ({@code <rPh>}).
 */
final class StringItems {
    private final XMLStreamReader x;
    private final String part;
    private final StringBuilder text = new StringBuilder();

    StringItems(XMLStreamReader x, String part) {
        this.x = x;
        this.part = part;
    }

    /** The next item's text, or null at the end of the table. */
    String next() {
        try {
            while (x.hasNext()) {
                if (x.next() == XMLStreamConstants.START_ELEMENT
                        && x.getLocalName().equals("si")) {
                    return item();
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw Xml.notXml(part, e);
        }
    }

    private String item() throws XMLStreamException {
        text.setLength(0);
        int phonetic = 0;
        while (x.hasNext()) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String name = x.getLocalName();
                if (name.equals("rPh")) phonetic++;
                else if (name.equals("t") && phonetic == 0) text.append(x.getElementText());
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                String name = x.getLocalName();
                if (name.equals("rPh")) phonetic--;
                else if (name.equals("si")) break;
            }
        }
        return Xml.unescape(text.toString());
    }
}
