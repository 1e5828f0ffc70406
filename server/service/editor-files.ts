import { statSync } from 'node:fs';
import type { FileSource } from '../../runtime/app/load-app';

/**
 * The runtime's view of the files (FileSource) as the editor sees them: an open buffer wins over
 * the disk, so what is checked is what the user is looking at, saved or not.
 */
export function editorFiles(readFile: (path: string) => string | undefined): FileSource {
  return {
    readText(path) {
      const text = readFile(path);
      if (text !== undefined) return text;
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    },
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    exists: (path) => readFile(path) !== undefined,
  };
}
