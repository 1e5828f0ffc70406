import { INPUT_TYPES } from '../../runtime/app/app-json-types';
import type { SourceProblem } from '../../runtime/errors';
import { suggestName } from '../../runtime/suggest';

/**
 * What people coming from other form builders write for an input type, and the type of seed 003
 * that does the job. "slider" is no misspelling of anything, so spelling alone suggests nothing:
 * a user who wrote it wants a number.
 */
const MEANT: Readonly<Record<string, (typeof INPUT_TYPES)[number]>> = {
  slider: 'number', range: 'number', integer: 'number', int: 'number', float: 'number', decimal: 'number', numeric: 'number',
  string: 'text', textbox: 'text', textfield: 'text', input: 'text', password: 'text',
  select: 'option', dropdown: 'option', enum: 'option', radio: 'option', choice: 'option', choices: 'option',
  multiselect: 'checkbox', multi_select: 'checkbox', checkboxes: 'checkbox',
  switch: 'toggle', bool: 'toggle', boolean: 'toggle', onoff: 'toggle', on_off: 'toggle',
  list: 'repeat', array: 'repeat', group: 'repeat',
  device: 'single_device_selector', devices: 'multi_device_selector',
  function: 'single_function_selector', functions: 'multi_function_selector',
  notification: 'single_notification_output_selector', notifications: 'multi_notification_output_selector',
};

/** The input type someone who wrote `written` most likely meant: by spelling, else by what it is called elsewhere. */
export function meantInputType(written: string): string | undefined {
  return suggestName(written, INPUT_TYPES) ?? MEANT[written.toLowerCase().replace(/[\s-]+/g, '_')];
}

/**
 * An unknown input type is the cause of everything else that goes wrong with that input: it is an
 * error that says which type was meant, with that type as its quick fix (`data.replacement`).
 */
export function withTypeSuggestion(p: SourceProblem, text: string): SourceProblem {
  if (p.code !== 'input-type-unknown' || p.replacement !== undefined || p.offset === undefined || p.length === undefined) return p;
  let written: unknown;
  try {
    written = JSON.parse(text.slice(p.offset, p.offset + p.length));
  } catch {
    return p;
  }
  if (typeof written !== 'string') return p;
  const meant = meantInputType(written);
  if (!meant) return p;
  const at = p.message.indexOf(';');
  const message = `${at < 0 ? p.message : p.message.slice(0, at)}; did you mean "${meant}"?`;
  return { ...p, severity: 'error', message, fix: `write "type": "${meant}"`, replacement: JSON.stringify(meant) };
}
