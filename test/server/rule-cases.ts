/**
 * One document per rule the language server issue names: `bad` breaks the rule (its diagnostic has
 * `code` and covers `at`), `good` is the same document put right.
 */
export interface RuleCase {
  rule: string;
  file: 'app.json' | 'manifest.json' | 'x.load.json';
  code: string;
  bad: unknown;
  good: unknown;
  /** The text the diagnostic's range must cover. */
  at: string;
}

const page = (fields: string[], id = 'p') => ({ id, input_fields: fields });
const text = (name: string, extra: Record<string, unknown> = {}) => ({ [name]: { type: 'text', name, ...extra } });

export const CASES: RuleCase[] = [
  { rule: 'a guide names an input that does not exist', file: 'app.json', code: 'unknown-input', at: '"nmae"', bad: { input: text('name'), guide: [page(['nmae'])] }, good: { input: text('name'), guide: [page(['name'])] } },
  { rule: 'a repeat names an input that does not exist', file: 'app.json', code: 'unknown-input', at: '"tmep"', bad: { input: { ...text('temp'), r: { type: 'repeat', name: 'R', input_fields: ['tmep'] } }, guide: [page(['r'])] }, good: { input: { ...text('temp'), r: { type: 'repeat', name: 'R', input_fields: ['temp'] } }, guide: [page(['r'])] } },
  { rule: 'an input on no page', file: 'app.json', code: 'input-unreachable', at: '"b"', bad: { input: { ...text('a'), ...text('b') }, guide: [page(['a'])] }, good: { input: { ...text('a'), ...text('b') }, guide: [page(['a', 'b'])] } },
  { rule: 'an input on two pages', file: 'app.json', code: 'input-on-two-pages', at: '"a"', bad: { input: text('a'), guide: [page(['a'], 'p1'), page(['a'], 'p2')] }, good: { input: text('a'), guide: [page(['a'], 'p1'), page([], 'p2')] } },
  { rule: 'duplicate page ids', file: 'app.json', code: 'guide-duplicate-id', at: '"p"', bad: { input: text('a'), guide: [page(['a'], 'p'), page([], 'p')] }, good: { input: text('a'), guide: [page(['a'], 'p'), page([], 'q')] } },
  { rule: 'repeat min > max', file: 'app.json', code: 'repeat-min-max', at: '1', bad: { input: { ...text('a'), r: { type: 'repeat', name: 'R', min: 3, max: 1, input_fields: ['a'] } }, guide: [page(['r'])] }, good: { input: { ...text('a'), r: { type: 'repeat', name: 'R', min: 1, max: 3, input_fields: ['a'] } }, guide: [page(['r'])] } },
  { rule: 'a repeat that contains itself', file: 'app.json', code: 'repeat-cycle', at: '"r"', bad: { input: { r: { type: 'repeat', name: 'R', input_fields: ['r'] } }, guide: [page(['r'])] }, good: { input: { ...text('a'), r: { type: 'repeat', name: 'R', input_fields: ['a'] } }, guide: [page(['r'])] } },
  { rule: 'a validator that is not a regular expression', file: 'app.json', code: 'input-validator-invalid', at: '"[a-"', bad: { input: text('a', { validator: '[a-' }), guide: [page(['a'])] }, good: { input: text('a', { validator: '[a-z]*' }), guide: [page(['a'])] } },
  { rule: 'a default that fails its validator', file: 'app.json', code: 'input-default-invalid', at: '"A1"', bad: { input: text('a', { validator: '[a-z]+', default: 'A1' }), guide: [page(['a'])] }, good: { input: text('a', { validator: '[a-z]+', default: 'abc' }), guide: [page(['a'])] } },
  { rule: 'a default that is not among values', file: 'app.json', code: 'input-default-invalid', at: '"x"', bad: { input: { o: { type: 'option', name: 'O', values: { a: 'A' }, default: 'x' } }, guide: [page(['o'])] }, good: { input: { o: { type: 'option', name: 'O', values: { a: 'A' }, default: 'a' } }, guide: [page(['o'])] } },
  { rule: 'a default of the wrong type (seed 003\'s "10")', file: 'app.json', code: 'input-default-type', at: '"10"', bad: { input: { n: { type: 'number', name: 'N', default: '10' } }, guide: [page(['n'])] }, good: { input: { n: { type: 'number', name: 'N', default: 10 } }, guide: [page(['n'])] } },
  { rule: 'a filter key that can match no device (a misspelt key)', file: 'app.json', code: 'filter-key-unmatched', at: '"capabilty"', bad: { input: { l: { type: 'single_device_selector', name: 'L', filter: { capabilty: 'switch' } } }, guide: [page(['l'])] }, good: { input: { l: { type: 'single_device_selector', name: 'L', filter: { capability: 'switch' } } }, guide: [page(['l'])] } },
  { rule: 'a filter key that can match no function (capability)', file: 'app.json', code: 'filter-key-unmatched', at: '"capability"', bad: { input: { f: { type: 'single_function_selector', name: 'F', filter: { capability: 'switchLevel' } } }, guide: [page(['f'])] }, good: { input: { f: { type: 'single_function_selector', name: 'F', filter: { type: 'dimmer' } } }, guide: [page(['f'])] } },
  { rule: 'a capability filter naming no capability', file: 'app.json', code: 'filter-capability-unknown', at: '"swtich"', bad: { input: { l: { type: 'multi_device_selector', name: 'L', filter: { capability: ['swtich'] } } }, guide: [page(['l'])] }, good: { input: { l: { type: 'multi_device_selector', name: 'L', filter: { capability: ['switch', 'color*'] } } }, guide: [page(['l'])] } },
  { rule: 'a checksum whose length does not fit its integrity', file: 'manifest.json', code: 'load-checksum-length', at: '"abcd"', bad: { image: 'a.bin', method: 'native', integrity: 'SHA256', checksum: 'abcd' }, good: { image: 'a.bin', method: 'native', integrity: 'SHA256', checksum: 'ab'.repeat(32) } },
  { rule: 'a type that is not a POSIX BRE', file: 'manifest.json', code: 'load-type-regex', at: '\\\\(', bad: { image: 'a.bin', method: 'native', type: '^80\\(' }, good: { image: 'a.bin', method: 'native', type: '^80\\(01\\)$' } },
  { rule: 'a method neither standard nor containing a period', file: 'x.load.json', code: 'load-method-unknown', at: '"flash"', bad: { url: 'https://a.com/x.bin', method: 'flash' }, good: { url: 'https://a.com/x.bin', method: 'iox.flash' } },
  { rule: 'a hybrid member name used as a method', file: 'x.load.json', code: 'load-method-member-name', at: '"native.2"', bad: { url: 'https://a.com/x.zip', method: 'native.2' }, good: { url: 'https://a.com/x.zip', method: 'hybrid' } },
  { rule: 'a switchover that is not a timestamp in the seed\'s format', file: 'x.load.json', code: 'load-switchover-format', at: '/', bad: { url: 'https://a.com/x.bin', method: 'native', switchover: '2016/09/28 12:00' }, good: { url: 'https://a.com/x.bin', method: 'native', switchover: '2099-09-28 12:00:00.000 UTC' } },
  { rule: 'a url scheme other than http, https or iapmq', file: 'x.load.json', code: 'load-url-scheme', at: 'ftp', bad: { url: 'ftp://a.com/x.bin', method: 'native' }, good: { url: 'iapmq://s1/x.bin', method: 'native' } },
  { rule: 'a load-action property in a manifest', file: 'manifest.json', code: 'load-property-load-only', at: '"switchover"', bad: { image: 'a.bin', method: 'native', switchover: '2099-01-01 00:00:00.000 UTC' }, good: { image: 'a.bin', method: 'native' } },
  { rule: 'a manifest property in a load action', file: 'x.load.json', code: 'load-property-manifest-only', at: '"issuer"', bad: { url: 'https://a.com/x.bin', method: 'native', issuer: 'ACME' }, good: { url: 'https://a.com/x.bin', method: 'native' } },
  { rule: 'user without passwd', file: 'x.load.json', code: 'load-credentials-passwd-missing', at: '"user"', bad: { url: 'https://a.com/x.bin', method: 'native', user: 'me' }, good: { url: 'https://a.com/x.bin', method: 'native', user: 'me', passwd: 'secret' } },
];
