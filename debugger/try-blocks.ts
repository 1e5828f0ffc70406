/**
 * Where app.js catches its own exceptions: the `try` blocks that have a `catch`. The sandbox's
 * prelude runs every handler inside a try of its own, so to V8 no app exception is ever uncaught;
 * "Uncaught Exceptions" means, to an app author, one the app does not catch itself. An exception is
 * that when no frame of the app, from the throw outwards, sits inside one of these blocks.
 */
import { readFileSync } from 'node:fs';
import { parseScript, walk } from '../runtime/sandbox/script-ast';

interface Block {
  /** 1-based line, 1-based column, as the author's editor counts them. */
  from: [number, number];
  to: [number, number];
}

export class TryBlocks {
  private readonly byFile = new Map<string, Block[]>();

  /** The app file's try-with-catch blocks (read once; an unreadable or unparsable file has none). */
  private blocksOf(file: string): Block[] {
    let blocks = this.byFile.get(file);
    if (blocks) return blocks;
    blocks = [];
    try {
      const parsed = parseScript(readFileSync(file, 'utf8'), file);
      walk(parsed.program, (node) => {
        if (node.type !== 'TryStatement' || !node.handler) return;
        const block = node.block as { loc?: { start: { line: number; column: number }; end: { line: number; column: number } } };
        if (block.loc) blocks!.push({ from: [block.loc.start.line, block.loc.start.column + 1], to: [block.loc.end.line, block.loc.end.column + 1] });
      });
    } catch {
      /* no blocks: every exception counts as uncaught */
    }
    this.byFile.set(file, blocks);
    return blocks;
  }

  /** Whether this place of the file is inside a try block that has a catch. */
  catches(file: string, line: number, column: number): boolean {
    return this.blocksOf(file).some((b) => after([line, column], b.from) && after(b.to, [line, column]));
  }
}

function after(a: [number, number], b: [number, number]): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}
