// Reads the start of a CSV in the browser: the delimiter, the header, a few rows, and a suggested mapping.

export const FIELDS = ['sku', 'name', 'description', 'price', 'quantity', 'active'];
// Only the SKU is required: a field without a column keeps its stored value (new products need a name).
export const REQUIRED = ['sku'];

// Header names seen in other shops' exports, per field (compared lower-case, without spaces or punctuation).
const SYNONYMS = {
  sku: ['sku', 'productsku', 'itemsku', 'articlenumber', 'article', 'itemnumber', 'itemno', 'productcode', 'code', 'partnumber', 'mpn', 'reference', 'ref', 'id'],
  name: ['name', 'productname', 'title', 'producttitle', 'itemname', 'label'],
  description: ['description', 'longdescription', 'body', 'bodyhtml', 'details', 'shortdescription', 'desc'],
  price: ['price', 'regularprice', 'unitprice', 'saleprice', 'variantprice', 'listprice', 'cost', 'amount'],
  quantity: ['quantity', 'qty', 'stock', 'instock', 'stockquantity', 'inventory', 'inventoryquantity', 'variantinventoryqty', 'onhand'],
  active: ['active', 'enabled', 'published', 'status', 'visible', 'isactive'],
};

const norm = s => s.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** Reads up to 256 KB from the start of the file. */
export async function preview(file, maxRows = 5) {
  const bytes = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  const delimiter = detectDelimiter(text);
  const rows = parse(text, delimiter, maxRows + 1);
  const header = (rows.shift() || []).map(c => c.replace(/^\uFEFF/, '').trim());
  return { delimiter, header, rows, mapping: suggestMapping(header) };
}

export function detectDelimiter(text) {
  const firstLine = text.split(/\r?\n/, 1)[0] || '';
  let best = ',', bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    let n = 0, quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    if (n > bestCount) { best = d; bestCount = n; }
  }
  return best;
}

/** RFC 4180 with quoted newlines; stops after maxRows complete rows. */
export function parse(text, delimiter, maxRows) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else cell += ch;
  }
  return rows;
}

/** {field: header} for every field some header looks like; exact names first, then known synonyms. */
export function suggestMapping(header) {
  const mapping = {};
  const taken = new Set();
  for (const pass of ['exact', 'synonym']) {
    for (const f of FIELDS) {
      if (mapping[f]) continue;
      const hit = header.find(col => !taken.has(col) && (pass === 'exact' ? norm(col) === f : SYNONYMS[f].includes(norm(col))));
      if (hit) { mapping[f] = hit; taken.add(hit); }
    }
  }
  return mapping;
}
