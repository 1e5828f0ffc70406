/** The Location a Thing's apps live in: its mode, time zone and position (for sunrise and sunset). */
export interface LocationSpec {
  name: string;
  mode: string;
  modes: string[];
  timeZone: string;
  latitude: number;
  longitude: number;
  temperatureScale: 'C' | 'F';
}

export const DEFAULT_LOCATION: LocationSpec = {
  name: 'Home',
  mode: 'Home',
  modes: ['Home', 'Away', 'Night'],
  timeZone: 'Europe/London',
  latitude: 51.5074,
  longitude: -0.1278,
  temperatureScale: 'C',
};

export function checkLocation(spec: LocationSpec): string[] {
  const problems: string[] = [];
  if (!spec.modes.includes(spec.mode)) problems.push(`location mode "${spec.mode}" is not one of its modes (${spec.modes.join(', ')})`);
  if (!(spec.latitude >= -90 && spec.latitude <= 90)) problems.push(`latitude ${spec.latitude} is out of range -90..90`);
  if (!(spec.longitude >= -180 && spec.longitude <= 180)) problems.push(`longitude ${spec.longitude} is out of range -180..180`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: spec.timeZone });
  } catch {
    problems.push(`time zone "${spec.timeZone}" is not an IANA time zone name (e.g. "Europe/Stockholm")`);
  }
  return problems;
}
