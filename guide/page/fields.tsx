/**
 * One component per input type of seed 003, each rendering its field of the view model and
 * reporting edits as config values (the exact value seed 003 says the input produces). Every
 * control has a label, its description and error are tied to it with aria-describedby, and each
 * is reached and operated with the keyboard alone.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { JsonValue } from '../../runtime/app/app-json-types';
import type { ConfigPath } from '../../runtime/app/config-types';
import type { Choice, CheckboxField, Field, NotificationField, NumberField, OptionField, RepeatField, SelectorField, TextField, ToggleField, ValueEditor } from '../view-model';

/** What a field can ask of the guide. */
export interface FieldActions {
  edit(path: ConfigPath, value: JsonValue | undefined): void;
  addRow(path: ConfigPath): void;
  removeRow(path: ConfigPath, index: number): void;
  addOutput(path: ConfigPath): void;
  /** Says why a selector offers nothing (its filter, and where the devices come from). */
  emptyNote(field: SelectorField): string;
}

export const fieldId = (path: ConfigPath): string => 'f-' + path.map((s) => String(s).replace(/[^A-Za-z0-9_-]/g, '_')).join('-');

const describedBy = (f: Field, id: string): string | undefined => [f.description ? `${id}-desc` : '', f.error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;

const choiceText = (c: Choice): string => (c.detail ? `${c.label} (${c.detail})` : c.label);

const choiceById = (choices: Choice[], value: string): Choice | undefined => choices.find((c) => String(c.id) === value);

export function FieldView({ field, actions }: { field: Field; actions: FieldActions }) {
  const id = fieldId(field.path);
  const grouped = field.kind === 'repeat' || field.kind === 'checkbox' || ((field.kind === 'function-selector' || field.kind === 'device-selector' || field.kind === 'notification-selector') && field.multiple);
  const label = (
    <span class="label-text">
      {field.label}
      {field.required ? (
        <span class="required" title="required">
          {' '}*<span class="visually-hidden"> (required)</span>
        </span>
      ) : null}
    </span>
  );
  return (
    <div class={`field field-${field.kind}${field.error ? ' invalid' : ''}`} data-key={field.key}>
      {grouped || field.kind === 'toggle' ? (
        <div class="field-label" id={`${id}-label`}>
          {label}
        </div>
      ) : (
        <label class="field-label" id={`${id}-label`} for={id}>
          {label}
        </label>
      )}
      {field.description ? (
        <p class="description" id={`${id}-desc`}>
          {field.description}
        </p>
      ) : null}
      <Control field={field} id={id} actions={actions} />
      {field.error ? (
        <p class="error" id={`${id}-err`} role="alert">
          <span class="codicon codicon-error" aria-hidden="true" /> {field.error}
        </p>
      ) : null}
    </div>
  );
}

function Control({ field, id, actions }: { field: Field; id: string; actions: FieldActions }) {
  switch (field.kind) {
    case 'function-selector':
    case 'device-selector':
      return <Selector field={field} id={id} actions={actions} />;
    case 'notification-selector':
      return <Notification field={field} id={id} actions={actions} />;
    case 'text':
      return <Text field={field} id={id} actions={actions} />;
    case 'number':
      return <NumberInput field={field} id={id} actions={actions} />;
    case 'option':
      return <Option field={field} id={id} actions={actions} />;
    case 'checkbox':
      return <Checkboxes field={field} id={id} actions={actions} />;
    case 'toggle':
      return <Toggle field={field} id={id} actions={actions} />;
    case 'repeat':
      return <Repeat field={field} id={id} actions={actions} />;
  }
}

type Props<F extends Field> = { field: F; id: string; actions: FieldActions };

/** The first value a newly selected function gets, by its editor (the user changes it next). */
function initialValue(editor: ValueEditor | undefined): JsonValue {
  switch (editor?.kind) {
    case 'choice':
      return editor.values[0] ?? null;
    case 'number':
      return editor.min ?? 0;
    case 'boolean':
      return true;
    default:
      return '';
  }
}

function Selector({ field, id, actions }: Props<SelectorField>) {
  const withValue = field.values !== undefined;
  const valueOf = (c: Choice) => field.values?.[String(c.id)];
  /** Seed 003: an id, an array of ids, or with values an object of id → value. */
  const write = (ids: (string | number)[], values: Record<string, JsonValue> = field.values ?? {}) => {
    if (withValue) {
      const obj: Record<string, JsonValue> = {};
      for (const i of ids) obj[String(i)] = values[String(i)] ?? initialValue(editorOfId(field, i));
      actions.edit(field.path, ids.length ? obj : undefined);
    } else actions.edit(field.path, field.multiple ? (ids.length ? ids : undefined) : ids[0]);
  };
  if (!field.choices.length) return <p class="empty" id={id} role="note">{actions.emptyNote(field)}</p>;
  if (!field.multiple) {
    const current = field.selected[0];
    const chosen = current === undefined ? undefined : choiceById(field.choices, String(current));
    return (
      <div class="selector">
        <ChoiceSelect field={field} id={id} onPick={(c) => write(c ? [c.id] : [])} />
        {withValue && chosen ? <ValueInput id={`${id}-value`} label={`Value of ${chosen.label}`} editor={editorOfId(field, chosen.id)} value={valueOf(chosen)} onValue={(v) => write([chosen.id], { [String(chosen.id)]: v })} /> : null}
      </div>
    );
  }
  return (
    <ChoiceBoxes
      field={field}
      id={id}
      onToggle={(c, on) => write(on ? [...field.selected, c.id] : without(field.selected, c.id))}
      beside={(c, on, cid) => (withValue && on ? <ValueInput id={`${cid}-value`} label={`Value of ${c.label}`} editor={editorOfId(field, c.id)} value={valueOf(c)} onValue={(v) => write(field.selected, { ...(field.values ?? {}), [String(c.id)]: v })} /> : null)}
    />
  );
}

const without = (ids: (string | number)[], id: string | number) => ids.filter((s) => String(s) !== String(id));

type ChoiceField = SelectorField | NotificationField;

/** One choice of a single selector, or none: a list box (Selector and Notification share it). */
function ChoiceSelect({ field, id, onPick }: { field: ChoiceField; id: string; onPick(choice: Choice | undefined): void }) {
  const current = field.selected[0];
  return (
    <select id={id} aria-describedby={describedBy(field, id)} aria-required={field.required} aria-invalid={!!field.error} onChange={(e) => onPick(choiceById(field.choices, (e.currentTarget as HTMLSelectElement).value))}>
      <option value="" selected={current === undefined}>— none —</option>
      {field.choices.map((c) => (
        <option value={String(c.id)} selected={String(c.id) === String(current)}>{choiceText(c)}</option>
      ))}
    </select>
  );
}

/**
 * A check box per choice (multi selectors and checkbox inputs), each with what goes beside it (a
 * selected function's value editor), and `children` after the list (the add-output button).
 */
function ChoiceBoxes({ field, id, onToggle, beside, children }: { field: ChoiceField | CheckboxField; id: string; onToggle(choice: Choice, on: boolean): void; beside?: (choice: Choice, on: boolean, choiceId: string) => ComponentChildren; children?: ComponentChildren }) {
  const selected = new Set(field.selected.map(String));
  return (
    <fieldset class="choices" id={id} aria-labelledby={`${id}-label`} aria-describedby={describedBy(field, id)}>
      {field.choices.map((c, i) => {
        const on = selected.has(String(c.id));
        const cid = `${id}-${i}`;
        return (
          <div class="choice">
            <input type="checkbox" id={cid} checked={on} onChange={() => onToggle(c, !on)} />
            <label for={cid}>{choiceText(c)}</label>
            {beside?.(c, on, cid)}
          </div>
        );
      })}
      {children}
    </fieldset>
  );
}

function editorOfId(field: SelectorField, id: string | number): ValueEditor | undefined {
  return field.editors?.[String(id)];
}

/** The value a selected function is set to, edited as its type suits: on/off, a level, a number. */
function ValueInput({ id, label, editor, value, onValue }: { id: string; label: string; editor: ValueEditor | undefined; value: JsonValue | undefined; onValue(v: JsonValue): void }) {
  const e = editor ?? { kind: 'text' };
  switch (e.kind) {
    case 'choice':
      return (
        <select class="value-editor" id={id} aria-label={label} onChange={(ev) => onValue((ev.currentTarget as HTMLSelectElement).value)}>
          {typeof value !== 'string' || !e.values.includes(value) ? <option value="" selected>—</option> : null}
          {e.values.map((v) => (
            <option value={v} selected={v === value}>{v}</option>
          ))}
        </select>
      );
    case 'boolean':
      return (
        <span class="value-editor">
          <input type="checkbox" id={id} checked={value === true} onChange={(ev) => onValue((ev.currentTarget as HTMLInputElement).checked)} />
          <label for={id}>{label}</label>
        </span>
      );
    case 'number':
      return (
        <span class="value-editor">
          <input type="number" id={id} aria-label={label} min={e.min} max={e.max} value={typeof value === 'number' ? String(value) : ''} onInput={(ev) => {
            const n = (ev.currentTarget as HTMLInputElement).valueAsNumber;
            if (Number.isFinite(n)) onValue(n);
          }} />
          {e.unit || e.min !== undefined || e.max !== undefined ? <span class="unit">{unitText(e)}</span> : null}
        </span>
      );
    case 'text':
      return <input type="text" class="value-editor" id={id} aria-label={label} value={typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value)} onInput={(ev) => onValue((ev.currentTarget as HTMLInputElement).value)} />;
  }
}

