/**
 * runtime/load-actions: IAP load actions and image manifests (seed 002, "Load Action and Manifest
 * Properties"). Pure; no file system.
 */
export * from './properties';
export { checkPosixBre, parseBre, BreSyntaxError, CHARACTER_CLASSES, RE_DUP_MAX } from './posix-bre';
export type { BreCheck, BreIssue, BreWarningCode, BreNode, BreBracketItem, CharacterClass } from './posix-bre';
export { breToRegExp, breToRegExpSource } from './bre-to-regexp';
export { parseIapTimestamp, formatIapTimestamp, daysInMonth, isLeapYear } from './timestamp';
export type { IapTimestamp, TimestampField, TimestampParse, TimestampProblem, TimestampProblemCode } from './timestamp';
export { ZONE_ABBREVIATIONS, zoneAbbreviation, formatOffset } from './zone-abbreviations';
export type { ZoneAbbreviation, ZoneMeaning } from './zone-abbreviations';
export { parseHybridMemberName, orderHybridMembers, looksLikeMemberName } from './hybrid';
export type { HybridMember, HybridIssue, HybridIssueCode } from './hybrid';
export { checkImageUrl, urlBasename, hasScheme } from './url-check';
export { checkResponseTopic, iapChannel } from './response-topic';
export type { IapChannel } from './response-topic';
export type { ValueIssue } from './value-issue';
export { loadCompletion, completionPublishOptions } from './completion';
export type { LoadCompletion } from './completion';
export { checkManifest, checkLoadAction } from './check-load';
export type { LoadCheckOptions } from './check-load';
