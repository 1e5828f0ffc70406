/**
 * What load actions installed on one simulated Thing, kept in a folder of its own across restarts:
 * the system version and the image it came from, the firmware of the Thing and of each device
 * (native images), and the resources installed by setup images. Resource contents are kept by
 * their SHA-256 (`blobs/`), never overwritten; `images.json` names what is installed and is replaced
 * atomically (written aside, then renamed). A change is so all or nothing, even under kill -9, and
 * a system image's rollback is writing the previous record back (its blobs are kept until `prune`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ImageRecord, InstalledImages, ResourceKind } from '../../protocol';

export type { ImageRecord, InstalledImages, ResourceKind };

/** A resource to install: its path, kind and bytes. */
export interface ResourceFile {
  path: string;
  kind: ResourceKind;
  data: Uint8Array;
}

/** One change of what is installed, applied whole or not at all. */
export interface ImagesChange {
  system?: { version: string; image: ImageRecord };
  firmware?: { target: string; record: ImageRecord }[];
  resources?: { files: ResourceFile[]; from: string };
}

export const INITIAL_SYSTEM_VERSION = '1.0.0';

export class ThingImages {
  private current: InstalledImages = { system: { version: INITIAL_SYSTEM_VERSION }, firmware: {}, resources: {} };
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  /** The Thing's images in `dir` (created when missing). */
  static async open(dir: string): Promise<ThingImages> {
    const images = new ThingImages(dir);
    await fs.mkdir(path.join(dir, 'blobs'), { recursive: true });
    try {
      images.current = JSON.parse(await fs.readFile(path.join(dir, 'images.json'), 'utf8')) as InstalledImages;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${path.join(dir, 'images.json')} cannot be read (${(e as Error).message}): move it aside to start the Thing's images anew`);
    }
    return images;
  }

  get installed(): InstalledImages {
    return structuredClone(this.current);
  }

  /** A resource's bytes. */
  async read(resourcePath: string): Promise<Buffer> {
    const r = this.current.resources[resourcePath];
    if (!r) throw new Error(`no resource ${resourcePath} is installed`);
    return fs.readFile(path.join(this.dir, 'blobs', r.sha256));
  }

  /** Applies a change: its resources' bytes first, then the record that names them. Returns the record before. */
  apply(change: ImagesChange, since: string): Promise<InstalledImages> {
    return this.serial(async () => {
      const before = structuredClone(this.current);
      const next = structuredClone(this.current);
      if (change.system) next.system = change.system;
      for (const f of change.firmware ?? []) next.firmware[f.target] = f.record;
      for (const file of change.resources?.files ?? []) {
        const sha256 = createHash('sha256').update(file.data).digest('hex');
        const blob = path.join(this.dir, 'blobs', sha256);
        await fs.writeFile(blob, file.data, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        next.resources[file.path] = { kind: file.kind, sha256, size: file.data.length, from: change.resources!.from, since };
      }
      await this.write(next);
      return before;
    });
  }

  /** Puts back what was installed before (a system image's rollback). */
  restore(previous: InstalledImages): Promise<void> {
    return this.serial(() => this.write(structuredClone(previous)));
  }

  private async write(next: InstalledImages): Promise<void> {
    const file = path.join(this.dir, 'images.json');
    const aside = `${file}.${process.pid}.tmp`;
    const handle = await fs.open(aside, 'w');
    try {
      await handle.writeFile(JSON.stringify(next, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(aside, file);
    this.current = next;
  }

  /**
   * Removes the blobs nothing names any more. Called once a load is final: a system image's
   * rollback still needs the blobs of the record before it.
   */
  prune(): Promise<void> {
    return this.serial(() => this.collect());
  }

  private async collect(): Promise<void> {
    const named = new Set(Object.values(this.current.resources).map((r) => r.sha256));
    for (const name of await fs.readdir(path.join(this.dir, 'blobs'))) {
      if (!named.has(name)) await fs.rm(path.join(this.dir, 'blobs', name), { force: true });
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writing.then(work);
    this.writing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
