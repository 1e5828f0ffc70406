/**
 * syntaxes/smartplug-log*.tmLanguage.json, tokenised by vscode-textmate with the Oniguruma engine
 * VS Code uses: the lines the Thing logs channels, the JS Shell and the CLI print get their levels,
 * times, app names and errors scoped. VS Code's own log grammar (text.log) is not ours and is not
 * loaded here; e2e/platform.test.ts sees the injection colour a real channel.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '..', '..');
const files: Record<string, string> = {
  'text.log.smartplug': 'syntaxes/smartplug-log.tmLanguage.json',
  'text.log.smartplug-injection': 'syntaxes/smartplug-log.injection.tmLanguage.json',
};

/** The scopes of each token of `line`, as "text=scope scope" for the tokens our grammar named. */
function scopesOf(grammar: IGrammar, line: string): Map<string, string[]> {
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  const out = new Map<string, string[]>();
  for (const t of tokens) {
    const text = line.slice(t.startIndex, t.endIndex);
    const ours = t.scopes.filter((s) => s.endsWith('.smartplug') && s !== 'text.log.smartplug');
    if (ours.length) out.set(text, ours);
  }
  return out;
}

describe('client: the log and shell output grammar', () => {
  let grammar: IGrammar;

  before(async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => (files[scope] ? parseRawGrammar(readFileSync(path.join(ROOT, files[scope]), 'utf8'), files[scope]) : null),
    });
    grammar = (await registry.loadGrammar('text.log.smartplug'))!;
    assert.ok(grammar);
  });

  it("scopes a Thing logs channel's line: the app in its bracket and the event's code", () => {
    const s = scopesOf(grammar, '2026-12-02 18:59:36.429 [error] [Hall light] handler failed (app-error)');
    assert.deepEqual(s.get('Hall light'), ['entity.name.type.app.smartplug']);
    assert.deepEqual(s.get('app-error'), ['constant.other.error-code.smartplug']);
    // A bracket that does not follow a level is left alone.
    assert.equal(scopesOf(grammar, 'see [Hall light] here').has('Hall light'), false);
  });

  it("scopes a JS Shell or CLI line: the time, each level, the source and the app's name", () => {
    const line = (level: string) => `2026-12-02 18:59:36.429 UTC ${level.padEnd(5)} app:Hall light: careful`;
    const s = scopesOf(grammar, line('warn'));
    assert.deepEqual(s.get('2026-12-02 18:59:36.429 UTC'), ['comment.log.date.smartplug']);
    assert.deepEqual(s.get('warn'), ['markup.deleted.log.warning.smartplug']);
    assert.deepEqual(s.get('app'), ['keyword.other.source.smartplug']);
    assert.deepEqual(s.get('Hall light'), ['entity.name.type.app.smartplug']);
    assert.deepEqual(scopesOf(grammar, line('info')).get('info'), ['markup.inserted.log.info.smartplug']);
    assert.deepEqual(scopesOf(grammar, line('error')).get('error'), ['string.regexp.strong.log.error.smartplug']);
    assert.deepEqual(scopesOf(grammar, line('debug')).get('debug'), ['markup.changed.log.debug.smartplug']);
    assert.deepEqual(scopesOf(grammar, '2026-12-02 18:59:36.429 UTC info  shell: hello').get('shell'), ['keyword.other.source.smartplug']);
  });

  it('scopes errors: the type of a JavaScript error, and the frames under it with their place in app.js', () => {
    assert.deepEqual(scopesOf(grammar, 'ReferenceError: nothing is not defined').get('ReferenceError'), ['string.regexp.strong.log.exceptiontype.smartplug']);
    const frame = scopesOf(grammar, '    at onOpen (app.js:12:3)');
    assert.deepEqual(frame.get('app.js'), ['comment.line.stack-frame.smartplug', 'markup.underline.link.smartplug']);
  });

  it("injects its rules into VS Code's log language, except into its own", () => {
    const injection = JSON.parse(readFileSync(path.join(ROOT, files['text.log.smartplug-injection']), 'utf8'));
    assert.equal(injection.injectionSelector, 'L:text.log -text.log.smartplug');
    assert.deepEqual(injection.patterns, [{ include: 'text.log.smartplug#line' }]);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const contributed = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'text.log.smartplug-injection');
    assert.deepEqual(contributed.injectTo, ['text.log']);
  });
});
