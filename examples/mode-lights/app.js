// Mode lights: a scene (each selected switch with its value) is set when the location changes to
// the chosen mode, and at sunset while the location is in that mode. Touching the app toggles the
// lights; the web service reports them (GET /status) and sets the scene on request (POST /scene).

function installed() {
  initialize();
}

function updated() {
  unsubscribe();
  initialize();
}

function initialize() {
  subscribe(location, 'mode', modeChanged);
  subscribe(location, 'sunset', sunset);
  subscribe(app, touched);
  mappings({ 'GET /status': status, 'POST /scene': sceneRequest });
  log.info(`scene of ${settings.lights.length} light(s) for mode ${settings.mode}${settings.enabled ? '' : ' (inactive)'}`);
}

function modeChanged(evt) {
  if (evt.value === settings.mode && settings.enabled) setScene(`mode changed to ${evt.value}`);
}

function sunset() {
  if (location.mode === settings.mode && settings.enabled) setScene('sunset');
}

function touched() {
  const anyOn = settings.lights.some((fn) => fn.currentValue() === 'on');
  if (anyOn) {
    settings.lights.forEach((fn) => fn.set(false));
    log.info('touched: lights off');
  } else {
    setScene('touched');
  }
}

function setScene(reason) {
  settings.lights.forEach((fn) => fn.set(fn.value));
  state.lastScene = reason;
  state.scenes = (state.scenes || 0) + 1;
  const text = `Scene set (${reason}): ${settings.lights.map((fn) => `${fn.device.label} ${fn.value}`).join(', ')}`;
  log.info(text);
  if (settings.notification) sendNotification(settings.notification, text);
}

function status() {
  return {
    mode: location.mode,
    sceneMode: settings.mode,
    enabled: settings.enabled,
    lights: settings.lights.map((fn) => ({ id: fn.id, name: fn.device.label, switch: fn.currentValue(), scene: fn.value })),
  };
}

function sceneRequest(request) {
  const reason = request.body && request.body.reason ? String(request.body.reason) : 'web request';
  setScene(reason);
  return render({ status: 200, data: { scene: reason, lights: settings.lights.length } });
}
