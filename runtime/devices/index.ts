/** Simulated devices: the capability catalogue, devices, the registry, filters and devices files. */
export * from './types';
export { DeviceError, type DeviceErrorCode } from './device-error';
export {
  allCapabilities,
  capabilityIds,
  getCapability,
  requireCapability,
  unknownCapabilityMessage,
  type CapabilityOptions,
} from './capabilities';
export { SimDevice, type ReportResult } from './sim-device';
export { DeviceRegistry, type Filter } from './registry';
export { fnmatch, matchesFilter, validateFilter, type FilterProblem, type FilterSubject } from './filter';
export { parseDevicesFile, checkDevicesFile, type DevicesFileResult } from './devices-file';
export { checkAttributeValue, checkArgument, formatSignature, formatParam, toNumber, type Checked } from './values';
