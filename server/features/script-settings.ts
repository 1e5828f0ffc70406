import { parse } from 'acorn-loose';

/** `settings.X` (and `settings["X"]`, `config.X`) in app.js: the names an app reads from its config. */
export interface SettingsReference {
  readonly name: string;
  /** Offset and length of the name itself (without quotes for the bracket form). */
  readonly offset: number;
  readonly length: number;
  readonly object: 'settings' | 'config';
}

/** An acorn (ESTree) node, as far as the walkers here look at it. */
export interface EsNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export const isNode = (v: unknown): v is EsNode => typeof v === 'object' && v !== null && typeof (v as EsNode).type === 'string';

/**
 * Every read of a setting in a script. acorn-loose parses scripts with syntax errors too, so the
 * references stay current while the user types. A local variable named `settings` hides the global:
 * a declaration of that name anywhere makes its reads ambiguous, and they are left out.
 */
export function settingsReferences(script: string): SettingsReference[] {
  let program: EsNode;
  try {
    program = parse(script, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as EsNode;
  } catch {
    return [];
  }
  const shadowed = new Set<string>();
  const refs: SettingsReference[] = [];
  const visit = (node: EsNode): void => {
    if (node.type === 'VariableDeclarator' || node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      const ids: unknown[] = node.type === 'VariableDeclarator' ? [node.id] : [...((node.params as unknown[]) ?? [])];
      for (const id of ids) if (isNode(id) && id.type === 'Identifier' && (id.name === 'settings' || id.name === 'config')) shadowed.add(id.name as string);
    }
    if (node.type === 'MemberExpression') {
      const obj = node.object as EsNode;
      const prop = node.property as EsNode;
      if (obj.type === 'Identifier' && (obj.name === 'settings' || obj.name === 'config')) {
        const object = obj.name as 'settings' | 'config';
        if (!node.computed && prop.type === 'Identifier' && prop.name !== '✖') {
          refs.push({ name: prop.name as string, offset: prop.start, length: prop.end - prop.start, object });
        } else if (node.computed && prop.type === 'Literal' && typeof prop.value === 'string') {
          refs.push({ name: prop.value, offset: prop.start + 1, length: prop.end - prop.start - 2, object });
        }
      }
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) for (const c of v) { if (isNode(c)) visit(c); }
      else if (isNode(v)) visit(v);
    }
  };
  visit(program);
  return refs.filter((r) => !shadowed.has(r.object));
}
