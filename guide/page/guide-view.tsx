/**
 * The guide as a wizard: the instance's name, the pages of app.json's guide in order with Back and
 * Next (Next refuses until the page's required fields are filled and nothing is invalid), and a
 * summary that shows the instance object and offers Save, Save As, Run, Debug and Install. A
 * problem in app.json is shown where it is, above the last good guide and the values entered.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConfigPath } from '../../runtime/app/config-types';
import type { GuideState } from '../guide-state';
import { configProblems, instanceOf, modelOf } from '../guide-state';
import { formatConfigProblem } from '../../runtime/app/instance-config';
import type { PageAction } from '../messages';
import type { Field, PageModel, SelectorField } from '../view-model';
import { type FieldActions, FieldView, fieldId } from './fields';

export interface GuideActions extends Omit<FieldActions, 'emptyNote' | 'addOutput'> {
  rename(name: string): void;
  goTo(page: number): void;
  act(action: PageAction): void;
  addOutput(path: ConfigPath, name: string): void;
  /** Asks the editor for other devices (devices.json, or a Thing's). */
  chooseDevices(): void;
}

/** The outcome of the last action, shown in a live region. */
export interface Status {
  ok: boolean;
  message: string;
}

const ACTIONS: { action: PageAction; label: string; icon: string; title: string }[] = [
  { action: 'save', label: 'Save', icon: 'save', title: 'Write this instance to the app’s instance file' },
  { action: 'saveAs', label: 'Save As…', icon: 'save-as', title: 'Write this instance to a new named instance file' },
  { action: 'run', label: 'Run', icon: 'run', title: 'Run the app with this config against its devices' },
  { action: 'debug', label: 'Debug', icon: 'debug-alt', title: 'Debug the app with this config' },
  { action: 'install', label: 'Install on a Thing', icon: 'cloud-upload', title: 'Install this instance on a Thing of the platform' },
];

