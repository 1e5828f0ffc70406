function installed() {
  log.info(`lamp on for ${settings.timeout} minutes`);
}
