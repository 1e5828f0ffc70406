/**
 * What the store keeps in memory, because the embedded backend reads slowly (node-sqlite3-wasm:
 * ~0.6 ms a point read, against ~0.005 ms for a native SQLite).
 * - Bundles by SHA-256, in both backends: content-addressed bytes never change, so no replica can
 *   serve a stale one (the version row is still read, so a removed version is not served).
 * - Rows read often (Things and their secrets, desired states, app versions, tokens), only when
 *   this process is the store's one writer (the embedded folder is locked to one process). Every
 *   write clears its namespaces after it commits; a read that started before a write does not
 *   put its (possibly older) result in the cache.
 */
export type CacheNamespace = 'apps' | 'things' | 'desired' | 'tokens';

export class ReadCache {
  private readonly maps = new Map<CacheNamespace, Map<string, unknown>>();
  private readonly generations = new Map<CacheNamespace, number>();

  constructor(readonly enabled: boolean) {}

  async get<T>(ns: CacheNamespace, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const map = this.map(ns);
    if (map.has(key)) return structuredClone(map.get(key) as T);
    const generation = this.generations.get(ns) ?? 0;
    const value = await load();
    if ((this.generations.get(ns) ?? 0) === generation) map.set(key, structuredClone(value));
    return value;
  }

  clear(...namespaces: CacheNamespace[]): void {
    for (const ns of namespaces) {
      this.generations.set(ns, (this.generations.get(ns) ?? 0) + 1);
      this.maps.get(ns)?.clear();
    }
  }

  private map(ns: CacheNamespace): Map<string, unknown> {
    let m = this.maps.get(ns);
    if (!m) this.maps.set(ns, (m = new Map()));
    return m;
  }
}

/** Bundle bytes by SHA-256, least recently used dropped first past `maxBytes`. */
export class BundleCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(sha256: string): Buffer | undefined {
    const b = this.entries.get(sha256);
    if (b) {
      this.entries.delete(sha256);
      this.entries.set(sha256, b);
    }
    return b;
  }

  set(sha256: string, bytes: Buffer): void {
    if (bytes.length > this.maxBytes || this.entries.has(sha256)) return;
    this.entries.set(sha256, bytes);
    this.bytes += bytes.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }
}
