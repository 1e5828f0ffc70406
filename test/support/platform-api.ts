/** A small client of the platform's HTTP API for tests: every call returns status and body, nothing is thrown on 4xx. */
export interface ApiReply<T = any> {
  status: number;
  body: T;
}

export class PlatformApi {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  withToken(token: string | undefined): PlatformApi {
    return new PlatformApi(this.url, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: string | Buffer | undefined;
    if (Buffer.isBuffer(body)) {
      payload = body;
      h['content-type'] ??= 'application/zip';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload });
    const text = await res.text();
    return { status: res.status, body: text ? (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : undefined } as ApiReply<T>;
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Polls GET /api/things until `done` holds for the listed Things (or throws after timeoutMs with what it saw). */
  async waitForThings(done: (things: any[]) => boolean, timeoutMs = 20_000): Promise<any[]> {
    const until = Date.now() + timeoutMs;
    let last: any[] = [];
    while (Date.now() < until) {
      const r = await this.get('/api/things');
      last = r.body.things ?? [];
      if (done(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the Things did not get there within ${timeoutMs} ms; last seen: ${JSON.stringify(last).slice(0, 2000)}`);
  }
}

/** Every app of the Thing (own and inherited) running, and its revision reached. */
export function runsEverything(t: any): boolean {
  return t.inSync && [...t.apps, ...t.inherited].every((a: any) => a.status.state === 'running');
}
