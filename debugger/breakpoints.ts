/**
 * The session's breakpoints: DAP's per-file lists kept as the user set them, applied to the engine
 * thread's inspector (and applied again to each new engine thread), and judged when V8 stops on
 * them: conditions are V8's; hit counts and logpoints are judged here.
 */
import type { Protocol } from 'devtools-protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CdpClient } from './cdp-client';
import type { ScriptRegistry } from './script-registry';

interface HitCondition {
  op: '>' | '>=' | '==' | '<' | '<=' | '%';
  n: number;
}

export interface BreakpointEntry {
  /** DAP's id. */
  id: number;
  file: string;
  line: number;
  column?: number;
  condition?: string;
  hitCondition?: HitCondition;
  logMessage?: string;
  cdpId?: string;
  verified: boolean;
  /** Where V8 put it (the author's line), once resolved. */
  actualLine?: number;
  message?: string;
  hits: number;
}

/** What the breakpoints V8 stopped on ask for. */
export interface Judgement {
  /** Stop and show it. */
  stop: boolean;
  /** DAP ids of the breakpoints that stopped it. */
  ids: number[];
  /** Logpoints whose messages are to be written (then go on unless `stop`). */
  logpoints: BreakpointEntry[];
}

const HIT = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/;

/** "5" (the 5th hit and after), ">= 5", "== 5", "% 2" (every second hit), …; undefined if malformed. */
export function parseHitCondition(text: string): HitCondition | undefined {
  const m = HIT.exec(text);
  if (!m) return undefined;
  return { op: (m[1] ?? '>=') as HitCondition['op'], n: Number(m[2]) };
}

function hitMatches(c: HitCondition, hits: number): boolean {
  switch (c.op) {
    case '>': return hits > c.n;
    case '>=': return hits >= c.n;
    case '==': return hits === c.n;
    case '<': return hits < c.n;
    case '<=': return hits <= c.n;
    case '%': return c.n > 0 && hits % c.n === 0;
  }
}

/**
 * DAP ids that stay the same for the same breakpoint (file, line, column) across the debuggees of
 * one session: a restart or a step back makes a new debuggee, and the client knows its breakpoints
 * by id.
 */
export class BreakpointIds {
  private seq = 0;
  private readonly ids = new Map<string, number>();

  of(file: string, line: number, column: number | undefined): number {
    const key = `${file}\u0000${line}\u0000${column ?? ''}`;
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = ++this.seq));
    return id;
  }
}

export class Breakpoints {
  private readonly byFile = new Map<string, BreakpointEntry[]>();
  private readonly byCdpId = new Map<string, BreakpointEntry>();

  constructor(
    private readonly cdp: CdpClient,
    private readonly scripts: ScriptRegistry,
    /** A breakpoint V8 resolved after it was set (its script was compiled later). */
    private readonly onChanged: (bp: DebugProtocol.Breakpoint) => void,
    private readonly ids: BreakpointIds = new BreakpointIds(),
  ) {}

  /** Replaces the file's breakpoints (DAP setBreakpoints); answers with each one's state. */
  async set(file: string, wanted: readonly DebugProtocol.SourceBreakpoint[], attached: boolean): Promise<DebugProtocol.Breakpoint[]> {
    for (const old of this.byFile.get(file) ?? []) await this.remove(old);
    const entries: BreakpointEntry[] = wanted.map((b) => ({
      id: this.ids.of(file, b.line, b.column), file, line: b.line, column: b.column,
      condition: b.condition?.trim() || undefined, logMessage: b.logMessage, verified: false, hits: 0,
      ...(b.hitCondition?.trim() ? { hitCondition: parseHitCondition(b.hitCondition) } : {}),
    }));
    for (const [i, e] of entries.entries()) {
      const text = wanted[i].hitCondition?.trim();
      if (text && !e.hitCondition) {
        e.message = `the hit count "${text}" is not understood: use a number (that hit and after), or >, >=, ==, <, <= or % and a number`;
        continue;
      }
      // Before the engine thread is attached they are kept, and set when it is (reapply).
      if (attached) await this.apply(e);
    }
    this.byFile.set(file, entries);
    return entries.map((e) => this.toDap(e));
  }

  /** A new engine thread: every breakpoint is set on it again. */
  async reapply(): Promise<void> {
    this.byCdpId.clear();
    for (const entries of this.byFile.values()) {
      for (const e of entries) {
        if (e.message && !e.cdpId) continue;
        e.cdpId = undefined;
        await this.apply(e);
      }
    }
  }

  /** Every breakpoint's state, as DAP shows it. */
  all(): DebugProtocol.Breakpoint[] {
    return [...this.byFile.values()].flat().map((e) => this.toDap(e));
  }

  /** V8 stopped on these breakpoints (its hitBreakpoints): count, and say whether to stop or log. */
  judge(hitBreakpoints: readonly string[] | undefined): Judgement {
    const judgement: Judgement = { stop: false, ids: [], logpoints: [] };
    for (const cdpId of hitBreakpoints ?? []) {
      const e = this.byCdpId.get(cdpId);
      if (!e) continue;
      e.hits++;
      if (e.hitCondition && !hitMatches(e.hitCondition, e.hits)) continue;
      if (e.logMessage !== undefined) judgement.logpoints.push(e);
      else {
        judgement.stop = true;
        judgement.ids.push(e.id);
      }
    }
    return judgement;
  }

  /** Whether any of these CDP breakpoint ids is one of ours (a stop of a removed breakpoint is not). */
  knows(hitBreakpoints: readonly string[] | undefined): boolean {
    return (hitBreakpoints ?? []).some((id) => this.byCdpId.has(id));
  }

  onResolved(e: Protocol.Debugger.BreakpointResolvedEvent): void {
    const entry = this.byCdpId.get(e.breakpointId);
    if (!entry) return;
    entry.verified = true;
    entry.actualLine = this.scripts.original(e.location).line;
    this.onChanged(this.toDap(entry));
  }

  private async apply(e: BreakpointEntry): Promise<void> {
    const columnNumber = e.column !== undefined ? this.scripts.generatedColumn(e.file, e.line, e.column) : undefined;
    try {
      const r = await this.cdp.send('Debugger.setBreakpointByUrl', {
        url: this.scripts.urlOf(e.file),
        lineNumber: e.line - 1,
        ...(columnNumber !== undefined ? { columnNumber } : {}),
        ...(e.condition ? { condition: e.condition } : {}),
      });
      e.cdpId = r.breakpointId;
      e.message = undefined;
      this.byCdpId.set(r.breakpointId, e);
      if (r.locations.length) {
        e.verified = true;
        e.actualLine = this.scripts.original(r.locations[0]).line;
      }
    } catch (err) {
      e.message = `the breakpoint could not be set: ${(err as Error).message}`;
    }
  }

  private async remove(e: BreakpointEntry): Promise<void> {
    if (!e.cdpId) return;
    this.byCdpId.delete(e.cdpId);
    await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: e.cdpId }).catch(() => undefined);
  }

  private toDap(e: BreakpointEntry): DebugProtocol.Breakpoint {
    return {
      id: e.id,
      verified: e.verified,
      line: e.actualLine ?? e.line,
      ...(e.column !== undefined ? { column: e.column } : {}),
      ...(e.message ? { message: e.message } : {}),
    };
  }
}
