/**
 * platform/bundle: an app's deployable zip. makeBundle on the deploy side, readBundle on a
 * Thing's; the format is a plain zip of the files bundle-files.ts lists, at its root.
 */
export { makeBundle } from './make-bundle';
export { readBundle } from './read-bundle';
export { BundleError, type BundleErrorCode } from './bundle-error';
export { BUNDLED_FILES, SCRIPT_FILES } from './bundle-files';
export { DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNPACKED_BYTES } from './types';
export type { AppBundle, BundleContents, ReadBundleOptions } from './types';
