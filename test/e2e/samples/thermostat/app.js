// Thermostat: the heater is on below the target temperature, off at or above it.
function installed() {
  subscribe(settings.sensor, 'temperature', temperatureChanged);
}

function updated() {
  unsubscribe();
  installed();
}

function temperatureChanged(evt) {
  if (evt.numberValue < settings.target) settings.heater.on();
  else settings.heater.off();
}
