package dev.sluice.imports;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {field: header} for every product field some header looks like: exact names first, then header
 * names seen in other shops' exports (the same table as the web app's in-browser CSV preview).
 */
final class MappingSuggestion {
    private static final Map<String, List<String>> SYNONYMS = Map.of(
            "sku",
            List.of(
                    "sku",
                    "productsku",
                    "itemsku",
                    "articlenumber",
                    "article",
                    "itemnumber",
                    "itemno",
                    "productcode",
                    "code",
                    "partnumber",
                    "mpn",
                    "reference",
                    "ref",
                    "id"),
            "name",
            List.of("name", "productname", "title", "producttitle", "itemname", "label"),
            "description",
            List.of("description", "longdescription", "body", "bodyhtml", "details", "shortdescription", "desc"),
            "price",
            List.of("price", "regularprice", "unitprice", "saleprice", "variantprice", "listprice", "cost", "amount"),
            "quantity",
            List.of(
                    "quantity",
                    "qty",
                    "stock",
                    "instock",
                    "stockquantity",
                    "inventory",
                    "inventoryquantity",
                    "variantinventoryqty",
                    "onhand"),
            "active",
            List.of("active", "enabled", "published", "status", "visible", "isactive"));

    private MappingSuggestion() {}

    static Map<String, String> suggest(List<String> header) {
        Map<String, String> mapping = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (boolean exact : new boolean[] {true, false}) {
            for (String field : ColumnPlan.FIELDS) {
                if (mapping.containsKey(field)) continue;
                for (String col : header) {
                    if (col == null || taken.contains(col)) continue;
                    String n = norm(col);
                    if (exact ? n.equals(field) : SYNONYMS.get(field).contains(n)) {
                        mapping.put(field, col);
                        taken.add(col);
                        break;
                    }
                }
            }
        }
        return mapping;
    }

    private static String norm(String s) {
        return s.replace("\uFEFF", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
