import assert from 'node:assert/strict';
import { DeviceError } from '../../../runtime/devices/device-error';
import { DeviceRegistry } from '../../../runtime/devices/registry';

function registry(): DeviceRegistry {
  const r = new DeviceRegistry();
  r.add({ id: 'door', label: 'Front door', type: 'Zigbee Door', capabilities: ['contactSensor', 'battery'], functionIds: { contact: 9 }, meta: { room: 'hall' } });
  r.add({ id: 'lamp', label: 'Hall lamp', type: 'Dimmer', capabilities: ['switch', 'switchLevel'], meta: { room: 'hall' } });
  r.add({ id: 'kt', label: 'Kitchen temp', type: 'Multi Sensor', capabilities: ['temperatureMeasurement', 'relativeHumidityMeasurement'], meta: { room: 'kitchen' } });
  return r;
}

function throwsDevice(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof DeviceError && e.code === code && e.message === message);
}

describe('devices/DeviceRegistry', () => {
  it('adds devices and finds them by id', () => {
    const r = registry();
    assert.deepEqual(r.all().map((d) => d.id), ['door', 'lamp', 'kt']);
    assert.equal(r.get('lamp')?.label, 'Hall lamp');
    assert.equal(r.get('nope'), undefined);
    assert.equal(r.require('kt').type, 'Multi Sensor');
  });

  it('returns the device it creates, dated at the given time', () => {
    const r = new DeviceRegistry();
    const d = r.add({ id: 'plug', label: 'Plug', capabilities: ['switch'] }, 42);
    assert.equal(r.get('plug'), d);
    assert.equal(d.current('switch')?.date, 42);
  });

  it('explains unknown device ids with a suggestion and the known ids', () => {
    const r = registry();
    throwsDevice(() => r.require('lmap'), 'unknown-device', "unknown device 'lmap'; did you mean 'lamp'? Known devices: door, lamp, kt.");
    throwsDevice(() => r.require('garage'), 'unknown-device', "unknown device 'garage'. Known devices: door, lamp, kt.");
    throwsDevice(() => new DeviceRegistry().require('x'), 'unknown-device', "unknown device 'x'. No devices are defined.");
  });

  it('rejects duplicate device ids and leaves the first device in place', () => {
    const r = registry();
    throwsDevice(() => r.add({ id: 'lamp', label: 'Other', capabilities: ['lock'] }), 'duplicate-device', "a device with id 'lamp' already exists");
    assert.equal(r.require('lamp').label, 'Hall lamp');
  });

  it('rejects function ids used by another device, comparing numbers and strings alike', () => {
    const r = registry();
    throwsDevice(
      () => r.add({ id: 'window', label: 'Window', capabilities: ['contactSensor'], functionIds: { contact: '9' } }),
      'duplicate-function',
      'function id "9" of window.contact is already used by door.contact',
    );
    throwsDevice(
      () => r.add({ id: 'x', label: 'X', capabilities: ['switch'], functionIds: { switch: 'lamp.level' } }),
      'duplicate-function',
      'function id "lamp.level" of x.switch is already used by lamp.level',
    );
    assert.equal(r.get('window'), undefined, 'a rejected device is not added');
    assert.equal(r.functionById(9)?.deviceId, 'door');
  });

  it('rejects two attributes of one device sharing a function id', () => {
    const r = new DeviceRegistry();
    throwsDevice(
      () => r.add({ id: 'm', label: 'M', capabilities: ['contactSensor', 'battery'], functionIds: { contact: 1, battery: 1 } }),
      'duplicate-function',
      "function id 1 of m.battery is already used by another attribute of 'm'",
    );
    assert.deepEqual(r.all(), []);
  });

  it('finds functions by numeric id and its string form', () => {
    const r = registry();
    assert.equal(r.functionById(9)?.attribute, 'contact');
    assert.equal(r.functionById('9')?.attribute, 'contact');
    assert.equal(r.functionById('lamp.level')?.type, 'dimmer');
    assert.equal(r.functionById(10), undefined);
    assert.equal(r.requireFunction('9').deviceId, 'door');
    assert.throws(
      () => r.requireFunction('lamp.levle'),
      (e: unknown) => e instanceof DeviceError && e.code === 'unknown-function' && e.message === 'unknown function id "lamp.levle"; did you mean \'lamp.level\'?',
    );
  });

  it('removes a device and frees its function ids', () => {
    const r = registry();
    assert.equal(r.remove('door'), true);
    assert.equal(r.remove('door'), false);
    assert.equal(r.get('door'), undefined);
    assert.equal(r.functionById(9), undefined);
    r.add({ id: 'window', label: 'Window', capabilities: ['contactSensor'], functionIds: { contact: 9 } });
    assert.equal(r.functionById('9')?.deviceId, 'window');
  });

  it('lists functions, all or by filter', () => {
    const r = registry();
    assert.deepEqual(r.functions().map((f) => f.id), [9, 'door.battery', 'lamp.switch', 'lamp.level', 'kt.temperature', 'kt.humidity']);
    assert.deepEqual(r.functions({ type: ['temperature', 'humidity'] }).map((f) => f.id), ['kt.temperature', 'kt.humidity']);
    assert.deepEqual(r.functions({ room: 'hall', type: 'd*' }).map((f) => f.id), [9, 'lamp.level']);
    assert.deepEqual(r.functions({ name: '*lamp' }).map((f) => f.attribute), ['switch', 'level']);
    assert.deepEqual(r.functions({ type: 'lock' }), []);
  });

  it('lists devices, all or by filter on type, id and meta', () => {
    const r = registry();
    assert.deepEqual(r.devices().map((d) => d.id), ['door', 'lamp', 'kt']);
    assert.deepEqual(r.devices({ type: 'Zigbee*' }).map((d) => d.id), ['door']);
    assert.deepEqual(r.devices({ room: 'hall' }).map((d) => d.id), ['door', 'lamp']);
    assert.deepEqual(r.devices({ name: 'Kitchen*' }).map((d) => d.id), ['kt']);
    assert.deepEqual(r.devices({ id: ['lamp', 'kt'] }).map((d) => d.id), ['lamp', 'kt']);
    assert.deepEqual(r.devices({ device_id: 'door' }).map((d) => d.id), ['door']);
  });
});
