import { api } from '../api.js';
import { h, mount, badge, errorBox, field, formDialog, confirmDialog, modal, table, toast } from '../dom.js';

const TYPES = ['text', 'integer', 'number', 'boolean', 'date', 'enum', 'url'];

/** The attribute definitions, fetched once per page view. */
export function attributeList() {
  return api('/api/attributes');
}

export async function attributesPage(root) {
  const results = h('div');

  async function load() {
    try {
      const list = await attributeList();
      mount(results, table([
        { title: 'Code', cell: a => h('code', {}, a.code) },
        { title: 'Label', cell: a => a.label },
        { title: 'Type', cell: a => a.type },
        { title: 'Options', class: 'hide-narrow', cell: a => a.options.join(', ') },
        { title: 'Flags', cell: a => [a.required ? badge('required') : null, a.filterable ? badge('filterable') : null,
          a.searchable ? badge('searchable') : null].filter(Boolean) },
        { title: h('span', { class: 'sr-only' }, 'Actions'), cell: a => h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${a.code}`, onclick: () => edit(a) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${a.code}`, onclick: () => remove(a) }, 'Delete')) },
      ], list, 'No attributes yet. Define the fields your catalogue needs beyond SKU, name, description, price, quantity and active.'));
    } catch (err) {
      mount(results, errorBox(err));
    }
  }

  async function edit(a) {
    const saved = await attributeDialog(a);
    if (saved) { toast(`Saved ${saved.code}`); load(); }
  }

  async function remove(a) {
    if (!await confirmDialog('Delete attribute', `Delete the attribute ${a.code} (${a.label})?`)) return;
    try {
      await api(`/api/attributes/${a.code}`, { method: 'DELETE' });
      toast(`Deleted ${a.code}`);
    } catch (err) {
      const used = err.problem && err.problem.productsUsing;
      if (err.problem && err.problem.status === 409 && used) {
        // Still in use: say how many products would lose their value, and offer to purge them.
        const purge = await confirmDialog('Attribute in use',
          `${used} product(s) have a value for ${a.code}. Deleting it also removes those values from every product (this is audited). Delete it and its values?`,
          'Delete with values');
        if (purge) {
          try { await api(`/api/attributes/${a.code}?purge=true`, { method: 'DELETE' }); toast(`Deleted ${a.code} and its values`); } catch (e) { await modal('Could not delete', errorBox(e)); }
        }
      } else {
        await modal('Could not delete', errorBox(err));
      }
    }
    load();
  }

  mount(root, h('h1', {}, 'Attributes'),
    h('div', { class: 'row' }, h('p', { class: 'muted grow' },
      'Each product carries a value per attribute. Imports match columns to attributes by code or label.'),
      h('button', { type: 'button', onclick: () => edit(null) }, 'New attribute')),
    results);
  await load();
}

function attributeDialog(a) {
  const code = h('input', { name: 'code', value: a?.code ?? '', autocomplete: 'off', disabled: !!a });
  const label = h('input', { name: 'label', value: a?.label ?? '' });
  const type = h('select', { name: 'type' }, TYPES.map(t => h('option', { value: t }, t)));
  type.value = a?.type ?? 'text';
  const options = h('textarea', { name: 'options', rows: 4 }, (a?.options ?? []).join('\n'));
  const optionsField = field('Options (one per line)', options, 'For enum attributes: the values it can take.');
  const showOptions = () => { optionsField.hidden = type.value !== 'enum'; };
  type.addEventListener('change', showOptions);
  showOptions();
  const check = (name, text, value) => {
    const box = h('input', { type: 'checkbox', name, id: `attr-${name}`, checked: !!value });
    return [box, h('div', { class: 'field check' }, h('label', { for: `attr-${name}` }, box, text))];
  };
  const [required, requiredField] = check('required', 'Required when a product is created', a?.required);
  const [filterable, filterableField] = check('filterable', 'Filterable (indexed for list filters)', a?.filterable);
  const [searchable, searchableField] = check('searchable', 'Searchable (matched by the search box)', a?.searchable);
  return formDialog(a ? `Edit ${a.code}` : 'New attribute', [
    field('Code', code, 'Lowercase letters, digits and _, starting with a letter. Cannot change later.'),
    field('Label', label), field('Type', type, a ? 'Changing the type converts stored values, or is refused if some cannot be converted.' : null),
    optionsField, requiredField, filterableField, searchableField,
  ], a ? 'Save' : 'Create', () => {
    const body = { code: a ? a.code : code.value.trim(), label: label.value, type: type.value,
      options: type.value === 'enum' ? options.value.split('\n').map(s => s.trim()).filter(Boolean) : [],
      required: required.checked, filterable: filterable.checked, searchable: searchable.checked };
    return a ? api(`/api/attributes/${a.code}`, { method: 'PUT', body }) : api('/api/attributes', { method: 'POST', body });
  });
}

/** One input per attribute, by type, named attributes.<code> so that field errors land beside it. */
export function attributeInputs(attrs, values = {}) {
  const inputs = attrs.map(a => {
    const name = `attributes.${a.code}`;
    const v = values[a.code];
    let input;
    if (a.type === 'enum') {
      input = h('select', { name }, h('option', { value: '' }, '—'), a.options.map(o => h('option', { value: o }, o)));
      input.value = v ?? '';
    } else if (a.type === 'boolean') {
      input = h('input', { type: 'checkbox', name, checked: v === true });
    } else if (a.type === 'date') {
      input = h('input', { type: 'date', name, value: v ?? '' });
    } else {
      input = h('input', { name, value: v ?? '', inputmode: a.type === 'integer' ? 'numeric' : a.type === 'number' ? 'decimal' : null });
    }
    const wrapper = a.type === 'boolean'
      ? h('div', { class: 'field check' }, h('label', {}, input, a.label + (a.required ? ' (required)' : '')))
      : field(a.label + (a.required ? ' (required)' : ''), input);
    return { a, input, wrapper };
  });
  return {
    fields: inputs.map(i => i.wrapper),
    values: () => Object.fromEntries(inputs.map(({ a, input }) => {
      if (a.type === 'boolean') return [a.code, input.checked];
      const s = input.value.trim();
      if (s === '') return [a.code, null];
      if ((a.type === 'integer' || a.type === 'number') && !isNaN(Number(s))) return [a.code, Number(s)];
      return [a.code, s];
    })),
  };
}
