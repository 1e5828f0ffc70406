/**
 * Checks of app.json that span more than one value: names in guide pages and repeats must be
 * inputs, repeats must not contain themselves, every input must be reachable, min ≤ max, and
 * defaults must be acceptable to their own input.
 */
import { type Fix, literalFix, SourceProblem } from '../errors';
import type { AppJson, RepeatInput } from './app-json-types';
import { isValueOf, keyOf, validatorRegExp } from './input-rules';
import { JsonDocument, JsonNode, problemAt, propertyValue } from './json-tree';
import { suggestName } from '../suggest';

export interface InputLocation {
  /** The input's name in the "input" object. */
  readonly keyNode: JsonNode;
  readonly node: JsonNode;
}

/**
 * The value node of an input's parameter as written (the last, when written twice). Looked up in
 * the tree when needed rather than kept per input: a large file has thousands of inputs, and the
 * checks look up only a few parameters of a few of them.
 */
export function paramNode(input: InputLocation, param: string): JsonNode | undefined {
  return propertyValue(input.node, param);
}

export interface PageLocation {
  readonly node: JsonNode;
  /** How messages name the page: by id, else title, else position. */
  label: string;
  /** One node per name in the page's input_fields. */
  fieldNodes: JsonNode[];
  /** The page's "id" value, when written. */
  idNode?: JsonNode;
}

export interface AppJsonLocations {
  inputNode?: JsonNode;
  guideNode?: JsonNode;
  /** Every input written in app.json, including those left out of AppJson for bad types. */
  readonly inputs: Map<string, InputLocation>;
  readonly pages: PageLocation[];
}

