// Hall light: the lamp goes on when the door opens, and off again after some minutes.
function installed() {
  subscribe(settings.door, 'contact.open', doorOpened);
}

function updated() {
  unsubscribe();
  unschedule();
  installed();
}

function doorOpened() {
  settings.lamp.on();
  runIn(settings.minutes * 60, lampOff);
}

function lampOff() {
  settings.lamp.off();
}
