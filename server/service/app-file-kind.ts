/**
 * The files beside an app that the scenario runner reads: scenarios, instance configs and devices.
 * Told by name only (pure: the client decides with it what to send the server).
 */
import { SCENARIO_SUFFIX } from '../../runtime/scenario/types';

export type AppFileKind = 'scenario' | 'instance' | 'devices';

export function appFileKindFromName(path: string): AppFileKind | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (base.endsWith(SCENARIO_SUFFIX)) return 'scenario';
  if (base === 'instance.json' || base.endsWith('.instance.json')) return 'instance';
  if (base === 'devices.json' || base.endsWith('.devices.json')) return 'devices';
  return undefined;
}
