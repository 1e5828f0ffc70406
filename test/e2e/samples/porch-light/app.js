// Porch light: motion turns the lamp on; it goes off on_minutes after the last motion.
function installed() {
  subscribe(settings.motion, 'motion.active', motionSeen);
}

function updated() {
  unsubscribe();
  installed();
}

function motionSeen() {
  settings.porch_lamp.on();
  runIn(settings.on_minutes * 60, lampOff);
}

function lampOff() {
  settings.porch_lamp.off();
}
