/** Things that open, close, lock or sound: lock, valve, doorControl, windowShade, alarm, plus refresh. */
import type { CapabilitySpec } from '../types';
import { defineCapability, enumAttribute, setter } from './define';

export const lockCapability: CapabilitySpec = defineCapability({
  id: 'lock',
  title: 'Lock',
  attributes: [
    enumAttribute('lock', 'lock', ['locked', 'unlocked', 'unknown', 'unlocked with timeout'], 'locked', 'Whether the lock is locked.'),
  ],
  commands: {
    lock: setter('lock', 'locked', 'Locks the lock.'),
    unlock: setter('lock', 'unlocked', 'Unlocks the lock.'),
  },
});

export const valveCapability: CapabilitySpec = defineCapability({
  id: 'valve',
  title: 'Valve',
  attributes: [enumAttribute('valve', 'valve', ['open', 'closed'], 'closed', 'Whether the valve lets water or gas through.')],
  commands: {
    open: setter('valve', 'open', 'Opens the valve.'),
    close: setter('valve', 'closed', 'Closes the valve.'),
  },
});

// The simulator moves doors and shades instantly, so commands never leave them in the
// transitional states (opening, closing); those exist for reports from scenarios.
export const doorControlCapability: CapabilitySpec = defineCapability({
  id: 'doorControl',
  title: 'Door Control',
  attributes: [
    enumAttribute('door', 'door_control', ['closed', 'closing', 'open', 'opening', 'unknown'], 'closed', 'State of a motorised door (garage door).'),
  ],
  commands: {
    open: setter('door', 'open', 'Opens the door.'),
    close: setter('door', 'closed', 'Closes the door.'),
  },
});

export const windowShadeCapability: CapabilitySpec = defineCapability({
  id: 'windowShade',
  title: 'Window Shade',
  attributes: [
    enumAttribute(
      'windowShade',
      'window_shade',
      ['closed', 'closing', 'open', 'opening', 'partially open', 'unknown'],
      'closed',
      'Position of the shade or blind.',
    ),
  ],
  commands: {
    open: setter('windowShade', 'open', 'Opens the shade.'),
    close: setter('windowShade', 'closed', 'Closes the shade.'),
    presetPosition: setter('windowShade', 'partially open', "Moves the shade to its preset (partly open) position."),
  },
});

export const alarmCapability: CapabilitySpec = defineCapability({
  id: 'alarm',
  title: 'Alarm',
  attributes: [enumAttribute('alarm', 'alarm', ['off', 'siren', 'strobe', 'both'], 'off', 'What the alarm is sounding or flashing.')],
  commands: {
    off: setter('alarm', 'off', 'Silences the alarm.'),
    siren: setter('alarm', 'siren', 'Sounds the siren.'),
    strobe: setter('alarm', 'strobe', 'Flashes the strobe.'),
    both: setter('alarm', 'both', 'Sounds the siren and flashes the strobe.'),
  },
});

export const refreshCapability: CapabilitySpec = defineCapability({
  id: 'refresh',
  title: 'Refresh',
  attributes: [],
  commands: {
    // A simulated device is always up to date, so there is nothing to re-read.
    refresh: { description: 'Asks the device to report its current state (no change in the simulator).', attribute: null, run: () => [] },
  },
});
