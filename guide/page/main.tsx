/**
 * The configuration guide's page: entry point of its bundle (dist/guide/page.js). It keeps the
 * guide's state (guide/guide-state.ts), renders it, and talks to the extension through the typed
 * messages of guide/messages.ts. Everything it shows is built here, with the runtime's own code,
 * so typing in a field needs no round trip to the extension.
 */
import { render } from 'preact';
import type { ConfigPath } from '../../runtime/app/config-types';
import * as guide from '../guide-state';
import type { ExtensionMessage, PageAction } from '../messages';
import { INITIAL_MESSAGES_ID } from '../page-html';
import { type GuideActions, GuideView, type Status } from './guide-view';
import { connectHost } from './host';

const host = connectHost();
const root = document.getElementById('guide-root') ?? document.body;
// For the benchmark: when the page's code started (epoch ms), to tell VS Code's part from ours.
root.dataset.scriptAt = String(performance.timeOrigin + performance.now());

let state = restore(guide.initialState());
let status: Status | undefined;
// What the extension put in the page: applied before the first draw, so the guide shows at once.
// A page shown again after being hidden kept its own values: the instance file's must not replace them.
const restored = host.saved() !== undefined;
for (const msg of initialMessages()) if (!(msg.type === 'instance' && restored)) state = guide.receive(state, msg);

function initialMessages(): ExtensionMessage[] {
  const text = document.getElementById(INITIAL_MESSAGES_ID)?.textContent;
  if (!text) return [];
  const list = JSON.parse(text) as unknown;
  return Array.isArray(list) ? (list as ExtensionMessage[]) : [];
}

function restore(s: guide.GuideState): guide.GuideState {
  const saved = host.saved();
  return saved ? { ...s, ...saved, config: saved.config as guide.GuideState['config'] } : s;
}

function update(next: guide.GuideState): void {
  state = next;
  host.save({ config: state.config, name: state.name, page: state.page, app_id: state.app_id, installation_id: state.installation_id, version: state.version, ...(state.file ? { file: state.file } : {}) });
  draw();
}

/** What the summary says while the extension carries out an action. */
const BUSY: Record<PageAction, string> = { save: 'Saving…', saveAs: 'Saving…', run: 'Starting the app…', debug: 'Starting the debugger…', install: 'Installing…' };

const actions: GuideActions = {
  edit: (path, value) => update(guide.edit(state, path, value)),
  addRow: (path) => update(guide.addRowAt(state, path)),
  removeRow: (path, index) => update(guide.removeRowAt(state, path, index)),
  rename: (name) => update(guide.rename(state, name)),
  goTo: (page) => update(guide.goTo(state, page)),
  act: (action: PageAction) => {
    status = { ok: true, message: BUSY[action] };
    draw();
    host.post({ type: 'action', action, instance: guide.instanceOf(state) });
  },
  addOutput: (path: ConfigPath, name: string) => host.post({ type: 'addNotificationOutput', path, name }),
  chooseDevices: () => host.post({ type: 'chooseDevices' }),
};

function draw(): void {
  render(<GuideView state={state} actions={actions} status={status} />, root);
  // For the tests and the benchmark: how many times, and when (epoch ms), the page drew; when it first showed a guide.
  const at = String(performance.timeOrigin + performance.now());
  root.dataset.rendered = String((Number(root.dataset.rendered) || 0) + 1);
  root.dataset.renderedAt = at;
  if (state.appJson && !root.dataset.firstGuideAt) root.dataset.firstGuideAt = at;
}

window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
  if (msg.type === 'done') {
    status = { ok: msg.ok, message: msg.message };
    draw();
    return;
  }
    update(guide.receive(state, msg));
});

draw();
host.post({ type: 'ready' });
