#!/usr/bin/env python3
"""Streams a products CSV (sku,name,description,price,quantity,active) into an XLSX, the way a
spreadsheet program saves one: text in the shared-strings table (each distinct string once, in
order of first use), price and quantity as numbers (price with a money format), active as a
boolean. Memory stays flat: the sheet is written as the CSV is read, and the table in a second pass
(the strings are re-derived, so only a dict of the few repeated ones is kept... and the unique ones
are numbered by position).

  csv_to_xlsx.py products.csv products.xlsx [--unique-names out.csv]

--unique-names appends " #<row>" to every name (and writes that CSV too), so that every SKU and
name is its own shared string: ~2 strings per row, the worst case for a shared-strings table.
"""
import csv, sys, zipfile
from xml.sax.saxutils import escape

src, dst = sys.argv[1], sys.argv[2]
unique_out = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == '--unique-names' else None

def rows():
    with open(src, newline='', encoding='utf-8') as f:
        r = csv.reader(f)
        next(r)
        for i, row in enumerate(r):
            if unique_out:
                row[1] = '%s #%d' % (row[1], i + 1)
            yield row

def number(column, r, v, style):
    """A number cell, or an inline string when the CSV holds no number there (a generator's bad row)."""
    try:
        return '<c r="%s%d"%s><v>%s</v></c>' % (column, r, style, repr(float(v)) if '.' in v else int(v))
    except ValueError:
        return '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (column, r, text(v))

def col(c):
    return 'ABCDEF'[c]

def text(s):
    s = escape(s)
    return s.replace('\r', '_x000D_')

CT = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'''
RELS = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'''
WB = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>'''
WB_RELS = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'''
STYLES = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00\\ [$€-407]"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'''
HEADER = ['sku', 'name', 'description', 'price', 'quantity', 'active']

def strings():
    """Every string in order of first use, with the index each cell gets: repeated strings (the
    header, descriptions) keep their first index in a small dict; unique ones are numbered."""
    seen = {}
    n = 0
    def idx(s, unique):
        nonlocal n
        if not unique:
            if s in seen:
                return seen[s], False
            seen[s] = n
        n += 1
        return n - 1, True
    return idx

with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    z.writestr('[Content_Types].xml', CT)
    z.writestr('_rels/.rels', RELS)
    z.writestr('xl/workbook.xml', WB)
    z.writestr('xl/_rels/workbook.xml.rels', WB_RELS)
    z.writestr('xl/styles.xml', STYLES)
    uniq = open(unique_out, 'w', newline='', encoding='utf-8') if unique_out else None
    w = csv.writer(uniq, lineterminator='\n') if uniq else None
    if w: w.writerow(HEADER)
    idx = strings()
    with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as s:
        out = []
        out.append('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        out.append('<row r="1">' + ''.join('<c r="%s1" t="s"><v>%d</v></c>' % (col(c), idx(h, False)[0]) for c, h in enumerate(HEADER)) + '</row>')
        for i, (sku, name, desc, price, qty, active) in enumerate(rows()):
            if w: w.writerow((sku, name, desc, price, qty, active))
            r = i + 2
            cells = ['<c r="A%d" t="s"><v>%d</v></c>' % (r, idx(sku, True)[0]),
                     '<c r="B%d" t="s"><v>%d</v></c>' % (r, idx(name, True)[0])]
            if desc:
                cells.append('<c r="C%d" t="s"><v>%d</v></c>' % (r, idx(desc, False)[0]))
            if price:
                cells.append(number('D', r, price, ' s="1"'))
            cells.append(number('E', r, qty, ''))
            cells.append('<c r="F%d" t="b"><v>%d</v></c>' % (r, 1 if active == 'true' else 0))
            out.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
            if len(out) >= 5000:
                s.write(''.join(out).encode('utf-8')); out.clear()
        out.append('</sheetData></worksheet>')
        s.write(''.join(out).encode('utf-8'))
    if uniq: uniq.close()
    # Second pass: the table, in the same order of first use.
    idx2 = strings()
    with z.open('xl/sharedStrings.xml', 'w', force_zip64=True) as t:
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
        def add(sv, unique):
            if idx2(sv, unique)[1]:
                out.append('<si><t xml:space="preserve">%s</t></si>' % text(sv))
        for h in HEADER: add(h, False)
        for sku, name, desc, price, qty, active in rows():
            add(sku, True); add(name, True)
            if desc: add(desc, False)
            if len(out) >= 5000:
                t.write(''.join(out).encode('utf-8')); out.clear()
        out.append('</sst>')
        t.write(''.join(out).encode('utf-8'))
