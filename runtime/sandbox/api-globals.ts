/** The script API's global names, in a module of their own: the JS Shell's completion reads them without the checker. */

/**
 * The globals the prelude defines (kept in step with prelude/ by the sandbox tests). They cannot be
 * redefined: a top-level `function log() {}` or `var app` would be silently ignored, or fail at load.
 */
export const API_GLOBALS: readonly string[] = [
  'Error', 'Date', 'now', 'settings', 'config', 'location', 'setLocationMode', 'getSunriseAndSunset', 'app',
  'subscribe', 'subscribeToCommand', 'unsubscribe', 'runIn', 'runOnce', 'schedule',
  'runEvery1Minute', 'runEvery5Minutes', 'runEvery10Minutes', 'runEvery15Minutes', 'runEvery30Minutes', 'runEvery1Hour', 'runEvery3Hours',
  'unschedule', 'canSchedule', 'log', 'console', 'sendNotification', 'setTimeout', 'setInterval', 'setImmediate',
  'mappings', 'render', 'httpError', 'addChildDevice', 'getChildDevices', 'getChildDevice', 'deleteChildDevice',
  'addChildApp', 'getChildApps', 'getChildAppByLabel', 'deleteChildApp', 'parent', 'state',
];
