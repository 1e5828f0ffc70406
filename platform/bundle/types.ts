/** The contracts of platform/bundle: what a deploy makes and what a Thing reads back. */
import type { AppJson } from '../../runtime/app/app-json-types';

/** A deployable app: the zip and what the store records of it. */
export interface AppBundle {
  /** the zip, deterministic: the same files give the same bytes */
  bytes: Buffer;
  /** hex SHA-256 of `bytes` */
  sha256: string;
  /** app.json's `name` */
  name: string;
  /** app.json's `version` */
  version: string;
  /** the script files the bundle holds (today ['app.js']); the store refuses a deploy that renames one (seed 000) */
  scriptNames: string[];
  /** the zip's entries, sorted */
  files: string[];
}

export interface ReadBundleOptions {
  /** names the bundle in every error, e.g. "door-light@1.2.0" */
  label: string;
  /** hex SHA-256 the bytes must have; checked before anything else is read */
  expectedSha256?: string;
  /** the most bytes the entries may inflate to, in all and each; default 16 MiB */
  maxUnpackedBytes?: number;
  /** the most entries (files and folders) the zip may hold; default 256 */
  maxEntries?: number;
}

/**
 * A bundle read and checked: what a Thing's agent needs to build the runtime's `AppSource`
 * (runtime/engine/installed-app.ts) — `{ name, version, appJson, scriptFile, script }`.
 */
export interface BundleContents {
  appJsonText: string;
  appJson: AppJson;
  script: string;
  scriptFile: 'app.js';
  /** manifest.json's value, when the bundle has one */
  manifest?: unknown;
  name: string;
  version: string;
  /** the zip's file entries (folders left out), in the zip's order */
  files: string[];
}

export const DEFAULT_MAX_UNPACKED_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_ENTRIES = 256;
