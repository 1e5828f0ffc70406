/** What Tab offers in the Run App terminal: the `smartplug run` commands, device ids, attributes and values. */
import type { Completer } from '../terminal/line-editor';

const COMMANDS = ['mode', 'touch', 'advance', 'call', 'status', 'devices', 'restart', 'help', 'quit'];

/**
 * The `smartplug run` commands' completion: a device id or a command, then the device's
 * attributes (and `.command`s), then an attribute's known values.
 */
export function runCompleter(devices: readonly { id: string; attributes: Record<string, unknown>; commands?: readonly string[]; values?: Record<string, readonly string[]> }[]): Completer {
  return (words) => {
    if (words.length === 0) return [...devices.map((d) => d.id), ...devices.flatMap((d) => (d.commands ?? []).map((c) => `${d.id}.${c}`)), ...COMMANDS];
    const device = devices.find((d) => d.id === words[0]);
    if (words.length === 1) {
      if (device) return Object.keys(device.attributes);
      if (words[0] === 'mode') return ['Home', 'Away', 'Night'];
      if (words[0] === 'advance') return ['30s', '1m', '10m', '1h'];
      if (words[0] === 'call') return ['GET', 'POST', 'PUT', 'DELETE'];
      return [];
    }
    if (words.length === 2 && device) return [...(device.values?.[words[1]] ?? [])];
    return [];
  };
}