/** "%, 0 to 100": the unit and the range of a function's value. */
function unitText(e: Extract<ValueEditor, { kind: 'number' }>): string {
  const range = e.min !== undefined && e.max !== undefined ? `${e.min} to ${e.max}` : e.min !== undefined ? `at least ${e.min}` : e.max !== undefined ? `at most ${e.max}` : '';
  return [e.unit === 'C' || e.unit === 'F' ? `°${e.unit}` : e.unit, range].filter(Boolean).join(', ');
}

function Notification({ field, id, actions }: Props<NotificationField>) {
  const add = field.allowAdd ? (
    <button type="button" class="secondary add-output" onClick={() => actions.addOutput(field.path)}>
      <span class="codicon codicon-add" aria-hidden="true" /> Add a new output…
    </button>
  ) : null;
  if (!field.choices.length)
    return (
      <div class="selector" id={id}>
        <p class="empty" role="note">This installation has no notification outputs yet.</p>
        {add}
      </div>
    );
  if (!field.multiple)
    return (
      <div class="selector">
        <ChoiceSelect field={field} id={id} onPick={(c) => actions.edit(field.path, c?.id)} />
        {add}
      </div>
    );
  return (
    <ChoiceBoxes
      field={field}
      id={id}
      onToggle={(c, on) => {
        const next = on ? [...field.selected, c.id] : without(field.selected, c.id);
        actions.edit(field.path, next.length ? next : undefined);
      }}
    >
      {add}
    </ChoiceBoxes>
  );
}

