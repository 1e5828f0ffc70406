/** The Run App terminal's input line: editing, history, completion of devices and attributes. */
import assert from 'node:assert/strict';
import { LineEditor } from '../../client/terminal/line-editor';
import { runCompleter } from '../../client/run-app/run-completer';

const devices = [
  { id: 'front-door', attributes: { contact: 'closed', battery: 90 }, values: { contact: ['open', 'closed'] } },
  { id: 'hall-lamp', attributes: { switch: 'off', level: 0 }, commands: ['on', 'off', 'setLevel'] },
];

function typeLine(e: LineEditor, text: string): string | undefined {
  return e.input(text).find((r) => r.line !== undefined)?.line;
}

describe('client: the Run App terminal\'s line editor', () => {
  it('completes device ids, then their attributes, then known values', () => {
    const e = new LineEditor(runCompleter(devices));
    e.input('fr\t');
    e.input('co\t');
    e.input('o\t');
    assert.equal(typeLine(e, '\r'), 'front-door contact open ');
  });

  it('lists the candidates when there are several and nothing in common to add', () => {
    const e = new LineEditor(runCompleter(devices));
    const shown = e.input('hall-lamp\t').map((r) => r.echo).join('');
    assert.match(shown, /hall-lamp\.on {2}hall-lamp\.off {2}hall-lamp\.setLevel/);
  });

  it('recalls earlier lines with Up and Down, and keeps the line being typed', () => {
    const e = new LineEditor(runCompleter(devices));
    typeLine(e, 'mode Away\r');
    typeLine(e, 'advance 10m\r');
    e.input('sta');
    e.input('\x1b[A');
    e.input('\x1b[A');
    assert.equal(typeLine(e, '\r'), 'mode Away');
    e.input('\x1b[A\x1b[B');
    assert.equal(typeLine(e, '\r'), '');
  });

  it('edits in the middle of the line, and quits on Ctrl+C', () => {
    const e = new LineEditor(runCompleter(devices));
    e.input('mode Awy');
    e.input('\x1b[D');
    e.input('a');
    assert.equal(typeLine(e, '\r'), 'mode Away');
    e.input('x\x7f');
    assert.equal(typeLine(e, '\r'), '');
    assert.equal(e.input('\x03')[0].quit, true);
  });
});
