import assert from 'node:assert/strict';
import { CHECKSUM_SHA256, GOOD_LOAD, NOW, assertAt, covered, json, loadProblems, one, placeOf, withCode } from './load-test-helpers';

function loadText(overrides: Record<string, unknown>, omit: string[] = []): string {
  const m: Record<string, unknown> = { ...GOOD_LOAD, ...overrides };
  for (const k of omit) delete m[k];
  return json(m);
}

describe('checkLoadAction', () => {
  it('reports nothing for a load action with every property', () => {
    assert.deepEqual(loadProblems(json(GOOD_LOAD)), []);
  });

  it('reports nothing for a minimal load action', () => {
    assert.deepEqual(loadProblems('{"url": "https://acme.com/x.bin", "method": "native"}'), []);
  });

  describe('the do envelope', () => {
    it('checks the args of {"action": "load", "args": {…}} at their places', () => {
      const text = json({ action: 'load', args: { url: 'https://acme.com/x.bin', method: 'natve' } });
      const p = one(loadProblems(text), 'load-method-unknown');
      assertAt(p, 'error', placeOf(text, '"natve"'));
      assert.equal(loadProblems(json({ action: 'load', args: { url: 'https://acme.com/x.bin', method: 'native' } })).length, 0);
    });

    it('reports an action other than load, with the fix', () => {
      const text = json({ action: 'lod', args: { url: 'https://acme.com/x.bin', method: 'native' } });
      const p = one(loadProblems(text), 'load-action-name');
      assertAt(p, 'error', placeOf(text, '"lod"'));
      assert.equal(p.replacement, '"load"');
    });

    it('reports an envelope without args at its brace, and required args at the args brace', () => {
      const text = '{"action": "load"}';
      assertAt(one(loadProblems(text), 'load-required'), 'error', { line: 1, column: 1, offset: 0, length: 1 });
      const text2 = '{"action": "load", "args": {"method": "native"}}';
      const p = one(loadProblems(text2), 'load-required');
      assertAt(p, 'error', placeOf(text2, '{"method"', { length: 1 }));
      assert.equal(p.message, 'the load action has no "url", which is required');
    });
  });

  describe('placement and required properties', () => {
    it('reports manifest properties at their keys, renaming image to url when url is missing', () => {
      const text = loadText({ image: 'x.bin', version: '1.0' }, ['url']);
      const problems = loadProblems(text);
      const found = withCode(problems, 'load-property-manifest-only');
      assert.deepEqual(
        found.map((p) => [p.severity, covered(text, p), p.replacement]),
        [
          ['error', '"image"', '"url"'],
          ['error', '"version"', undefined],
        ],
      );
      assertAt(found[0], 'error', placeOf(text, '"image"'));
      assert.equal(found[1].fix, 'move "version" to the image\'s manifest, where the CMS reads it');
      assert.equal(one(problems, 'load-required').message, 'the load action has no "url", which is required');
    });

    it('reports missing url and method at the opening brace', () => {
      const found = withCode(loadProblems('{\n}'), 'load-required');
      assert.deepEqual(
        found.map((p) => [p.line, p.column, p.offset, p.length, p.message]),
        [
          [1, 1, 0, 1, 'the load action has no "url", which is required'],
          [1, 1, 0, 1, 'the load action has no "method", which is required'],
        ],
      );
    });

    it('suggests response for respnse, and explains respond', () => {
      const text = loadText({ respnse: 'glp/0/s/ev/x' }, ['response']);
      const p = one(loadProblems(text), 'load-property-unknown');
      assertAt(p, 'error', placeOf(text, '"respnse"'));
      assert.equal(p.replacement, '"response"');
      const text2 = loadText({ respond: 'glp/0/s/ev/x' }, ['response']);
      const q = one(loadProblems(text2), 'load-property-unknown');
      assert.match(q.message, /IAP import requests use "respond", but the load action's topic for its completion object is "response"/);
      assert.equal(q.replacement, '"response"');
    });
  });

  describe('credentials', () => {
    it('reports user without passwd (error) and passwd without user (warning) at the keys', () => {
      const text = loadText({}, ['passwd']);
      assertAt(one(loadProblems(text), 'load-credentials-passwd-missing'), 'error', placeOf(text, '"user"'));
      const text2 = loadText({}, ['user']);
      assertAt(one(loadProblems(text2), 'load-credentials-user-missing'), 'warning', placeOf(text2, '"passwd"'));
    });

    it('treats null as not given', () => {
      const text = loadText({ passwd: null });
      one(loadProblems(text), 'load-credentials-passwd-missing');
      assert.deepEqual(loadProblems(loadText({ passwd: null, user: null })), []);
    });

    it('says nothing about credentials being unused in a load action', () => {
      assert.deepEqual(withCode(loadProblems(json(GOOD_LOAD)), 'load-credentials-unused'), []);
    });
  });

  describe('integrity and checksum', () => {
    it('reports a checksum of the wrong length for its algorithm, naming the algorithm it fits', () => {
      const text = loadText({ integrity: 'MD5' });
      const p = one(loadProblems(text), 'load-checksum-length');
      assertAt(p, 'error', placeOf(text, `"${CHECKSUM_SHA256}"`));
      assert.equal(p.message, 'MD5 checksums are 32 hex digits; this one has 64');
      assert.equal(p.fix, 'this is the length of a SHA256 checksum: set integrity to "SHA256", or write the MD5 of the image');
      const q = one(loadProblems(loadText({ integrity: 'SHA512', checksum: 'abc' })), 'load-checksum-length');
      assert.equal(q.fix, 'write the SHA512 of the image: 128 hex digits');
    });

    it('accepts each algorithm with its length, in either documented spelling', () => {
      for (const [integrity, n] of [['MD5', 32], ['md5', 32], ['SHA256', 64], ['sha256', 64], ['SHA512', 128], ['sha512', 128]] as const) {
        assert.deepEqual(loadProblems(loadText({ integrity, checksum: 'a'.repeat(n) })), [], integrity);
      }
    });

    it('reports non-hex characters at their place', () => {
      const bad = CHECKSUM_SHA256.slice(0, 10) + 'zz' + CHECKSUM_SHA256.slice(12);
      const text = loadText({ checksum: bad });
      const p = one(loadProblems(text), 'load-checksum-hex');
      assertAt(p, 'error', placeOf(text, 'zz'));
      assert.equal(p.message, '"zz" are not hex digits');
      // Two characters are not hex, so there are 62 digits: the length is wrong as well.
      one(loadProblems(text), 'load-checksum-length');
    });

    it('explains a 0x prefix and separators, and offers to remove them', () => {
      const text = loadText({ checksum: '0x' + CHECKSUM_SHA256 });
      const problems = loadProblems(text);
      const p = one(problems, 'load-checksum-hex');
      assertAt(p, 'error', placeOf(text, '0x'));
      assert.equal(p.replacement, '');
      assert.deepEqual(withCode(problems, 'load-checksum-length'), []);
      const spaced = CHECKSUM_SHA256.match(/.{2}/g)!.join(':');
      const text2 = loadText({ checksum: spaced });
      const seps = withCode(loadProblems(text2), 'load-checksum-hex');
      assert.equal(seps.length, 3, 'at most three runs are reported');
      assertAt(seps[0], 'error', placeOf(text2, '70:86', { shift: 2, length: 1 }));
      assert.match(seps[0].message, /^checksum contains the separator ":"/);
    });

    it('warns that a checksum without an algorithm is not checked, and suggests one by length', () => {
      const text = loadText({}, ['integrity']);
      const p = one(loadProblems(text), 'load-checksum-unchecked');
      assertAt(p, 'warning', placeOf(text, `"${CHECKSUM_SHA256}"`));
      assert.equal(p.message, 'the checksum will not be checked: there is no "integrity"');
      assert.equal(p.fix, 'add "integrity": "SHA256" (the checksum has the length of a SHA256 checksum)');
      assert.equal(one(loadProblems(loadText({ integrity: null })), 'load-checksum-unchecked').message, 'the checksum will not be checked: integrity is null');
      assert.equal(one(loadProblems(loadText({ integrity: 'none' })), 'load-checksum-unchecked').message, 'the checksum will not be checked: integrity is "none"');
    });

    it('warns about an algorithm without a checksum, at integrity', () => {
      const text = loadText({}, ['checksum']);
      const p = one(loadProblems(text), 'load-checksum-missing');
      assertAt(p, 'warning', placeOf(text, '"SHA256"'));
      assert.deepEqual(loadProblems(loadText({ integrity: null }, ['checksum'])), []);
    });

    it('reports unsupported integrity values with the canonical spelling', () => {
      const text = loadText({ integrity: 'SHA-256' });
      const p = one(loadProblems(text), 'load-integrity-value');
      assertAt(p, 'error', placeOf(text, '"SHA-256"'));
      assert.equal(p.message, 'integrity "SHA-256" is not supported; did you mean "SHA256"?');
      assert.equal(p.replacement, '"SHA256"');
      const q = one(loadProblems(loadText({ integrity: 'SHA1' })), 'load-integrity-value');
      assert.equal(q.message, 'integrity "SHA1" is not supported');
      assert.equal(q.fix, 'integrity is MD5, SHA256 or SHA512, or null for no check');
      const r = one(loadProblems(loadText({ integrity: 'null' })), 'load-integrity-value');
      assert.equal(r.replacement, 'null');
    });

    it('accepts other capitalisations with a warning that gives the documented one', () => {
      const text = loadText({ integrity: 'Sha256' });
      const problems = loadProblems(text);
      const p = one(problems, 'load-integrity-value');
      assertAt(p, 'warning', placeOf(text, '"Sha256"'));
      assert.equal(p.replacement, '"SHA256"');
      assert.deepEqual(withCode(problems, 'load-checksum-length'), []);
    });
  });

  describe('method', () => {
    it('accepts standard and non-standard methods', () => {
      for (const method of ['native', 'hybrid', 'setup', 'system', 'iox.', 'iox.ble', 'iox.ble.']) {
        assert.deepEqual(withCode(loadProblems(loadText({ method })), 'load-method-unknown'), [], method);
      }
    });

    it('suggests the standard method for a misspelling', () => {
      const text = loadText({ method: 'natve' });
      const p = one(loadProblems(text), 'load-method-unknown');
      assertAt(p, 'error', placeOf(text, '"natve"'));
      assert.equal(p.message, 'unknown method "natve"; did you mean "native"?');
      assert.equal(p.replacement, '"native"');
    });

    it('says methods are case-sensitive', () => {
      const p = one(loadProblems(loadText({ method: 'Setup' })), 'load-method-unknown');
      assert.equal(p.message, 'method names are case-sensitive and written in lower case: "setup"');
      assert.equal(p.replacement, '"setup"');
    });

    it('explains that non-standard methods contain a period', () => {
      const p = one(loadProblems(loadText({ method: 'iox' })), 'load-method-unknown');
      assert.equal(p.message, '"iox" is not a standard method (native, hybrid, setup, system), and non-standard methods contain a period');
      assert.match(p.fix!, /such as "iox\." or "iox\.ble"/);
      assert.equal(one(loadProblems(loadText({ method: '' })), 'load-method-unknown').message, 'method is empty');
    });

    it('reports a hybrid member name used as the method', () => {
      const text = loadText({ method: 'setup.1' });
      const p = one(loadProblems(text), 'load-method-member-name');
      assertAt(p, 'error', placeOf(text, '"setup.1"'));
      assert.equal(p.message, '"setup.1" is how a member inside a hybrid image is named, not a load method');
      assert.equal(p.replacement, '"setup"');
      const q = one(loadProblems(loadText({ method: 'native.0' })), 'load-method-member-name');
      assert.match(q.message, /whose numbers are positive decimals/);
      assert.deepEqual(withCode(loadProblems(loadText({ method: 'native.0' })), 'load-method-unknown'), []);
    });

    it('warns when the url names a hybrid member and the method is hybrid, at the file name', () => {
      const text = loadText({ method: 'hybrid', url: 'https://acme.com/images/native.2' });
      const p = one(loadProblems(text), 'load-image-member-name');
      assertAt(p, 'warning', placeOf(text, 'native.2'));
      assert.match(p.message, /with method "hybrid", url must be the hybrid image itself/);
    });
  });

  describe('type', () => {
    it('reports the bad character of a BRE', () => {
      const text = loadText({ type: '^8000[z-a]' });
      const p = one(loadProblems(text), 'load-type-regex');
      assertAt(p, 'error', placeOf(text, 'z-a'));
      assert.equal(p.replacement, 'a-z');
    });

    it('reports the whole offending construct when it is long', () => {
      const text = loadText({ type: '^[[:hexdigit:]]*$' });
      const p = one(loadProblems(text), 'load-type-regex');
      assertAt(p, 'error', placeOf(text, 'hexdigit'));
      assert.match(p.fix!, /^did you mean \[:xdigit:\]\? the classes are alnum/);
      assert.equal(p.replacement, 'xdigit');
    });

    it('reports the portability warnings with their own codes', () => {
      const text = loadText({ type: '^[:xdigit:]$' });
      const p = one(loadProblems(text), 'load-type-class-outside-bracket');
      assertAt(p, 'warning', placeOf(text, '[:xdigit:]'));
      assert.equal(p.replacement, '[[:xdigit:]]');
    });
  });

  describe('switchover', () => {
    it('reports the bad field of a timestamp at its digits', () => {
      const text = loadText({ switchover: '2031-02-30 12:00:00.000 UTC' });
      const p = one(loadProblems(text), 'load-switchover-range');
      assertAt(p, 'error', placeOf(text, '30 12', { length: 2 }));
      assert.equal(p.message, 'switchover is not an IAP timestamp: day 30 is out of range: February has 28 days');
    });

    it('reports the format, offering the IAP form of an ISO timestamp', () => {
      const text = loadText({ switchover: '2031-09-28T12:00:00Z' });
      const p = one(loadProblems(text), 'load-switchover-format');
      assertAt(p, 'error', placeOf(text, '2031-09-28T12:00:00Z'));
      assert.equal(p.replacement, '2031-09-28 12:00:00.000 UTC');
    });

    it('warns about missing milliseconds and zone, at the place where they go', () => {
      const text = loadText({ switchover: '2031-09-28 12:00:00' });
      const problems = loadProblems(text);
      assertAt(one(problems, 'load-switchover-precision'), 'warning', placeOf(text, '00"', { occurrence: 1, shift: 2, length: 0 }));
      const zone = one(problems, 'load-switchover-zone');
      assertAt(zone, 'warning', placeOf(text, '00"', { occurrence: 1, shift: 2, length: 0 }));
      assert.equal(zone.replacement, ' UTC');
    });

    it('informs about ambiguous zones at the zone', () => {
      const text = loadText({ switchover: '2031-09-28 12:00:00.000 BST' });
      const p = one(loadProblems(text), 'load-switchover-zone');
      assertAt(p, 'info', placeOf(text, 'BST'));
    });

    it('informs when the switchover is in the past, and not when it is ahead', () => {
      const text = loadText({ switchover: '2016-09-28 12:00:00.000 UTC' });
      const p = one(loadProblems(text), 'load-switchover-past');
      assertAt(p, 'info', placeOf(text, '"2016-09-28 12:00:00.000 UTC"'));
      assert.deepEqual(withCode(loadProblems(loadText({ switchover: '2031-09-28 12:00:00.000 UTC' })), 'load-switchover-past'), []);
      assert.deepEqual(withCode(loadProblems(loadText({ switchover: '2016-09-28 12:00:00.000 UTC' }), Date.UTC(2016, 0, 1)), 'load-switchover-past'), []);
      void NOW;
    });
  });

  describe('url', () => {
    it('reports a scheme other than http, https or iapmq at the scheme', () => {
      const text = loadText({ url: 'ftp://acme.com/321.zip' });
      const p = one(loadProblems(text), 'load-url-scheme');
      assertAt(p, 'error', placeOf(text, 'ftp'));
    });

    it('accepts iapmq', () => {
      assert.deepEqual(loadProblems(loadText({ url: 'iapmq:images/321.zip' })), []);
    });

    it('reports a value that is not a URL', () => {
      const text = loadText({ url: 'www.acme.com/321.zip' });
      const p = one(loadProblems(text), 'load-url-invalid');
      assertAt(p, 'error', placeOf(text, 'www.acme', { length: 0 }));
      assert.equal(p.replacement, 'https://');
    });

    it('warns about a download page', () => {
      const url = 'https://drive.google.com/file/d/1AbC/view?usp=sharing';
      const text = loadText({ url });
      const p = one(loadProblems(text), 'load-url-download-page');
      assertAt(p, 'warning', placeOf(text, url));
    });

    it('warns about credentials in the url, at them', () => {
      const text = loadText({ url: 'https://bob:pw@acme.com/321.zip' });
      const p = one(loadProblems(text), 'load-url-credentials');
      assertAt(p, 'warning', placeOf(text, 'bob:pw@'));
    });
  });

  describe('response', () => {
    it('reports wildcards at the character', () => {
      const text = loadText({ response: 'glp/0/seg1/ev/+/load' });
      const p = one(loadProblems(text), 'load-response-topic');
      assertAt(p, 'error', placeOf(text, '+'));
    });

    it('reports a leading slash', () => {
      const text = loadText({ response: '/glp/0/seg1/ev/load' });
      const p = one(loadProblems(text), 'load-response-topic');
      assertAt(p, 'error', placeOf(text, '/glp', { length: 1 }));
      assert.equal(p.replacement, '');
    });

    it('informs about a topic outside the IAP event and feedback channels', () => {
      const text = loadText({ response: 'acme/loads/done' });
      const p = one(loadProblems(text), 'load-response-channel');
      assertAt(p, 'info', placeOf(text, 'acme/loads/done'));
      assert.deepEqual(loadProblems(loadText({ response: 'glp/0/seg1/fb/=cms/load' })), []);
    });
  });

  describe('imgpwd', () => {
    it('informs when the url is not a ZIP archive and the method does not imply one', () => {
      const text = loadText({ method: 'native', url: 'https://acme.com/top900.bin' });
      const p = one(loadProblems(text), 'load-imgpwd-not-zip');
      assertAt(p, 'info', placeOf(text, '"imgpwd"'));
      assert.deepEqual(loadProblems(loadText({ method: 'native', url: 'https://acme.com/top900.zip?x=1' })), []);
    });
  });

  it('maps positions through escapes in any string', () => {
    const text = '{"url": "https://acme.com/\\u00e9t\\u00e9/x.bin", "method": "native", "response": "glp/0/s\\u0031/ev/#"}';
    const p = one(loadProblems(text), 'load-response-topic');
    assertAt(p, 'error', placeOf(text, '#'));
  });

  it('never throws on values of the wrong JSON type', () => {
    const text = json({ url: 5, method: null, integrity: [], checksum: 12, type: {}, switchover: 1, response: false, imgpwd: true, user: 'u', passwd: 'p' });
    assert.deepEqual(loadProblems(text), []);
    assert.deepEqual(loadProblems(json({ action: 5, args: 'x' })), []);
  });
});
