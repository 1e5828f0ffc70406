// Motion light: lights on while there is motion, off a few minutes after it stops. Motion coming
// back before then cancels the pending turn-off (unschedule), and the turn-off itself checks the
// sensor once more, so a light never goes off while someone is moving about.

function installed() {
  initialize();
}

function updated() {
  unsubscribe();
  unschedule();
  initialize();
}

function initialize() {
  subscribe(settings.motion, 'motion', motionChanged);
  log.info(`${settings.motion.label} controls ${settings.lights.length} light(s); off after ${settings.minutes} min`);
}

function motionChanged(evt) {
  if (evt.value === 'active') {
    unschedule(lightsOff);
    for (const light of settings.lights) {
      // Only lights that are off: a command to a light already on would be an event for nothing.
      if (light.currentValue('switch') !== 'on') light.on();
    }
    state.lastMotion = evt.isoDate;
  } else {
    runIn(settings.minutes * 60, lightsOff);
    log.debug(`no motion; lights off in ${settings.minutes} min`);
  }
}

function lightsOff() {
  if (settings.motion.currentValue('motion') === 'active') {
    log.info('motion again: lights stay on');
    return;
  }
  for (const light of settings.lights) {
    if (light.currentValue('switch') !== 'off') light.off();
  }
  log.info('lights off');
}
