/** runtime/app: app folders, app.json and instance configs. Pure except loadAppFolder. */
export * from './app-json-types';
export { loadAppFolder, APP_JSON, APP_SCRIPT, MANIFEST } from './load-app';
export type { AppPackage } from './load-app';
export { parseAppJson } from './parse-app-json';
export type { AppJsonParse } from './parse-app-json';
export { applyDefaults, resolveSettings } from './config-object';
export { checkConfig } from './check-config';
export { parseInstanceFile, configProblemPosition } from './instance-file';
export type { InstanceFile } from './instance-file';
export type {
  CatalogueDevice,
  CatalogueFunction,
  ConfigPath,
  ConfigProblem,
  DeviceRef,
  FunctionRef,
  NotificationRef,
  SelectorCatalogue,
  SettingsDescriptor,
} from './config-types';
export { compileValidator, defaultConfigValue, toggleValues, topLevelInputNames } from './input-rules';