export function GuideView({ state, actions, status }: { state: GuideState; actions: GuideActions; status?: Status }) {
  const model = modelOf(state);
  const [adding, setAdding] = useState<ConfigPath | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownPage = useRef(state.page);
  // Moving to another page puts the keyboard at its title, so the page is read from the top.
  useEffect(() => {
    if (shownPage.current !== state.page) heading.current?.focus();
    shownPage.current = state.page;
  }, [state.page]);

  const fieldActions: FieldActions = {
    edit: actions.edit,
    addRow: actions.addRow,
    removeRow: actions.removeRow,
    addOutput: (path) => setAdding(path),
    emptyNote: (f) => emptyNote(state, f),
  };
  const pages = model?.pages ?? [];
  const onSummary = state.page >= pages.length;
  const page = onSummary ? undefined : pages[state.page];
  const reachable = firstIncomplete(pages);

  return (
    <main class="guide" aria-labelledby="guide-title">
      <header class="guide-head">
        <h1 id="guide-title">{state.appName || 'App'}: configuration guide</h1>
        <div class="instance-name field">
          <label class="field-label" for="instance-name">
            Instance name
          </label>
          <input type="text" id="instance-name" value={state.name} aria-describedby="instance-name-desc" onInput={(e) => actions.rename((e.currentTarget as HTMLInputElement).value)} />
          <p class="description" id="instance-name-desc">
            The name this instance gets when it is installed.
          </p>
        </div>
        <p class="source">
          <span class="codicon codicon-circuit-board" aria-hidden="true" /> Devices from {state.devicesFrom || 'nowhere yet'}
          {state.devicesChoosable ? (
            <>
              {' '}
              <button type="button" class="link-button" id="choose-devices" title="Take the devices from devices.json or from a Thing of the connected platform" onClick={() => actions.chooseDevices()}>
                Change…
              </button>
            </>
          ) : null}
          {state.file ? ` · values from ${state.file}` : ''}
        </p>
      </header>
      {state.problem ? (
        <div class="problem" role="alert">
          <span class="codicon codicon-warning" aria-hidden="true" />
          <div>
            <strong>
              {state.problem.file}:{state.problem.line}:{state.problem.column}
            </strong>{' '}
            {state.problem.message}
            {state.problem.fix ? <span class="fix"> Fix: {state.problem.fix}</span> : null}
            <p class="kept">{!state.appJson ? 'The guide appears when app.json can be read.' : state.stale ? 'The guide below is from the last app.json that could be read; every value you entered is kept.' : 'The guide below follows app.json as far as it can be read.'}</p>
          </div>
        </div>
      ) : null}
      {model?.missingInputs.length ? (
        <p class="warning" role="note">
          <span class="codicon codicon-warning" aria-hidden="true" /> The guide lists {model.missingInputs.map((k) => `"${k}"`).join(', ')}, which app.json’s input does not define.
        </p>
      ) : null}
      {model ? (
        <>
          <nav class="steps" aria-label="Pages of the guide">
            <ol>
              {[...pages, undefined].map((p, i) => (
                <li>
                  <button type="button" class={`step${i === state.page ? ' current' : ''}${p && !p.complete ? ' incomplete' : ''}`} aria-current={i === state.page ? 'step' : undefined} disabled={i > reachable} onClick={() => actions.goTo(i)}>
                    <span class={`codicon codicon-${p ? (p.complete ? 'pass' : 'circle-large-outline') : 'checklist'}`} aria-hidden="true" />
                    {p ? `${i + 1}. ${p.title}` : 'Summary'}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <section class="page" aria-labelledby="page-title">
            <h2 id="page-title" tabIndex={-1} ref={heading}>
              {page ? page.title : 'Summary'}
            </h2>
            {page ? <PageBody page={page} actions={fieldActions} /> : <Summary state={state} actions={actions} status={status} />}
          </section>
          <PageNav state={state} page={page} pages={pages} actions={actions} />
        </>
      ) : null}
      {adding ? <NewOutputDialog onCancel={() => setAdding(undefined)} onAdd={(name) => (actions.addOutput(adding, name), setAdding(undefined))} /> : null}
    </main>
  );
}

function PageBody({ page, actions }: { page: PageModel; actions: FieldActions }) {
  return (
    <>
      {page.description ? <p class="page-description">{page.description}</p> : null}
      <div class="fields">
        {page.fields.map((f) => (
          <FieldView field={f} actions={actions} />
        ))}
        {page.fields.length === 0 ? <p class="empty">This page has no fields.</p> : null}
      </div>
    </>
  );
}

/** Back, Next, and why Next does not go on: the fields still to fill in or to put right. */
function PageNav({ state, page, pages, actions }: { state: GuideState; page: PageModel | undefined; pages: PageModel[]; actions: GuideActions }) {
  const blockers = page ? unfinished(page.fields) : [];
  const next = () => {
    if (blockers.length) document.getElementById(fieldId(blockers[0].path))?.focus();
    else actions.goTo(state.page + 1);
  };
  return (
    <footer class="page-nav">
      <button type="button" class="secondary" disabled={state.page === 0} onClick={() => actions.goTo(state.page - 1)}>
        <span class="codicon codicon-arrow-left" aria-hidden="true" /> Back
      </button>
      <span class="hint" id="next-hint" aria-live="polite">
        {blockers.length ? `To go on: ${blockers.map((f) => (f.error ? `correct ${f.label}` : `fill in ${f.label}`)).join(', ')}` : ''}
      </span>
      {page ? (
        <button type="button" class="primary" id="next" aria-disabled={blockers.length > 0} aria-describedby="next-hint" onClick={next}>
          {state.page === pages.length - 1 ? 'Review' : 'Next'} <span class="codicon codicon-arrow-right" aria-hidden="true" />
        </button>
      ) : null}
    </footer>
  );
}

function Summary({ state, actions, status }: { state: GuideState; actions: GuideActions; status?: Status }) {
  const instance = instanceOf(state);
  // Seed 003: the instance's name is the user's to choose; nothing is saved or started without one.
  const unnamed = !state.name.trim();
  const act = (action: PageAction) => {
    if (unnamed) document.getElementById('instance-name')?.focus();
    else actions.act(action);
  };
  return (
    <>
      <p class="page-description">The instance object this guide produces (seed 003): what Save writes and what Run, Debug and Install use.</p>
      <RuntimeCheck state={state} />
      <pre class="instance" tabIndex={0} aria-label="Instance object" id="instance-json">
        {JSON.stringify(instance, null, 2)}
      </pre>
      {unnamed ? (
        <p class="error" id="unnamed" role="alert">
          <span class="codicon codicon-error" aria-hidden="true" /> Name the instance (at the top) before you save, run or debug it.
        </p>
      ) : null}
      <div class="actions" role="toolbar" aria-label="Use this instance">
        {ACTIONS.filter((a) => state.actions.includes(a.action)).map((a) => (
          <button type="button" class={a.action === 'save' ? 'primary' : 'secondary'} id={`action-${a.action}`} title={a.title} aria-disabled={unnamed} aria-describedby={unnamed ? 'unnamed' : undefined} onClick={() => act(a.action)}>
            <span class={`codicon codicon-${a.icon}`} aria-hidden="true" /> {a.label}
          </button>
        ))}
      </div>
      <p class={`status${status ? (status.ok ? ' ok' : ' failed') : ''}`} role="status" aria-live="polite" id="status">
        {status ? status.message : ''}
      </p>
    </>
  );
}

/** The runtime's verdict on the config: what it would refuse at install, and what it would warn of. */
function RuntimeCheck({ state }: { state: GuideState }) {
  const problems = configProblems(state);
  if (!problems.length)
    return (
      <p class="check ok" id="runtime-check">
        <span class="codicon codicon-pass" aria-hidden="true" /> The runtime accepts this config with the devices of {state.devicesFrom}.
      </p>
    );
  const errors = problems.filter((p) => p.severity === 'error');
  return (
    <div class="check" id="runtime-check" role="status">
      <p>
        <span class={`codicon codicon-${errors.length ? 'error' : 'warning'}`} aria-hidden="true" /> {errors.length ? 'The runtime would refuse this config:' : 'The runtime accepts this config, with warnings:'}
      </p>
      <ul>
        {problems.map((p) => (
          <li class={p.severity}>{formatConfigProblem(p).trim()}</li>
        ))}
      </ul>
    </div>
  );
}

/** Seed 003's "add a new output" flow, as an overlay: a name, then back to the guide with the output selected. */
function NewOutputDialog({ onAdd, onCancel }: { onAdd(name: string): void; onCancel(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="new-output-title" onCancel={(e) => (e.preventDefault(), onCancel())}>
      <form method="dialog" onSubmit={(e) => (e.preventDefault(), name.trim() && onAdd(name.trim()))}>
        <h2 id="new-output-title">New notification output</h2>
        <label class="field-label" for="new-output-name">
          Name
        </label>
        <input type="text" id="new-output-name" value={name} autoFocus onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <div class="dialog-actions">
          <button type="submit" class="primary" disabled={!name.trim()}>
            Add
          </button>
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The index of the first page that is not complete (the pages after it cannot be reached yet). */
function firstIncomplete(pages: PageModel[]): number {
  const i = pages.findIndex((p) => !p.complete);
  return i < 0 ? pages.length : i;
}

/** The fields that keep a page from being complete, repeat rows' fields included. */
function unfinished(fields: Field[]): Field[] {
  const out: Field[] = [];
  for (const f of fields) {
    if (f.error || (f.required && !f.filled)) out.push(f);
    else if (f.kind === 'repeat') for (const row of f.rows) out.push(...unfinished(row));
  }
  return out;
}

function emptyNote(state: GuideState, field: SelectorField): string {
  const input = state.appJson?.input[field.key];
  const filter = input && 'filter' in input && input.filter && Object.keys(input.filter).length ? ` matches the filter ${JSON.stringify(input.filter)}` : '';
  const what = field.kind === 'device-selector' ? 'device' : 'function';
  return `No ${what} in ${state.devicesFrom || 'the devices'}${filter}. Add one there and it appears here.`;
}
