/**
 * instance.json: how an app instance is configured locally. Either seed 003's ("The app.json file") API body
 * `{ "app_id", "installation_id", "version", "config": { … }, "name" }` or the bare config object.
 *
 * Rule for telling them apart: the file is the API body when its root has a "config" key whose
 * value is an object; except that when the app itself declares an input named "config" (whose
 * value may be an object too), the root must also have "app_id" or "installation_id".
 */
import { findNodeAtLocation } from 'jsonc-parser';
import { type Fix, literalFix, type SourceProblem } from '../errors';
import type { AppJson } from './app-json-types';
import { checkConfig } from './check-config';
import type { ConfigPath, ConfigProblem, SelectorCatalogue } from './config-types';
import { describeValue, JsonNode, nodeValue, parseJsonDocument, problemAt, properties, propertyValue, sortByPosition } from './json-tree';
import { suggestName } from '../suggest';

export interface InstanceFile {
  /** `api`: seed 003's API body; `bare`: the file is the config object itself. */
  shape?: 'api' | 'bare';
  /** The instance's name (API body only). */
  name?: string;
  /** The API body's ids and version, where they are what they must be (whole numbers, a string). */
  appId?: number;
  installationId?: number;
  version?: string;
  /** The config as written (no defaults applied); absent when the file cannot be read as one. */
  config?: Record<string, unknown>;
  /** Syntax, API-body and config problems, in file order. */
  problems: SourceProblem[];
}

const API_KEYS = ['app_id', 'installation_id', 'version', 'config', 'name'] as const;

export function parseInstanceFile(text: string, file: string, appJson: AppJson, catalogue?: SelectorCatalogue): InstanceFile {
  // A local file, so comments are welcome; what is deployed is the parsed object.
  const doc = parseJsonDocument(text.replace(/^\uFEFF/, ''), file, { allowComments: true });
  const problems = [...doc.problems];
  if (problems.some((p) => p.code === 'json-syntax')) return { problems };
  const root = doc.root;
  if (!root || root.type !== 'object') {
    problems.push(problemAt(doc, root ?? 0, 'error', 'instance-root', `an instance file must be a JSON object; got ${root ? describeValue(nodeValue(root)) : 'nothing'}`, 'write { "config": { … } } or the config object itself'));
    return { problems };
  }
  const configNode = propertyValue(root, 'config');
  const hasApiIds = propertyValue(root, 'app_id') !== undefined || propertyValue(root, 'installation_id') !== undefined;
  const isApi = configNode?.type === 'object' && (!('config' in appJson.input) || hasApiIds);
  const report = (at: JsonNode, severity: 'error' | 'warning', code: string, message: string, fix: Fix): void => {
    problems.push(problemAt(doc, at, severity, code, message, fix));
  };

  let name: string | undefined;
  const ids: Pick<InstanceFile, 'appId' | 'installationId' | 'version'> = {};
  if (isApi) {
    for (const { key, keyNode, valueNode } of properties(root)) {
      const v = nodeValue(valueNode);
      if (key === 'app_id' || key === 'installation_id') {
        if (typeof v !== 'number' || !Number.isInteger(v)) report(valueNode, 'error', 'instance-type', `"${key}" must be a whole number; got ${describeValue(v)}`, typeof v === 'string' && /^\d+$/.test(v) ? literalFix(`use ${v} (a number)`, String(Number(v))) : `write "${key}": 1`);
        else ids[key === 'app_id' ? 'appId' : 'installationId'] = v;
      } else if (key === 'version' || key === 'name') {
        if (typeof v !== 'string') report(valueNode, 'error', 'instance-type', `"${key}" must be a string; got ${describeValue(v)}`, typeof v === 'number' ? literalFix(`write "${key}": "${v}"`, JSON.stringify(String(v))) : `write "${key}": "…"`);
        else if (key === 'name') name = v;
        else {
          ids.version = v;
          if (appJson.version !== undefined && v !== appJson.version) report(valueNode, 'warning', 'instance-version', `the instance is for version ${v} but app.json is version ${appJson.version}`, literalFix(`write "version": "${appJson.version}"`, JSON.stringify(appJson.version)));
        }
      } else if (key !== 'config') {
        const s = suggestName(key, API_KEYS);
        report(keyNode, 'warning', 'instance-unknown-key', `unknown key "${key}" in the instance file;${s ? ` did you mean "${s}"?` : ` its keys are ${API_KEYS.join(', ')}`}`, s ? literalFix(`rename it to "${s}"`, JSON.stringify(s)) : 'remove it, or move it into "config"');
      }
    }
  }
  const base = isApi ? configNode! : root;
  const config = nodeValue(base) as Record<string, unknown>;
  for (const p of checkConfig(appJson, config, catalogue)) problems.push(toSourceProblem(doc, base, p));
  return { shape: isApi ? 'api' : 'bare', ...(name !== undefined ? { name } : {}), ...ids, config, problems: sortByPosition(problems) };
}

/** Places a config problem on its node, or on the nearest enclosing one for a missing input. */
export function configProblemPosition(configNode: JsonNode, path: ConfigPath, at?: 'key'): JsonNode {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(configNode, path.slice(0, n));
    if (!node) continue;
    if (n === path.length && at === 'key' && node.parent?.type === 'property') return node.parent.children?.[0] ?? node;
    return node;
  }
  return configNode;
}

function toSourceProblem(doc: { file: string; text: string }, configNode: JsonNode, p: ConfigProblem): SourceProblem {
  return problemAt(doc, configProblemPosition(configNode, p.path, p.at), p.severity, p.code, p.message, configFix(p));
}

/** A config problem's fix, with the literal that does it where the checker knows one. */
export function configFix(p: ConfigProblem): Fix {
  return p.replacement !== undefined ? literalFix(p.fix, p.replacement) : p.fix;
}
