import assert from 'node:assert/strict';
import {
  INTEGRITY_VALUES,
  LOAD_PROPERTIES,
  STANDARD_METHODS,
  belongsIn,
  canonicalIntegrity,
  checkImageUrl,
  checkResponseTopic,
  completionPublishOptions,
  hasScheme,
  iapChannel,
  loadCompletion,
  loadProperty,
  looksLikeMemberName,
  orderHybridMembers,
  parseHybridMemberName,
  propertiesFor,
  urlBasename,
  type ValueIssue,
} from '../../../runtime/load-actions';
import { valueRange, valueUnitOffsets } from '../../../runtime/load-actions/string-offsets';
import { parseJsonDocument } from '../../../runtime/app/json-tree';

const brief = (issues: readonly ValueIssue[]): [string, string, number, number][] => issues.map((i) => [i.severity, i.code, i.index, i.length]);

describe('load property table (seed 002)', () => {
  it('lists every property of the seed with where it belongs', () => {
    const scopes = Object.fromEntries(LOAD_PROPERTIES.map((p) => [p.name, p.scope]));
    assert.deepEqual(scopes, {
      version: 'manifest',
      issuer: 'manifest',
      description: 'manifest',
      readme: 'manifest',
      image: 'manifest',
      user: 'both',
      passwd: 'both',
      url: 'load',
      imgpwd: 'both',
      integrity: 'both',
      method: 'both',
      protocol: 'both',
      switchover: 'load',
      type: 'both',
      flags: 'both',
      checksum: 'both',
      response: 'load',
    });
  });

  it('says which are required where', () => {
    const required = (kind: 'load' | 'manifest'): string[] => LOAD_PROPERTIES.filter((p) => p.requiredIn.includes(kind)).map((p) => p.name);
    assert.deepEqual(required('load'), ['url', 'method']);
    assert.deepEqual(required('manifest'), ['image', 'method']);
  });

  it('has a one-line description for every property, and the standard values', () => {
    for (const p of LOAD_PROPERTIES) assert.ok(p.description.length > 20 && !p.description.includes('\n'), p.name);
    assert.deepEqual(loadProperty('method')?.values, STANDARD_METHODS);
    assert.deepEqual(loadProperty('integrity')?.values, INTEGRITY_VALUES);
    assert.equal(loadProperty('flags')?.type, 'object');
    assert.equal(loadProperty('nope'), undefined);
  });

  it('answers which properties a document kind may hold', () => {
    assert.equal(belongsIn(loadProperty('url')!, 'manifest'), false);
    assert.equal(belongsIn(loadProperty('type')!, 'manifest'), true);
    assert.deepEqual(propertiesFor('load').map((p) => p.name), ['user', 'passwd', 'url', 'imgpwd', 'integrity', 'method', 'protocol', 'switchover', 'type', 'flags', 'checksum', 'response']);
  });

  it('spells integrity values canonically, ignoring case', () => {
    assert.equal(canonicalIntegrity('sha256'), 'SHA256');
    assert.equal(canonicalIntegrity('Md5'), 'MD5');
    assert.equal(canonicalIntegrity('NONE'), 'none');
    assert.equal(canonicalIntegrity('sha1'), undefined);
  });
});

