// The debug adapter's test app: the tests find the lines they stop at by the @bp: marks.
function installed() {
  subscribe(settings.door, 'contact', doorChanged); subscribe(app, touched);
  state.opens = 0; // @bp:installed
}

function updated() {
  unsubscribe();
  installed();
}

function doorChanged(evt) {
  const opened = evt.value === 'open'; // @bp:handler
  if (opened) state.opens += 1;
  let sum = 0;
  for (let i = 0; i < 5000; i++) sum += i; // @bp:loop
  log.info(`door ${evt.value}, opened ${state.opens} time(s), sum ${sum}`); // @bp:log
  if (opened) runIn(60, lampOff);
  if (opened && state.opens === 3) throw new Error('the door is jammed'); // @bp:throw
  try {
    lampTo(opened ? 80 : 0); // @bp:call
    JSON.parse('{not json');
  } catch (e) {
    log.warn('caught: ' + e.message); // @bp:caught
  }
}

function lampTo(level) {
  settings.lamp.set(level); // @bp:lampTo
}

function lampOff() {
  lampTo(0); // @bp:job
  log.info('lamp off');
}

function touched() {
  log.info('touched, ' + state.opens + ' opening(s) so far');
}

mappings({ 'GET /opens': opens });

function opens() {
  return { opens: state.opens };
}
