/**
 * The platform's HTTP API as the IDE calls it: typed answers (platform/protocol/api-types.ts), a
 * bearer token, a timeout on every call, and one error type that says which call failed and why.
 * It holds no state; live-platform.ts keeps what it read.
 */
import type { AppInstance, AppListing, DeployAnswer, DiffAnswer, EndpointTokenAnswer, ErrorAnswer, HealthAnswer, ImageInspection, InstanceInput, LoadAnswer, PlanInput, Rollout, RolloutThing, Template, TemplateView, ThingView } from '../protocol/api-types';
import { classifyFailure, type FailureKind } from './network-failure';

export class PlatformApiError extends Error {
  constructor(
    message: string,
    /** the HTTP status, or 0 when no answer came */
    readonly status: number,
    /** the API's error code, or how the network failed */
    readonly code: string | FailureKind,
  ) {
    super(message);
  }
}

export interface PlatformApiOptions {
  /** the platform's base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  token: string;
  /** per call (default 10 s) */
  timeoutMs?: number;
}

export class PlatformApi {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PlatformApiOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  health(): Promise<HealthAnswer> {
    return this.call('GET', '/api/health');
  }

  async apps(): Promise<AppListing[]> {
    return (await this.call<{ apps: AppListing[] }>('GET', '/api/apps')).apps;
  }

  app(appId: number): Promise<AppListing> {
    return this.call('GET', `/api/apps/${appId}`);
  }

  async things(): Promise<ThingView[]> {
    return (await this.call<{ things: ThingView[] }>('GET', '/api/things')).things;
  }

  thing(thingId: string): Promise<ThingView> {
    return this.call('GET', `/api/things/${encodeURIComponent(thingId)}`);
  }

  async templates(): Promise<Template[]> {
    return (await this.call<{ templates: Template[] }>('GET', '/api/templates')).templates;
  }

  template(templateId: string): Promise<TemplateView> {
    return this.call('GET', `/api/templates/${encodeURIComponent(templateId)}`);
  }

  /** Deploys a bundle (a zip as makeBundle makes it) to the App Store. */
  deploy(bundle: Uint8Array): Promise<DeployAnswer> {
    return this.call('POST', '/api/apps', bundle, 'application/zip');
  }

  /** One action on the own apps of several Things, in one transaction. */
  async bulkProvision(thingIds: string[], app: InstanceInput): Promise<Array<{ thingId: string; revision: number }>> {
    return (await this.call<{ things: Array<{ thingId: string; revision: number }> }>('POST', '/api/bulk', { action: 'provision', thingIds, app })).things;
  }

  /** The dry run of a plan: which Things gain, lose or change which apps. */
  diff(plan: PlanInput): Promise<DiffAnswer> {
    return this.call('POST', '/api/rollouts/diff', { plan });
  }

  /** Starts a staged rollout of a plan. */
  startRollout(plan: PlanInput, options: { batchSize?: number; failureThreshold?: number; ackTimeoutMs?: number } = {}): Promise<Rollout> {
    return this.call('POST', '/api/rollouts', { plan, ...options });
  }

  rollout(rolloutId: string): Promise<Rollout & { things: RolloutThing[] }> {
    return this.call('GET', `/api/rollouts/${encodeURIComponent(rolloutId)}`);
  }

  async rollouts(): Promise<Rollout[]> {
    return (await this.call<{ rollouts: Rollout[] }>('GET', '/api/rollouts')).rollouts;
  }

  /** Pauses, resumes or cancels a rollout (a cancelled Template rollout gives the Template its previous apps back). */
  rolloutCommand(rolloutId: string, command: 'pause' | 'resume' | 'cancel'): Promise<Rollout> {
    return this.call('POST', `/api/rollouts/${encodeURIComponent(rolloutId)}/${command}`);
  }

  addThingApp(thingId: string, instance: InstanceInput): Promise<AppInstance> {
    return this.call('POST', `/api/things/${encodeURIComponent(thingId)}/apps`, instance);
  }

  removeThingApp(thingId: string, installationId: number): Promise<void> {
    return this.call('DELETE', `/api/things/${encodeURIComponent(thingId)}/apps/${installationId}`);
  }

  /** A version's bundle from the App Store (a read token's download), as bytes. */
  async bundle(appId: number, version: string): Promise<Buffer> {
    const route = `/bundles/${appId}/${encodeURIComponent(version)}`;
    let response: Response;
    try {
      response = await fetch(this.url + route, { headers: { authorization: `Bearer ${this.options.token}` }, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const failure = classifyFailure(e, this.url);
      throw new PlatformApiError(`GET ${this.url}${route}: ${failure.message}`, 0, failure.kind);
    }
    if (!response.ok) throw new PlatformApiError(`GET ${this.url}${route}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`, response.status, `http_${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /** A token for one installation's endpoints only (seed 001's web services), and their base path. */
  endpointToken(thingId: string, installationId: number, name?: string): Promise<EndpointTokenAnswer> {
    return this.call('POST', `/api/things/${encodeURIComponent(thingId)}/apps/${installationId}/tokens`, name ? { name } : {});
  }

  /** What a load action's url holds: its manifest, to show before proceeding (the platform fetches it). */
  inspectLoad(args: Record<string, unknown>): Promise<ImageInspection> {
    return this.call('POST', '/api/loads/inspect', { args }, 'application/json', 70_000);
  }

  /** Sends a load action to a Thing (or one of its devices, "protocol/handle") and waits up to `waitS` for its completion. */
  sendLoad(thingId: string, args: Record<string, unknown>, options: { device?: string; waitS: number }): Promise<LoadAnswer> {
    // The call may take the whole wait, and a little more.
    return this.call('POST', `/api/things/${encodeURIComponent(thingId)}/loads`, { args, wait: options.waitS, ...(options.device ? { device: options.device } : {}) }, 'application/json', (options.waitS + 30) * 1000);
  }

  /** One call; a non-2xx answer or a network failure throws a PlatformApiError naming the call. */
  async call<T>(method: string, route: string, body?: unknown, contentType = 'application/json', timeoutMs = this.timeoutMs): Promise<T> {
    const where = `${method} ${this.url}${route}`;
    let response: Response;
    try {
      response = await fetch(this.url + route, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const failure = classifyFailure(e, this.url);
      throw new PlatformApiError(`${where}: ${failure.message}`, 0, failure.kind);
    }
    const text = await response.text();
    if (!response.ok) {
      let error: ErrorAnswer['error'] | undefined;
      try {
        error = (JSON.parse(text) as ErrorAnswer).error;
      } catch {
        // not the API's error shape: a proxy's page, say
      }
      const code = response.status === 401 ? 'credentials' : (error?.code ?? `http_${response.status}`);
      const reason = response.status === 401 ? `the token was refused (${error?.message ?? 'HTTP 401'})` : (error?.message ?? `HTTP ${response.status} ${response.statusText}`);
      throw new PlatformApiError(`${where}: ${reason}`, response.status, code);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}
