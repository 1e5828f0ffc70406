// Door light: the example of IoT Open's "The app.json file". When the door opens, the controlled
// function is set to its value, and runIn() sets it back after the timeout; a new opening replaces
// the pending job (runIn overwrites by default), so the timeout always counts from the last opening.
// Temperature triggers notify once when a temperature reaches its value, and re-arm when it drops.

function installed() {
  initialize();
}

function updated() {
  unsubscribe();
  unschedule();
  initialize();
}

function initialize() {
  subscribe(settings.trigger_function, 'contact.open', doorOpened);
  // One subscription per function, even when two triggers watch the same one.
  const watched = [];
  for (const trigger of settings.temp) {
    const fn = trigger.trigger_value;
    if (!watched.includes(fn.id)) {
      watched.push(fn.id);
      subscribe(fn, 'temperature', temperatureChanged);
    }
  }
  if (!state.above) state.above = {};
  log.info(`watching the door and ${watched.length} temperature function(s); light on for ${settings.timeout} min`);
}

function doorOpened(evt) {
  const light = settings.actuator_function;
  light.set(light.value);
  state.opens = (state.opens || 0) + 1;
  runIn(settings.timeout * 60, lightOff);
  log.info(`${evt.displayName} opened; light on until ${new Date(now() + settings.timeout * 60000).toISOString()}`);
}

function lightOff() {
  const light = settings.actuator_function;
  // A dimmer goes to 0; anything else to off.
  light.set(light.type === 'dimmer' ? 0 : false);
  log.info('timeout: light off');
}

function temperatureChanged(evt) {
  const t = evt.numberValue;
  settings.temp.forEach((trigger, i) => {
    const fn = trigger.trigger_value;
    if (String(fn.id) !== String(evt.functionId)) return;
    const key = String(i);
    const reached = t >= fn.value;
    if (reached && !state.above[key]) {
      notify(`${evt.displayName} is ${t} °C, reaching ${fn.value} °C`);
    }
    state.above[key] = reached;
  });
}

function notify(message) {
  const text = `${settings.text_example}: ${message}`;
  log.warn(text);
  if (settings.notification) sendNotification(settings.notification, text);
}