describe('hybrid members', () => {
  it('parses <method>.<positive decimal>', () => {
    assert.deepEqual(parseHybridMemberName('setup.1'), { name: 'setup.1', method: 'setup', sequenceText: '1', sequence: 1 });
    assert.deepEqual(parseHybridMemberName('iox.ble.3'), { name: 'iox.ble.3', method: 'iox.ble', sequenceText: '3', sequence: 3 });
    assert.deepEqual(parseHybridMemberName('native.007'), { name: 'native.007', method: 'native', sequenceText: '007', sequence: 7 });
  });

  it('rejects sequence numbers that are not positive decimals, and names without a method', () => {
    for (const name of ['setup.0', 'setup.00', 'setup.-1', 'setup.+1', 'setup.1.5', 'setup.x', 'setup.', 'native.1e3', 'native.0x1']) {
      const r = parseHybridMemberName(name);
      assert.ok('code' in r && r.code === 'hybrid-sequence', `${name}: ${JSON.stringify(r)}`);
    }
    for (const name of ['setup', 'readme.1', '.1']) {
      const r = parseHybridMemberName(name);
      assert.ok('code' in r && r.code === 'hybrid-member-name', `${name}: ${JSON.stringify(r)}`);
    }
  });

  it('orders members by the value of their numbers, which need not be contiguous', () => {
    const { members, issues } = orderHybridMembers(['native.100', 'setup.10', 'native.3']);
    assert.deepEqual(members.map((m) => m.name), ['native.3', 'setup.10', 'native.100']);
    assert.deepEqual(issues, []);
    assert.deepEqual(orderHybridMembers(['native.2', 'setup.99999999999999999999999', 'hybrid.100000000000000000000000']).members.map((m) => m.name), ['native.2', 'setup.99999999999999999999999', 'hybrid.100000000000000000000000']);
  });

  it('reports numbers two members share, bad names, and system members', () => {
    const { members, issues } = orderHybridMembers(['setup.1', 'native.01', 'system.5', 'readme.txt', 'native.0']);
    assert.deepEqual(members.map((m) => m.name), ['setup.1', 'native.01', 'system.5']);
    assert.deepEqual(
      issues.map((i) => [i.severity, i.code, i.name]),
      [
        ['error', 'hybrid-member-name', 'readme.txt'],
        ['error', 'hybrid-sequence', 'native.0'],
        ['error', 'hybrid-ambiguous-order', 'native.01'],
        ['warning', 'hybrid-system', 'system.5'],
      ],
    );
    assert.match(issues[2].message, /"setup\.1" and "native\.01" have the same sequence number/);
  });

  it('recognises names shaped like members of standard methods', () => {
    assert.deepEqual(looksLikeMemberName('setup.1'), { method: 'setup', sequenceText: '1', validSequence: true });
    assert.deepEqual(looksLikeMemberName('Native.0'), { method: 'native', sequenceText: '0', validSequence: false });
    assert.deepEqual(looksLikeMemberName('system.-2'), { method: 'system', sequenceText: '-2', validSequence: false });
    assert.equal(looksLikeMemberName('setup.py'), undefined);
    assert.equal(looksLikeMemberName('iox.ble'), undefined);
    assert.equal(looksLikeMemberName('top900.bin'), undefined);
  });
});

