import assert from 'node:assert/strict';
import { parseDuration, parseStdinLine } from '../../../runtime/cli/stdin-commands';

describe('smartplug run: commands typed on standard input', () => {
  it('reads a device report with a typed value', () => {
    assert.deepEqual(parseStdinLine('door contact open'), { kind: 'event', device: 'door', attribute: 'contact', value: 'open' });
    assert.deepEqual(parseStdinLine('t1 temperature 21.5'), { kind: 'event', device: 't1', attribute: 'temperature', value: 21.5 });
    assert.deepEqual(parseStdinLine('p presence not present'), { kind: 'event', device: 'p', attribute: 'presence', value: 'not present' });
  });

  it('reads a device command with arguments', () => {
    assert.deepEqual(parseStdinLine('lamp.setLevel 40'), { kind: 'command', device: 'lamp', command: 'setLevel', args: [40] });
    assert.deepEqual(parseStdinLine('lamp.on'), { kind: 'command', device: 'lamp', command: 'on', args: [] });
  });

  it('reads JSON lines for scripts', () => {
    assert.deepEqual(parseStdinLine('{"device":"door","attribute":"contact","value":"closed"}'), { kind: 'event', device: 'door', attribute: 'contact', value: 'closed' });
    assert.deepEqual(parseStdinLine('{"mode":"Away"}'), { kind: 'mode', mode: 'Away' });
    assert.equal((parseStdinLine('{"x":1}') as { kind: string }).kind, 'error');
    assert.match((parseStdinLine('{oops') as { message: string }).message, /not valid JSON/);
  });

  it('reads mode, touch, advance, call, status, restart, help and quit', () => {
    assert.deepEqual(parseStdinLine('mode Night'), { kind: 'mode', mode: 'Night' });
    assert.deepEqual(parseStdinLine('touch'), { kind: 'touch', app: undefined });
    assert.deepEqual(parseStdinLine('advance 1h30m'), { kind: 'advance', ms: 5_400_000 });
    assert.deepEqual(parseStdinLine('call post /items {"a":1}'), { kind: 'call', method: 'POST', path: '/items', body: { a: 1 } });
    for (const k of ['status', 'devices', 'restart', 'help', 'quit'] as const) assert.equal((parseStdinLine(k) as { kind: string }).kind, k);
  });

  it('ignores blank lines and comments, and explains what it cannot read', () => {
    assert.equal(parseStdinLine('   '), undefined);
    assert.equal(parseStdinLine('# a comment'), undefined);
    assert.match((parseStdinLine('advance soon') as { message: string }).message, /advance needs a duration/);
    assert.match((parseStdinLine('what') as { message: string }).message, /type help/);
    assert.match((parseStdinLine('call GET') as { message: string }).message, /method and a path/);
  });

  it('parses durations', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1d2h'), 93_600_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('5000'), 5000);
    assert.equal(parseDuration('10 minutes'), undefined);
    assert.equal(parseDuration(''), undefined);
  });
});
