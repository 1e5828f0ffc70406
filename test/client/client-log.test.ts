import assert from 'node:assert/strict';
import { clientOutputChannel, isCleanExit, parseClientLine } from '../../client/language-client/client-log';

describe('client: the language client\'s lines in the SmartPlug log channel', () => {
  it('keeps the message at its level, without the client\'s own time stamp', () => {
    assert.deepEqual(parseClientLine('[Error - 8:11:43 AM] Server process exited with signal SIGKILL.', undefined), { level: 'error', message: 'Server process exited with signal SIGKILL.' });
    assert.deepEqual(parseClientLine('[Info  - 08:11:43] restarting', undefined), { level: 'info', message: 'restarting' });
    assert.deepEqual(parseClientLine('[Warn  - 8:11:43 AM] x', undefined), { level: 'warn', message: 'x' });
    assert.deepEqual(parseClientLine('a line the server logged', undefined), { level: 'info', message: 'a line the server logged' });
  });

  it('drops the bare flag written after a restart notice, and keeps data after an error at error level', () => {
    const notice = { level: 'info' as const, message: 'restarting' };
    assert.equal(parseClientLine('false', notice), undefined);
    assert.deepEqual(parseClientLine('false', undefined), { level: 'info', message: 'false' });
    assert.deepEqual(parseClientLine('Error: boom\n    at x', { level: 'error', message: 'Request failed' }), { level: 'error', message: 'Error: boom\n    at x' });
  });

  it('forwards appended text as whole lines and never closes the shared channel', () => {
    const logged: string[] = [];
    const at = (level: string) => (m: string) => void logged.push(`${level}: ${m}`);
    let shown = 0;
    const log = { name: 'SmartPlug', trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), show: () => void shown++, hide: () => undefined, clear: () => undefined, replace: () => undefined };
    const channel = clientOutputChannel(log);
    channel.appendLine('[Info  - 8:11:43 AM] The server stopped; restarting it.');
    channel.appendLine('false');
    channel.append('[Error - 8:11:48 AM] ');
    channel.appendLine('gave up');
    channel.show(true);
    channel.dispose();
    assert.deepEqual(logged, ['info: The server stopped; restarting it.', 'error: gave up']);
    assert.equal(shown, 1);
    assert.equal(channel.name, 'SmartPlug');
  });

  it('knows the library\'s line for a server that exited normally from one that crashed', () => {
    assert.equal(isCleanExit('Server process exited with code 0.'), true);
    assert.equal(isCleanExit('Server process exited with code 1.'), false);
    assert.equal(isCleanExit('Server process exited with signal SIGKILL.'), false);
  });
});
