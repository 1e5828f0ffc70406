/**
 * Time-zone abbreviations an IAP timestamp may end with ("in UTC or local time", seed 002 "Load
 * Action and Manifest Properties", whose example is '2016-09-28 12:00:00.000 BST'). Abbreviations
 * are not a standard: several mean more than one zone, so each entry says which meaning is assumed
 * and what else it could mean, and the checker says so rather than guess silently. Offsets are
 * minutes east of UTC.
 */

export interface ZoneMeaning {
  readonly name: string;
  readonly offsetMinutes: number;
}

export interface ZoneAbbreviation extends ZoneMeaning {
  readonly abbreviation: string;
  /** Other zones that use the same abbreviation; the entry's own meaning is the one assumed. */
  readonly alsoMeans?: readonly ZoneMeaning[];
}

const Z = (abbreviation: string, name: string, hours: number, alsoMeans?: ZoneMeaning[]): ZoneAbbreviation => ({
  abbreviation,
  name,
  offsetMinutes: Math.round(hours * 60),
  ...(alsoMeans ? { alsoMeans } : {}),
});
const M = (name: string, hours: number): ZoneMeaning => ({ name, offsetMinutes: Math.round(hours * 60) });

export const ZONE_ABBREVIATIONS: readonly ZoneAbbreviation[] = [
  Z('UTC', 'Coordinated Universal Time', 0),
  Z('GMT', 'Greenwich Mean Time', 0),
  Z('UT', 'Universal Time', 0),
  Z('WET', 'Western European Time', 0),
  Z('WEST', 'Western European Summer Time', 1),
  // The seed's own example uses BST for British Summer Time.
  Z('BST', 'British Summer Time', 1, [M('Bangladesh Standard Time', 6)]),
  Z('IST', 'India Standard Time', 5.5, [M('Irish Standard Time', 1), M('Israel Standard Time', 2)]),
  Z('CET', 'Central European Time', 1),
  Z('CEST', 'Central European Summer Time', 2),
  Z('MET', 'Middle European Time', 1),
  Z('MEST', 'Middle European Summer Time', 2),
  Z('EET', 'Eastern European Time', 2),
  Z('EEST', 'Eastern European Summer Time', 3),
  Z('MSK', 'Moscow Time', 3),
  Z('SAST', 'South Africa Standard Time', 2),
  Z('WAT', 'West Africa Time', 1),
  Z('CAT', 'Central Africa Time', 2),
  Z('EAT', 'East Africa Time', 3),
  Z('GST', 'Gulf Standard Time', 4, [M('South Georgia Time', -2)]),
  Z('PKT', 'Pakistan Standard Time', 5),
  Z('ICT', 'Indochina Time', 7),
  Z('WIB', 'Western Indonesia Time', 7),
  Z('HKT', 'Hong Kong Time', 8),
  Z('SGT', 'Singapore Time', 8),
  Z('AWST', 'Australian Western Standard Time', 8),
  Z('CST', 'Central Standard Time (North America)', -6, [M('China Standard Time', 8), M('Cuba Standard Time', -5)]),
  Z('JST', 'Japan Standard Time', 9),
  Z('KST', 'Korea Standard Time', 9),
  Z('ACST', 'Australian Central Standard Time', 9.5),
  Z('ACDT', 'Australian Central Daylight Time', 10.5),
  Z('AEST', 'Australian Eastern Standard Time', 10),
  Z('AEDT', 'Australian Eastern Daylight Time', 11),
  Z('NZST', 'New Zealand Standard Time', 12),
  Z('NZDT', 'New Zealand Daylight Time', 13),
  Z('HST', 'Hawaii-Aleutian Standard Time', -10),
  Z('AKST', 'Alaska Standard Time', -9),
  Z('AKDT', 'Alaska Daylight Time', -8),
  Z('PST', 'Pacific Standard Time', -8, [M('Philippine Standard Time', 8)]),
  Z('PDT', 'Pacific Daylight Time', -7),
  Z('MST', 'Mountain Standard Time', -7),
  Z('MDT', 'Mountain Daylight Time', -6),
  Z('CDT', 'Central Daylight Time (North America)', -5, [M('Cuba Daylight Time', -4)]),
  Z('EST', 'Eastern Standard Time', -5),
  Z('EDT', 'Eastern Daylight Time', -4),
  Z('AST', 'Atlantic Standard Time', -4, [M('Arabia Standard Time', 3)]),
  Z('ADT', 'Atlantic Daylight Time', -3),
  Z('NST', 'Newfoundland Standard Time', -3.5),
  Z('NDT', 'Newfoundland Daylight Time', -2.5),
  Z('BRT', 'Brasília Time', -3),
  Z('ART', 'Argentina Time', -3),
];

const BY_ABBREVIATION = new Map(ZONE_ABBREVIATIONS.map((z) => [z.abbreviation, z]));

export function zoneAbbreviation(abbreviation: string): ZoneAbbreviation | undefined {
  return BY_ABBREVIATION.get(abbreviation);
}

/** `UTC+05:30` for messages. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
