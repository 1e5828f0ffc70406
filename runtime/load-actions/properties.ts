/**
 * The properties of an IAP load action (`args` of `{"action": "load"}`) and of an image manifest,
 * after seed 002 ("Load Action and Manifest Properties"). One table for the checkers, the JSON
 * schemas and the editor's hovers and completions, so they cannot disagree on what belongs where.
 */

/** Where a property may be written. */
export type PropertyScope = 'load' | 'manifest' | 'both';
/** The two kinds of document. */
export type LoadDocumentKind = 'load' | 'manifest';
export type LoadJsonType = 'string' | 'object';

export interface LoadProperty {
  readonly name: string;
  readonly scope: PropertyScope;
  /** The documents in which it must be present. */
  readonly requiredIn: readonly LoadDocumentKind[];
  readonly type: LoadJsonType;
  /** null is an accepted value (meaning "not given"), as the seed's `imgpwd: null` example shows. */
  readonly nullable: boolean;
  /** One line, for hovers. */
  readonly description: string;
  /** The standard values, for completions; absent when the value is free. */
  readonly values?: readonly string[];
  readonly example?: string;
}

/** The standard load methods. No standard identifier contains a period; non-standard ones do. */
export const STANDARD_METHODS = ['native', 'hybrid', 'setup', 'system'] as const;
export type StandardMethod = (typeof STANDARD_METHODS)[number];

export const METHOD_DESCRIPTIONS: Readonly<Record<StandardMethod, string>> = {
  native: 'a native image (e.g. a TOP900 .bin, a LonWorks .APB or .NDL) the edge server knows how to apply; may be a ZIP holding exactly one file',
  hybrid: 'a ZIP of inner images named <method>.<positive decimal>, applied in the order of their numbers',
  setup: 'a ZIP with a `setup` script at its root (or only recognized resource files), run as root to install its content',
  system: 'like setup, with lead-in and lead-out steps to upgrade the edge server itself (reboot, confirm or roll back)',
};

/**
 * Accepted `integrity` values, compared case-insensitively. The seed spells them MD5, SHA256 and
 * SHA512 (with JSON null for none); the IAP toolkit's constants are md5, sha256, sha512 and none.
 */
export const INTEGRITY_VALUES = ['MD5', 'SHA256', 'SHA512', 'none'] as const;
export type IntegrityValue = (typeof INTEGRITY_VALUES)[number];

/** Hex digits of a checksum for each algorithm. */
export const CHECKSUM_HEX_DIGITS: Readonly<Record<Exclude<IntegrityValue, 'none'>, number>> = {
  MD5: 32,
  SHA256: 64,
  SHA512: 128,
};

/** The canonical spelling of an integrity value, or undefined when it is not one. */
export function canonicalIntegrity(value: string): IntegrityValue | undefined {
  const upper = value.toUpperCase();
  return INTEGRITY_VALUES.find((v) => v.toUpperCase() === upper);
}

export const LOAD_PROPERTIES: readonly LoadProperty[] = [
  {
    name: 'version',
    scope: 'manifest',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional, recommended) version of this image; the CMS can show it when asking for approval to load.',
    example: '1.02.003',
  },
  {
    name: 'issuer',
    scope: 'manifest',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: "(Optional, recommended) the publisher's identity; the CMS can show it when asking for approval to load.",
  },
  {
    name: 'description',
    scope: 'manifest',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional, recommended) a brief description of the image, its contents and purpose.',
  },
  {
    name: 'readme',
    scope: 'manifest',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional, recommended) a link to a more detailed document or page about this image.',
  },
  {
    name: 'image',
    scope: 'manifest',
    requiredIn: ['manifest'],
    type: 'string',
    nullable: false,
    description: '(Required) the inner image: a member of the outer IAP image archive, or else a remote reference such as an HTTPS link.',
    example: 'top900_v12_2.bin',
  },
  {
    name: 'user',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) user name for fetching the image with HTTP BasicAuth; goes with passwd.',
  },
  {
    name: 'passwd',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) password for fetching the image with HTTP BasicAuth; goes with user.',
  },
  {
    name: 'url',
    scope: 'load',
    requiredIn: ['load'],
    type: 'string',
    nullable: false,
    description: '(Required) WGET-compatible http/https URL of the image file itself (not a download page or redirecting link), or an iapmq pseudo-protocol reference.',
    example: 'http://www.acme.com/downloads/sc/321.zip',
  },
  {
    name: 'imgpwd',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) password to decompress the image when it is a ZIP archive.',
  },
  {
    name: 'integrity',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) checksum algorithm for checksum: MD5, SHA256 or SHA512; null (or "none") for no check.',
    values: INTEGRITY_VALUES,
  },
  {
    name: 'method',
    scope: 'both',
    requiredIn: ['load', 'manifest'],
    type: 'string',
    nullable: false,
    description: '(Required) how the edge server applies the image: native, hybrid, setup or system; non-standard methods contain a period (e.g. "iox.ble").',
    values: STANDARD_METHODS,
  },
  {
    name: 'protocol',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) edge protocol, e.g. "cm"; needed for bulk loads of every device of the protocol and type.',
    example: 'cm',
  },
  {
    name: 'switchover',
    scope: 'load',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) when targets switch to the new image, as an IAP timestamp "YYYY-MM-DD HH:mm:ss.SSS UTC" (or a local zone); absent or past means at once.',
    example: '2016-09-28 12:00:00.000 BST',
  },
  {
    name: 'type',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: "(Optional) POSIX Basic Regular Expression the device's reported type must match, e.g. ^8000010203040506$.",
    example: '^8000010203040506$',
  },
  {
    name: 'flags',
    // The seed's table says "string", but its text and example describe an object of flag → any
    // JSON value, and null for no flags.
    scope: 'both',
    requiredIn: [],
    type: 'object',
    nullable: true,
    description: '(Optional) object of custom flags (key → any JSON value) declared by applications or protocol engines; null for none.',
  },
  {
    name: 'checksum',
    scope: 'both',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) hex-encoded checksum over the entire image, computed with the integrity algorithm.',
    example: '708662ee8cc7b7129bdd75b731d61a784608a8067cfb7d26c1c15d4d8dc2863a',
  },
  {
    name: 'response',
    scope: 'load',
    requiredIn: [],
    type: 'string',
    nullable: true,
    description: '(Optional) MQTT topic on which the load completion object is published, e.g. glp/0/{SID}/ev/=cms/response/load.',
    example: 'glp/0/{SID}/ev/=cms/response/load',
  },
];

const BY_NAME = new Map(LOAD_PROPERTIES.map((p) => [p.name, p]));

export function loadProperty(name: string): LoadProperty | undefined {
  return BY_NAME.get(name);
}

/** Whether a property may be written in this kind of document. */
export function belongsIn(property: LoadProperty, kind: LoadDocumentKind): boolean {
  return property.scope === 'both' || property.scope === kind;
}

/** The properties allowed in this kind of document, in table order. */
export function propertiesFor(kind: LoadDocumentKind): LoadProperty[] {
  return LOAD_PROPERTIES.filter((p) => belongsIn(p, kind));
}

export function documentName(kind: LoadDocumentKind): string {
  return kind === 'load' ? 'load action' : 'manifest';
}
