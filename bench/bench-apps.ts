/** The apps the benches run: one sensor app whose handler is as small as a real one. */
import type { AppSource } from '../runtime/engine/installed-app';

/** Subscribes to its sensor's temperature and keeps the last value in state. */
export const SENSOR_APP: AppSource = {
  name: 'bench-app',
  scriptFile: '/bench/app.js',
  appJson: { input: { sensor: { type: 'single_device_selector', name: 'Sensor' } }, guide: [{ id: 'p', input_fields: ['sensor'] }] } as unknown as AppSource['appJson'],
  script: `function installed() { subscribe(settings.sensor, "temperature", onTemperature) }
function onTemperature(evt) { state.last = evt.value; if (evt.numericValue > 1e9) log.warn("hot") }`,
};