function Text({ field, id, actions }: Props<TextField>) {
  const common = { id, value: field.value, 'aria-describedby': describedBy(field, id), 'aria-required': field.required, 'aria-invalid': !!field.error, onInput: (e: Event) => actions.edit(field.path, (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value) };
  return field.multiline ? <textarea rows={4} {...common} /> : <input type="text" {...common} />;
}

/**
 * A number typed as text, so "12a" can be shown as what it is (an error) rather than dropped the
 * way an <input type=number> drops it. While the field has focus, what was typed stays as typed.
 */
function NumberInput({ field, id, actions }: Props<NumberField>) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const shown = draft ?? (field.value === undefined ? '' : String(field.value));
  return (
    <input type="text" inputMode="decimal" id={id} value={shown} aria-describedby={describedBy(field, id)} aria-required={field.required} aria-invalid={!!field.error} onInput={(e) => {
      const text = (e.currentTarget as HTMLInputElement).value;
      setDraft(text);
      const t = text.trim();
      actions.edit(field.path, t === '' ? undefined : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : text);
    }} onBlur={() => setDraft(undefined)} />
  );
}

function Option({ field, id, actions }: Props<OptionField>) {
  return (
    <select id={id} aria-describedby={describedBy(field, id)} aria-required={field.required} onChange={(e) => {
      const v = (e.currentTarget as HTMLSelectElement).value;
      actions.edit(field.path, v === '' ? undefined : v);
    }}>
      {field.selected === undefined ? <option value="" selected>— choose —</option> : null}
      {field.choices.map((c) => (
        <option value={String(c.id)} selected={String(c.id) === field.selected}>{c.label}</option>
      ))}
    </select>
  );
}

