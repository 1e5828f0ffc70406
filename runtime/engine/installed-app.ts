import type { AppJson } from '../app/app-json-types';
import { AppSandbox } from '../sandbox/app-sandbox';
import type { BridgeFunction } from '../sandbox/prelude/types';
import { AppJobs } from './app-jobs';
import { OutputLimiter, type ExecutionOutput } from './output-limiter';
import { RateLimiter } from './rate-limiter';
import type { Route } from './routes';

/** What the runtime needs of an app package: its script and its app.json. */
export interface AppSource {
  name: string;
  version?: string;
  appJson: AppJson;
  scriptFile: string;
  script: string;
}

export interface ExecutionContext extends ExecutionOutput {
  execId: number;
  handler: string;
  kind: string;
}

/** One installed instance of an app: its sandbox and everything the platform keeps for it. */
export class InstalledApp {
  readonly sandbox: AppSandbox;
  readonly children = new Set<string>();
  readonly childDevices = new Set<string>();
  readonly pendingAsync = new Map<number, ExecutionContext>();
  /** What the app may still log and notify (issue 13: output floods). */
  readonly output = new OutputLimiter();
  routes: Route[] = [];
  /** The routes its script declared at its top level, as it loaded (a restore tells new code's declaration from routes set at run time by them). */
  declaredRoutes: Route[] = [];
  stateJson = '{}';
  dirty = false;
  /** Set between execution start and end for synchronous executions. */
  current: ExecutionContext | undefined;
  /** Guard trips seen so far, to tell a time-limit stop from an ordinary error. */
  trips = 0;
  uninstalling = false;

  constructor(
    readonly id: string,
    readonly label: string,
    readonly source: AppSource,
    public config: Record<string, unknown>,
    readonly parentId: string | undefined,
    readonly jobs: AppJobs,
    readonly rate: RateLimiter,
    cpuLimitMs: number,
    bridge: BridgeFunction,
    onRejection: (reason: unknown) => void,
  ) {
    this.sandbox = new AppSandbox({
      appId: id,
      label,
      name: source.name,
      file: source.scriptFile,
      source: source.script,
      cpuLimitMs,
      bridge,
      onRejection,
    });
  }
}