describe('checkImageUrl', () => {
  it('accepts http, https and iapmq URLs of files', () => {
    for (const url of ['http://www.acme.com/downloads/sc/321.zip', 'https://downloads.acme.com:8443/top900_v12_2.bin?token=abc', 'iapmq:images/lang-de', 'https://dl.dropboxusercontent.com/s/abc/image.bin', 'https://raw.githubusercontent.com/o/r/main/x.bin', 'https://github.com/o/r/releases/download/v1/x.bin', 'http://[::1]:8080/x.bin']) {
      assert.deepEqual(checkImageUrl(url), [], url);
    }
  });

  it('reports other schemes at the scheme, and file: as a warning', () => {
    assert.deepEqual(brief(checkImageUrl('ftp://acme.com/x.bin')), [['error', 'load-url-scheme', 0, 3]]);
    assert.match(checkImageUrl('ftp://acme.com/x.bin')[0].message, /^url uses the scheme "ftp"; only http, https and iapmq are allowed \(WGET-compatible here means http or https\)$/);
    assert.deepEqual(brief(checkImageUrl('s3://bucket/x.bin')), [['error', 'load-url-scheme', 0, 2]]);
    assert.deepEqual(brief(checkImageUrl('file:///opt/images/x.bin')), [['warning', 'load-url-scheme', 0, 4]]);
    assert.deepEqual(
      checkImageUrl('HTTPS://acme.com/x.bin').map((i) => [i.severity, i.code, i.index, i.length, i.replacement]),
      [['warning', 'load-url-scheme', 0, 5, 'https']],
    );
  });

  it('reports what is not a URL, with a fix where it can', () => {
    assert.deepEqual(
      checkImageUrl('www.acme.com/x.bin').map((i) => [i.code, i.index, i.length, i.replacement, i.message]),
      [['load-url-invalid', 0, 0, 'https://', 'url is not a URL: the scheme is missing']],
    );
    assert.equal(checkImageUrl('acme.com:8080/x.bin')[0].replacement, 'https://');
    assert.equal(checkImageUrl('//acme.com/x.bin')[0].replacement, 'https:');
    assert.deepEqual(brief(checkImageUrl('top900.bin')), [['error', 'load-url-invalid', 0, 10]]);
    assert.match(checkImageUrl('C:\\images\\x.bin')[0].message, /Windows file path/);
    assert.deepEqual(brief(checkImageUrl('')), [['error', 'load-url-invalid', 0, 0]]);
    assert.deepEqual(brief(checkImageUrl(' http://a.com/x')), [['error', 'load-url-invalid', 0, 1]]);
    assert.deepEqual(brief(checkImageUrl('http://a.com/x  ')), [['error', 'load-url-invalid', 14, 2]]);
    assert.deepEqual(
      checkImageUrl('http:/acme.com/x.bin').map((i) => [i.code, i.index, i.length, i.replacement]),
      [['load-url-invalid', 5, 1, '//']],
    );
    assert.deepEqual(brief(checkImageUrl('https:///x.bin')), [['error', 'load-url-invalid', 6, 3]]);
    assert.deepEqual(brief(checkImageUrl('https://acme.com:99999/x.bin')), [['error', 'load-url-invalid', 17, 5]]);
    assert.deepEqual(
      checkImageUrl('https://acme.com/my image.bin').map((i) => [i.code, i.index, i.length, i.replacement]),
      [['load-url-invalid', 19, 1, '%20']],
    );
    assert.deepEqual(brief(checkImageUrl('iapmq:')), [['error', 'load-url-invalid', 0, 6]]);
  });

  it('warns about credentials in the URL, at the user:password@ part', () => {
    const [i] = checkImageUrl('https://bob:s3cret@acme.com/x.bin');
    assert.deepEqual([i.severity, i.code, i.index, i.length, i.replacement], ['warning', 'load-url-credentials', 8, 11, '']);
    assert.equal(i.fix, 'remove them from the URL and set the user and passwd properties');
  });

  it('warns about sharing pages and redirecting links, with the direct link where it is known', () => {
    const cases: [string, RegExp][] = [
      ['https://drive.google.com/file/d/1AbC/view?usp=sharing', /Google Drive link/],
      ['https://docs.google.com/uc?export=download&id=1AbC', /Google Drive link/],
      ['https://www.dropbox.com/s/abc/image.bin?dl=0', /Dropbox link/],
      ['https://1drv.ms/u/s!abc', /OneDrive/],
      ['https://acme.sharepoint.com/:u:/g/abc', /OneDrive/],
      ['https://we.tl/t-abc', /WeTransfer/],
      ['https://mega.nz/file/abc#key', /MEGA/],
      ['https://www.mediafire.com/file/abc/image.bin/file', /MediaFire/],
      ['https://app.box.com/s/abc', /Box/],
      ['https://sourceforge.net/projects/p/files/image.bin/download', /SourceForge/],
      ['https://bit.ly/3abc', /URL shortener link is a redirecting link/],
    ];
    for (const [url, message] of cases) {
      const issues = checkImageUrl(url);
      assert.deepEqual(brief(issues), [['warning', 'load-url-download-page', 0, url.length]], url);
      assert.match(issues[0].message, message);
    }
    const gh = checkImageUrl('https://github.com/acme/fw/blob/v1.2/images/top900.bin')[0];
    assert.equal(gh.replacement, 'https://raw.githubusercontent.com/acme/fw/v1.2/images/top900.bin');
    assert.equal(checkImageUrl('https://gitlab.com/acme/fw/-/blob/main/x.bin')[0].replacement, 'https://gitlab.com/acme/fw/-/raw/main/x.bin');
  });

  it('warns about a URL that names a server but no file', () => {
    assert.deepEqual(brief(checkImageUrl('https://acme.com/')), [['warning', 'load-url-download-page', 0, 17]]);
  });

  it('takes the file name of references', () => {
    assert.equal(urlBasename('https://a.com/x/native.2?x=1#f'), 'native.2');
    assert.equal(urlBasename('iapmq:images/lang%20de.zip'), 'lang de.zip');
    assert.equal(urlBasename('top900.bin'), 'top900.bin');
    assert.equal(hasScheme('https://a.com/x'), true);
    assert.equal(hasScheme('iapmq:x'), true);
    assert.equal(hasScheme('C:\\x.bin'), false);
    assert.equal(hasScheme('top900.bin'), false);
  });
});

