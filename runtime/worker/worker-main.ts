/**
 * The worker process: runs one Thing's apps, each in its own vm context, and is started by the host
 * under Node's permission model (it may read only its own bundle; no writes, no child processes,
 * no workers, no addons). Everything it knows arrives over IPC; everything it does leaves as events.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import type { CallMessage, EventsMessage, ReplyMessage, SelfCheckResult, WorkerMessage } from '../host/protocol';
import { CallHandler, serializeError } from './call-handler';

const send = (m: WorkerMessage) => process.send?.(m);

let batch: EventsMessage['batch'] = [];
// Only an app's newest snapshot matters: a busy app changes state on every event, and sending each
// snapshot would cost more than running the handlers.
const snapshots = new Map<string, EventsMessage['batch'][number]>();
let flushScheduled = false;
function flushEvents(): void {
  flushScheduled = false;
  if (batch.length === 0 && snapshots.size === 0) return;
  const out = batch;
  for (const s of snapshots.values()) out.push(s);
  batch = [];
  snapshots.clear();
  send({ kind: 'events', batch: out });
}

const handler = new CallHandler((name, payload) => {
  if (name === 'persist') snapshots.set((payload as { appId: string }).appId, [name, payload] as EventsMessage['batch'][number]);
  else batch.push([name, payload] as EventsMessage['batch'][number]);
  // A job that hangs or kills this process must already be known to the host: send its start now.
  if (name === 'job' && (payload as { phase: string }).phase === 'start') {
    flushEvents();
    return;
  }
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushEvents);
  }
});

function attempt(what: () => unknown): string {
  try {
    what();
    return 'allowed';
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
}

function selfCheck(): SelfCheckResult {
  return {
    readFile: attempt(() => fs.readFileSync('/etc/hostname')),
    spawn: attempt(() => {
      const r = childProcess.spawnSync('true');
      if (r.error) throw r.error;
    }),
    writeFile: attempt(() => fs.writeFileSync('/tmp/smartplug-worker-write-check', 'x')),
  };
}

process.on('message', (m: CallMessage) => {
  if (m?.kind !== 'call') return;
  let reply: ReplyMessage;
  try {
    const result = m.call.op === 'selfCheck' ? selfCheck() : handler.handle(m.call);
    reply = { kind: 'reply', id: m.id, ok: true, result };
  } catch (e) {
    reply = { kind: 'reply', id: m.id, ok: false, error: serializeError(e) };
  }
  flushEvents();
  send(reply);
});

process.on('disconnect', () => {
  handler.dispose();
  process.exit(0);
});

// The host restarts a worker whose beats stop: a script the in-context guard cannot interrupt
// (a catastrophic regular expression, say) blocks this loop, and so the beats.
setInterval(() => send({ kind: 'beat' }), 200).unref();

const permissionModel = typeof (process as { permission?: unknown }).permission === 'object';
send({ kind: 'ready', pid: process.pid, permissionModel });