function Checkboxes({ field, id, actions }: Props<CheckboxField>) {
  return (
    <ChoiceBoxes
      field={field}
      id={id}
      // In the order of app.json's values, whatever order they were ticked in.
      onToggle={(c, on) => actions.edit(field.path, field.choices.map((x) => String(x.id)).filter((k) => (k === String(c.id) ? on : field.selected.includes(k))))}
    />
  );
}

function Toggle({ field, id, actions }: Props<ToggleField>) {
  return (
    <button type="button" role="switch" class="toggle" id={id} aria-checked={field.on} aria-labelledby={`${id}-label`} aria-describedby={describedBy(field, id)} onClick={() => actions.edit(field.path, field.on ? field.offValue : field.onValue)}>
      <span class="track" aria-hidden="true">
        <span class="thumb" />
      </span>
      <span class="state">{shownValue(field.on ? field.onValue : field.offValue)}</span>
    </button>
  );
}

/** A toggle's value as the config will hold it: a string as it is, anything else as JSON. */
const shownValue = (v: JsonValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

function Repeat({ field, id, actions }: Props<RepeatField>) {
  const bounds = field.max !== undefined ? `${field.min}–${field.max} entries` : field.min ? `at least ${field.min}` : '';
  return (
    <fieldset class="repeat" id={id} aria-labelledby={`${id}-label`} aria-describedby={describedBy(field, id)}>
      {field.rows.map((row, r) => (
        <div class="repeat-row" role="group" aria-label={`${field.label}, entry ${r + 1}`}>
          <div class="repeat-row-head">
            <span class="repeat-row-title">Entry {r + 1}</span>
            <button type="button" class="icon" aria-label={`Remove entry ${r + 1} of ${field.label}`} title={field.canRemove ? 'Remove this entry' : `${field.label} needs at least ${field.min}`} disabled={!field.canRemove} onClick={() => actions.removeRow(field.path, r)}>
              <span class="codicon codicon-trash" aria-hidden="true" />
            </button>
          </div>
          {row.map((f) => (
            <FieldView field={f} actions={actions} />
          ))}
        </div>
      ))}
      <div class="repeat-foot">
        <button type="button" class="secondary" disabled={!field.canAdd} onClick={() => {
          actions.addRow(field.path);
          // The page has drawn the new row by now (Preact renders synchronously): go to its first field.
          const first = document.getElementById(fieldId([...field.path, field.rows.length, field.rows[0]?.[0]?.key ?? '']));
          first?.focus();
        }}>
          <span class="codicon codicon-add" aria-hidden="true" /> Add entry
        </button>
        {bounds ? <span class="bounds">{bounds}</span> : null}
      </div>
    </fieldset>
  );
}