describe('checkResponseTopic', () => {
  it("accepts the seed's topic shape in the event and feedback channels", () => {
    assert.deepEqual(checkResponseTopic('glp/0/seg.1/ev/=cms/response/load'), []);
    assert.deepEqual(checkResponseTopic('glp/0/./fb/=cms/import/response'), []);
    assert.deepEqual(checkResponseTopic('glp/0/s1/ev'), []);
  });

  it('rejects wildcards, NUL, an empty topic and a leading slash', () => {
    assert.deepEqual(brief(checkResponseTopic('glp/0/s1/ev/+/load')), [['error', 'load-response-topic', 12, 1]]);
    assert.deepEqual(brief(checkResponseTopic('glp/0/s1/ev/#')), [['error', 'load-response-topic', 12, 1]]);
    assert.deepEqual(brief(checkResponseTopic('a\u0000b')), [['error', 'load-response-topic', 1, 1]]);
    assert.deepEqual(brief(checkResponseTopic('')), [['error', 'load-response-topic', 0, 0]]);
    assert.deepEqual(brief(checkResponseTopic('//glp/0/s1/ev/x')), [['error', 'load-response-topic', 0, 2]]);
    assert.deepEqual(brief(checkResponseTopic('x'.repeat(65536))), [['error', 'load-response-topic', 0, 65536]]);
  });

  it('warns about empty levels, a trailing slash and a placeholder left in', () => {
    assert.deepEqual(brief(checkResponseTopic('glp/0/s1/ev//load')), [['warning', 'load-response-topic', 11, 2]]);
    assert.deepEqual(brief(checkResponseTopic('glp/0/s1/ev/load/')), [['warning', 'load-response-topic', 16, 1]]);
    const [p] = checkResponseTopic('glp/0/{SID}/ev/=cms/response/load');
    assert.deepEqual([p.severity, p.code, p.index, p.length], ['warning', 'load-response-topic', 6, 5]);
    assert.equal(p.fix, "write the segment's SID (or . for the local segment)");
  });

  it('informs when the topic is outside the IAP event and feedback channels', () => {
    assert.deepEqual(brief(checkResponseTopic('acme/loads/done')), [['info', 'load-response-channel', 0, 15]]);
    assert.deepEqual(brief(checkResponseTopic('glp/0/s1/xx/load')), [['info', 'load-response-channel', 9, 2]]);
    assert.deepEqual(brief(checkResponseTopic('glp/0/s1/rq/load')), [['warning', 'load-response-channel', 9, 2]]);
    assert.deepEqual(brief(checkResponseTopic('glp/1/s1/ev/load')), [['warning', 'load-response-channel', 4, 1]]);
    assert.deepEqual(brief(checkResponseTopic('glp/0/-bad/ev/load')), [['warning', 'load-response-channel', 6, 4]]);
  });

  it('knows the channel of a topic and the publication properties of the completion object', () => {
    assert.equal(iapChannel('glp/0/s1/fb/x'), 'fb');
    assert.equal(iapChannel('glp/0/s1/ev'), 'ev');
    assert.equal(iapChannel('acme/ev/x'), undefined);
    assert.deepEqual(completionPublishOptions('glp/0/s1/fb/=cms/r'), { qos: 1, retain: true });
    assert.deepEqual(completionPublishOptions('glp/0/s1/ev/=cms/r'), { qos: 1, retain: false });
    assert.deepEqual(completionPublishOptions('acme/r'), { qos: 1, retain: false });
  });

  it('builds the load completion object from the request', () => {
    assert.deepEqual(loadCompletion({ url: 'https://a/x', method: 'native', protocol: 'lt', type: '^80', flags: null, user: 'u' }), {
      url: 'https://a/x',
      method: 'native',
      protocol: 'lt',
      type: '^80',
      flags: null,
      error: null,
    });
    assert.deepEqual(loadCompletion({ url: 'u' }, { cat: 'error', message: 'x' }), { url: 'u', method: null, protocol: null, type: null, flags: null, error: { cat: 'error', message: 'x' } });
  });
});

describe('string value offsets', () => {
  it('maps value characters to file offsets through escapes', () => {
    const text = '{"t": "a\\\\d\\u00e9\\"z"}';
    const doc = parseJsonDocument(text, 'x.json', { allowComments: false });
    const node = doc.root!.children![0].children![1];
    // value: a \ d é " z  →  file: a at 7, \\ at 8, d at 10, \u00e9 at 11, \" at 17, z at 19, closing quote at 20
    assert.deepEqual(valueUnitOffsets(text, node), [7, 8, 10, 11, 17, 19, 20]);
    assert.deepEqual(valueRange(text, node, 1, 2), { offset: 8, length: 3 });
    assert.deepEqual(valueRange(text, node, 3, 1), { offset: 11, length: 6 });
    assert.deepEqual(valueRange(text, node, 6, 0), { offset: 20, length: 0 });
    assert.deepEqual(valueRange(text, node, 0, 99), { offset: 7, length: 13 });
  });

  it('falls back to the whole node when it is not a string', () => {
    const text = '{"t": 12}';
    const doc = parseJsonDocument(text, 'x.json', { allowComments: false });
    const node = doc.root!.children![0].children![1];
    assert.equal(valueUnitOffsets(text, node), undefined);
    assert.deepEqual(valueRange(text, node, 0, 1), { offset: 6, length: 2 });
  });
});
