export type { Clock, TimerHandle } from './clock';
export { VirtualClock } from './virtual-clock';
export type { VirtualClockOptions } from './virtual-clock';
export { RealClock, MAX_TIMEOUT_MS, nextWait, nodeTimerHost } from './real-clock';
export type { RealClockOptions, TimerHost } from './real-clock';
export { CronError, parseCron } from './cron';
export type { CronSchedule } from './cron';
export { nextDailyTime, parseTimeOfDay } from './daily-time';
export type { TimeOfDay } from './daily-time';
export { nextSunEvent, parseOffset, sunTimes } from './sun';
export type { SunEventKind, SunTimes } from './sun';
export {
  addDays,
  assertTimeZone,
  daysInMonth,
  isValidTimeZone,
  localParts,
  localToInstant,
  weekdayOf,
  zoneOffsetMs,
} from './time-zone';
export type { CalendarDay, LocalDateTime, LocalParts } from './time-zone';
