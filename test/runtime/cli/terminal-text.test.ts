import assert from 'node:assert/strict';
import { formatRecord, printer } from '../../../runtime/cli/event-printer';
import { jsonText, terminalLines, terminalText } from '../../../runtime/cli/terminal-text';
import type { HostEventMap } from '../../../runtime/host/runtime';
import { BIDI, BIDI_SHOWN, ESCAPES, ESCAPES_SHOWN, EVIL, FORGED, FORGED_SHOWN, RAW_CONTROL } from './hostile-text';

const T = Date.parse('2024-06-21T12:00:00Z');

describe('cli/terminal-text', () => {
  it('shows every control and bidi character as an escape, and leaves other text alone', () => {
    assert.equal(terminalText(FORGED), FORGED_SHOWN);
    assert.equal(terminalText(ESCAPES), ESCAPES_SHOWN);
    assert.equal(terminalText(BIDI), BIDI_SHOWN);
    assert.equal(terminalText('a\rb\bc\td\fe\vf\0g\u007fh\u0085i\u009bj\u2066k\u2069l\u202am\u2028n'), 'a\\rb\\bc\\td\\fe\\vf\\x00g\\x7fh\\x85i\\x9bj\\u2066k\\u2069l\\u202am\\u2028n');
    const plain = 'Küche → 21.5 °C, C:\\apps\\x1b "quoted" 日本 🙂';
    assert.equal(terminalText(plain), plain);
    for (const c of Array.from({ length: 0x2070 }, (_, i) => String.fromCharCode(i))) {
      assert.doesNotMatch(terminalText(c), RAW_CONTROL, `U+${c.charCodeAt(0).toString(16)}`);
      assert.doesNotMatch(terminalText(c), /\n/);
    }
  });

  it('splits a block at its line breaks and escapes each line', () => {
    assert.deepEqual(terminalLines('one\r\ntwo\u001b[1m\nthree\r'), ['one', 'two\\x1b[1m', 'three\\r']);
  });

  it('writes JSON that parses back to the same value and holds no raw control, C1 or bidi character', () => {
    const value = { messages: [...EVIL, 'c1 \u009b del \u007f sep \u2028 iso \u2066'], n: 1 };
    const text = jsonText(value);
    assert.doesNotMatch(text, RAW_CONTROL);
    assert.doesNotMatch(text, /\n/);
    assert.deepEqual(JSON.parse(text), value);
    const pretty = jsonText(value, 2);
    assert.deepEqual(JSON.parse(pretty), value);
    assert.ok(pretty.split('\n').every((l) => !RAW_CONTROL.test(l)));
  });
});

describe('cli/event-printer escapes what apps control', () => {
  const records: { [K in keyof HostEventMap]?: HostEventMap[K] } = {
    log: { time: T, appId: 'a-1', appLabel: FORGED, level: 'info', message: EVIL.join(' '), source: 'app' },
    notification: { time: T, appId: 'a-1', appLabel: BIDI, outputId: ESCAPES, message: FORGED },
    deviceEvent: { time: T, deviceId: 'd', deviceLabel: FORGED, functionId: 1, name: ESCAPES, value: `${BIDI}\u009b`, unit: BIDI, isStateChange: true, source: 'DEVICE', causedBy: ESCAPES },
    command: { time: T, appId: FORGED, deviceId: 'd', deviceLabel: BIDI, command: ESCAPES, args: [`\u0085${BIDI}`] },
    locationEvent: { time: T, name: 'mode', value: FORGED },
    app: { time: T, appId: ESCAPES, appLabel: FORGED, change: 'installed' },
    worker: { time: T, change: 'exited', reason: FORGED },
  };

  for (const [name, record] of Object.entries(records) as [keyof HostEventMap, HostEventMap[keyof HostEventMap]][]) {
    it(`${name}: one line, no raw control or bidi character`, () => {
      const f = formatRecord(name, record);
      assert.ok(f, name);
      assert.doesNotMatch(f.text, /\n/);
      assert.doesNotMatch(f.text, RAW_CONTROL);
      assert.match(f.text, /^12:00:00\.000 /);
    });
  }

  it('adds its own colours around the escaped text', () => {
    const lines: string[] = [];
    printer({ json: false, color: true, write: (l) => lines.push(l) })('log', { time: T, appId: 'a-1', appLabel: 'Porch', level: 'error', message: ESCAPES, source: 'app' });
    assert.deepEqual(lines, ['\x1b[31m12:00:00.000 log      ERROR Porch: \\x1b[2J\\x1b]8;;http://evil\\x07x\x1b[0m']);
  });

  it('--json: every record parses back to what the app said, with nothing raw in the text', () => {
    const lines: string[] = [];
    const print = printer({ json: true, color: false, write: (l) => lines.push(l) });
    for (const [name, record] of Object.entries(records) as [keyof HostEventMap, HostEventMap[keyof HostEventMap]][]) print(name, record);
    assert.equal(lines.length, Object.keys(records).length);
    for (const l of lines) {
      assert.doesNotMatch(l, RAW_CONTROL);
      assert.doesNotMatch(l, /\n/);
    }
    assert.deepEqual(JSON.parse(lines[0]), { type: 'log', ...records.log });
  });
});