export function checkAppJsonSemantics(doc: JsonDocument, appJson: AppJson, loc: AppJsonLocations): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const report = (at: JsonNode, severity: 'error' | 'warning', code: string, message: string, fix?: Fix): void => {
    problems.push(problemAt(doc, at, severity, code, message, fix));
  };
  // Listed only when a name is unknown (for did-you-mean): most files have no such mistake.
  let declared: string[] | undefined;
  const unknownName = (name: string, where: string, at: JsonNode): void => {
    declared ??= [...loc.inputs.keys()];
    const s = suggestName(name, declared);
    report(at, 'error', 'unknown-input', `${where} lists "${name}", which is not an input;${s ? ` did you mean "${s}"?` : ' no input has that name'}`, s ? literalFix(`write "${s}"`, JSON.stringify(s)) : `add an input "${name}" to "input" or remove it from the list`);
  };

  // Guide pages: ids identify pages, so two pages may not share one.
  const pageIds = new Map<string, number>();
  loc.pages.forEach((page, i) => {
    const id = appJson.guide[i]?.id;
    if (id === undefined || !page.idNode) return;
    const first = pageIds.get(id);
    if (first === undefined) pageIds.set(id, i);
    else report(page.idNode, 'error', 'guide-duplicate-id', `guide page ${i + 1} has the id "${id}" of guide page ${first + 1}; page ids must differ`, `give it another id, e.g. "${id}_${i + 1}"`);
  });
  const pageOf = new Map<string, string>();
  loc.pages.forEach((page, i) => {
    appJson.guide[i].input_fields.forEach((name, j) => {
      const at = page.fieldNodes[j];
      if (!loc.inputs.has(name)) unknownName(name, page.label, at);
      else if (pageOf.has(name)) report(at, 'warning', 'input-on-two-pages', `input "${name}" is on ${pageOf.get(name)} and again on ${page.label}`, 'list it on one page only');
      else pageOf.set(name, page.label);
    });
  });

  // Repeats: members must exist; no repeat may contain itself.
  // Names, not Object.entries: one array for thousands of inputs instead of a pair per input.
  const names = Object.keys(appJson.input);
  const repeats: [string, RepeatInput][] = [];
  for (const name of names) {
    const input = appJson.input[name];
    if (input.type === 'repeat') repeats.push([name, input]);
  }
  const fieldNode = (repeat: string, index: number): JsonNode => {
    const at = loc.inputs.get(repeat);
    const list = at && paramNode(at, 'input_fields');
    return list?.children?.filter((c) => typeof c.value === 'string')[index] ?? list ?? loc.inputs.get(repeat)!.keyNode;
  };
  const inRepeat = new Map<string, string>();
  for (const [name, repeat] of repeats) {
    repeat.input_fields.forEach((member, j) => {
      if (!loc.inputs.has(member)) unknownName(member, `repeat "${name}"`, fieldNode(name, j));
      else if (!inRepeat.has(member)) inRepeat.set(member, name);
    });
    const at = loc.inputs.get(name);
    const listNode = at && paramNode(at, 'input_fields');
    if (listNode?.type === 'array' && (listNode.children ?? []).length === 0) {
      report(listNode, 'warning', 'repeat-empty', `repeat "${name}" has no input_fields, so its entries are empty`, 'list the inputs every entry should ask for');
    }
  }
  const inCycles = checkCycles(repeats, fieldNode, report);

  // Reachability.
  const guideMissing = loc.guideNode === undefined;
  if (guideMissing && loc.inputs.size > 0) {
    report(doc.root!, 'warning', 'guide-missing', 'app.json has inputs but no "guide", so the configuration wizard shows no pages', 'add "guide": [ { "title": "…", "input_fields": [ … ] } ]');
  }
  loc.inputs.forEach((l, name) => {
    const page = pageOf.get(name);
    const repeat = inRepeat.get(name);
    if (!page && !repeat && !guideMissing) {
      report(l.keyNode, 'warning', 'input-unreachable', `input "${name}" is on no guide page and in no repeat, so the user is never asked for it`, `add "${name}" to the input_fields of a guide page`);
    }
    // A repeat in a cycle already has an error; saying it is also on a page adds only noise.
    if (page && repeat && !inCycles.has(name)) {
      report(l.keyNode, 'warning', 'input-in-repeat-and-page', `input "${name}" is in repeat "${repeat}" and also on ${page}, so it is asked for both per entry and once at the top level`, `remove it from ${page} or from the repeat`);
    }
  });

  // Per-input value checks. Where each input is written is looked up only to report a problem.
  for (const name of names) {
    const input = appJson.input[name];
    switch (input.type) {
      case 'repeat':
        if (input.min !== undefined && input.max !== undefined && input.min > input.max) {
          report(paramOrName(loc.inputs.get(name)!, 'max'), 'error', 'repeat-min-max', `repeat "${name}": "max" ${input.max} is less than "min" ${input.min}`, `make "max" at least ${input.min}, or lower "min"`);
        }
        break;
      case 'text': {
        const re = validatorRegExp(input);
        if (re && input.default !== undefined && !re.test(input.default)) {
          const why = input.on_error ? ` (${input.on_error})` : '';
          report(paramOrName(loc.inputs.get(name)!, 'default'), 'warning', 'input-default-invalid', `input "${name}": "default" ${JSON.stringify(input.default)} does not match its validator /${input.validator}/${why}`, 'change the default to text the validator accepts, or the validator (it must match the whole text)');
        }
        break;
      }
      case 'option':
      case 'checkbox': {
        const l = loc.inputs.get(name)!;
        const keys = Object.keys(input.values ?? {});
        // A "values" whose entries all had bad names was reported already; not "no values" too.
        if (keys.length === 0 && (paramNode(l, 'values')?.children ?? []).length === 0) {
          report(paramOrName(l, 'values'), 'warning', 'input-no-values', `${input.type} input "${name}" has no "values", so nothing can be selected`, 'add "values": { "<value>": "<display name>" }');
          break;
        }
        const defaults = input.default === undefined ? [] : Array.isArray(input.default) ? input.default : [input.default];
        const defaultNode = paramNode(l, 'default');
        defaults.forEach((d, i) => {
          if (isValueOf(input, d)) return;
          const node = defaultNode?.type === 'array' ? (defaultNode.children?.[i] ?? defaultNode) : paramOrName(l, 'default');
          const s = suggestName(keyOf(d) ?? '', keys);
          const hint = s ? `; did you mean "${s}"?` : '';
          report(node, 'error', 'input-default-invalid', `input "${name}": default ${JSON.stringify(d)} is not one of its values (${keys.map((k) => JSON.stringify(k)).join(', ')})${hint}`, s ? literalFix(`write "${s}"`, JSON.stringify(s)) : 'use a key of "values"');
        });
        break;
      }
      default:
        break;
    }
  }
  return problems;
}

/** Where a problem with a parameter is shown: at its value, else (when not written) at the input's name. */
function paramOrName(input: InputLocation, param: string): JsonNode {
  return paramNode(input, param) ?? input.keyNode;
}

function checkCycles(
  repeats: [string, RepeatInput][],
  fieldNode: (repeat: string, index: number) => JsonNode,
  report: (at: JsonNode, severity: 'error', code: string, message: string, fix: string) => void,
): Set<string> {
  const inCycles = new Set<string>();
  const byName = new Map(repeats);
  // Plain depth-first search: every back edge closes a cycle and is reported where it is written.
  const done = new Set<string>();
  const visit = (path: string[]): void => {
    const current = path[path.length - 1];
    byName.get(current)!.input_fields.forEach((member, j) => {
      if (!byName.has(member) || done.has(member)) return;
      const start = path.indexOf(member);
      if (start < 0) {
        visit([...path, member]);
        return;
      }
      const cycle = path.slice(start);
      for (const n of cycle) inCycles.add(n);
      const shown = [...cycle, member].map((n) => `"${n}"`).join(' → ');
      const message = cycle.length === 1 ? `repeat "${member}" lists itself in its input_fields` : `repeat "${member}" contains itself: ${shown}`;
      report(fieldNode(current, j), 'error', 'repeat-cycle', message, `remove "${member}" from the input_fields of "${current}"`);
    });
    done.add(current);
  };
  for (const [name] of repeats) if (!done.has(name)) visit([name]);
  return inCycles;
}
