import assert from 'node:assert/strict';
import { parseJsonDocument } from '../../../runtime/app/json-tree';
import { checkManifest } from '../../../runtime/load-actions';
import { GOOD_MANIFEST, assertAt, covered, json, manifestProblems, one, placeOf, withCode } from './load-test-helpers';

function manifestText(overrides: Record<string, unknown>, omit: string[] = []): string {
  const m: Record<string, unknown> = { ...GOOD_MANIFEST, ...overrides };
  for (const k of omit) delete m[k];
  return json(m);
}

describe('checkManifest', () => {
  it("reports nothing for the seed's manifest example", () => {
    assert.deepEqual(manifestProblems(json(GOOD_MANIFEST)), []);
  });

  it('reports nothing for a minimal manifest', () => {
    assert.deepEqual(manifestProblems('{"image": "a.bin", "method": "native"}'), []);
  });

  describe('placement of properties', () => {
    it('reports a load action property at its key, with the rename to image as a fix when image is missing', () => {
      const text = manifestText({ url: 'https://acme.com/x.bin' }, ['image']);
      const p = one(manifestProblems(text), 'load-property-load-only');
      assertAt(p, 'error', placeOf(text, '"url"'));
      assert.equal(p.message, '"url" is a load action property, not a manifest property');
      assert.equal(p.replacement, '"image"');
      assert.match(p.fix!, /a manifest names the image with "image"/);
    });

    it('offers no rename when image is there too', () => {
      const text = manifestText({ url: 'https://acme.com/x.bin' });
      assert.equal(one(manifestProblems(text), 'load-property-load-only').replacement, undefined);
    });

    it('reports switchover and response as load action properties', () => {
      const text = manifestText({ switchover: '2031-01-01 00:00:00.000 UTC', response: 'glp/0/s/ev/r' });
      const found = withCode(manifestProblems(text), 'load-property-load-only');
      assert.deepEqual(
        found.map((p) => [p.line, p.column, covered(text, p)]),
        [
          [14, 3, '"switchover"'],
          [15, 3, '"response"'],
        ],
      );
      assert.equal(found[0].fix, 'remove it from the manifest; set "switchover" in the load action when the load is issued');
    });

    it('reports unknown properties with a did-you-mean', () => {
      const text = manifestText({ imgae: 'x.bin' }, ['image']);
      const problems = manifestProblems(text);
      const p = one(problems, 'load-property-unknown');
      assertAt(p, 'error', placeOf(text, '"imgae"'));
      assert.equal(p.message, 'unknown manifest property "imgae"; did you mean "image"?');
      assert.equal(p.replacement, '"image"');
      one(problems, 'load-required');
    });

    it('lists the manifest properties when nothing is close', () => {
      const p = one(manifestProblems(manifestText({ vendorData: 1 })), 'load-property-unknown');
      assert.equal(p.message, 'unknown manifest property "vendorData"');
      assert.match(p.fix!, /^remove it \(custom data goes in "flags"\); the manifest properties are version, issuer, description, readme, image, user, passwd, imgpwd, integrity, method, protocol, type, flags, checksum$/);
      assert.equal(p.replacement, undefined);
    });
  });

  describe('required properties', () => {
    it('reports missing image and method at the opening brace', () => {
      const text = '\n  {"version": "1"}';
      const found = withCode(manifestProblems(text), 'load-required');
      assert.deepEqual(
        found.map((p) => [p.severity, p.line, p.column, p.offset, p.length, p.message]),
        [
          ['error', 2, 3, 3, 1, 'the manifest has no "image", which is required'],
          ['error', 2, 3, 3, 1, 'the manifest has no "method", which is required'],
        ],
      );
      assert.match(found[0].fix!, /^add "image": the name of the image file in the outer archive, or its https URL$/);
    });

    it('counts a property given as null as present (its type is the schema\'s concern)', () => {
      assert.deepEqual(withCode(manifestProblems('{"image": null, "method": "native"}'), 'load-required'), []);
    });
  });

  describe('credentials', () => {
    it('reports user without passwd at the user key, and that a member image needs none', () => {
      const text = manifestText({ user: 'bob' });
      const problems = manifestProblems(text);
      assertAt(one(problems, 'load-credentials-passwd-missing'), 'error', placeOf(text, '"user"'));
      const unused = one(problems, 'load-credentials-unused');
      assertAt(unused, 'info', placeOf(text, '"user"'));
      assert.match(unused.message, /"top900_v12_2\.bin" is a file in the outer archive/);
    });

    it('does not call credentials unused for a remote image', () => {
      const problems = manifestProblems(manifestText({ image: 'https://acme.com/top900.bin', user: 'bob', passwd: 'x' }));
      assert.deepEqual(problems, []);
    });

    it('reports passwd without user as a warning', () => {
      const text = manifestText({ image: 'https://acme.com/top900.bin', passwd: 'x', user: null });
      const p = one(manifestProblems(text), 'load-credentials-user-missing');
      assertAt(p, 'warning', placeOf(text, '"passwd"'));
    });
  });

  describe('image', () => {
    it('checks a remote image like a url, at the exact range', () => {
      const text = manifestText({ image: 'ftp://acme.com/top900.bin' });
      const p = one(manifestProblems(text), 'load-url-scheme');
      assertAt(p, 'error', placeOf(text, 'ftp', { length: 3 }));
      assert.match(p.message, /^image uses the scheme "ftp"/);
    });

    it('warns about a sharing link as the image', () => {
      const text = manifestText({ image: 'https://www.dropbox.com/s/abc/top900.bin?dl=0' });
      const p = one(manifestProblems(text), 'load-url-download-page');
      assertAt(p, 'warning', placeOf(text, 'https://www.dropbox', { length: 'https://www.dropbox.com/s/abc/top900.bin?dl=0'.length }));
    });

    it('does not check an archive member name as a URL', () => {
      assert.deepEqual(manifestProblems(manifestText({ image: 'images/top900.bin' })), []);
    });

    it('warns when a hybrid image is named like one of its members, at the name', () => {
      const text = manifestText({ method: 'hybrid', image: 'native.2' });
      const p = one(manifestProblems(text), 'load-image-member-name');
      assertAt(p, 'warning', placeOf(text, 'native.2'));
      assert.match(p.message, /^"native\.2" is how a member inside a hybrid image is named; with method "hybrid", image must be the hybrid image itself/);
      assert.equal(p.fix, 'name the hybrid image file here, or set method to "native" to load this file on its own');
    });

    it('adds that system members are not supported inside hybrid images', () => {
      const p = one(manifestProblems(manifestText({ method: 'hybrid', image: 'system.1' })), 'load-image-member-name');
      assert.match(p.message, /system images inside hybrid images are not supported/);
    });

    it('warns when the member name and the method disagree, but not when they agree', () => {
      const text = manifestText({ method: 'native', image: 'setup.1' });
      const p = one(manifestProblems(text), 'load-image-member-name');
      assert.equal(p.message, '"setup.1" is named like a setup member of a hybrid image, but method is "native"');
      assert.deepEqual(manifestProblems(manifestText({ method: 'native', image: 'native.2' })), []);
      assert.deepEqual(manifestProblems(manifestText({ method: 'hybrid', image: 'bundle.zip' })), []);
      assert.deepEqual(manifestProblems(manifestText({ method: 'hybrid', image: 'setup.py' })), []);
    });
  });

  describe('imgpwd', () => {
    it('informs when the image is not a ZIP archive', () => {
      const text = manifestText({ imgpwd: 'pw' });
      const p = one(manifestProblems(text), 'load-imgpwd-not-zip');
      assertAt(p, 'info', placeOf(text, '"imgpwd"'));
      assert.equal(p.message, 'imgpwd is only used to decompress a ZIP archive, and the image "top900_v12_2.bin" does not look like one');
    });

    it('accepts it for a .zip image, for archive methods, and when it is null or empty', () => {
      assert.deepEqual(manifestProblems(manifestText({ imgpwd: 'pw', image: 'TOP900.ZIP' })), []);
      assert.deepEqual(manifestProblems(manifestText({ imgpwd: 'pw', method: 'setup' })), []);
      assert.deepEqual(manifestProblems(manifestText({ imgpwd: null })), []);
      assert.deepEqual(manifestProblems(manifestText({ imgpwd: '' })), []);
    });
  });

  describe('type', () => {
    it('reports an invalid BRE at the bad character, through the JSON escape', () => {
      const text = manifestText({ type: '^8000\\d$' });
      const p = one(manifestProblems(text), 'load-type-regex');
      // The value's \d is written \\d in the file: three characters.
      assertAt(p, 'error', placeOf(text, '\\\\d', { length: 3 }));
      assert.equal(p.message, 'type is not a valid POSIX basic regular expression: \\d (a digit) is PCRE/JavaScript shorthand, not BRE');
      assert.equal(p.fix, 'write [0-9] or [[:digit:]]');
      assert.equal(p.replacement, '[0-9]');
    });

    it('writes replacements with backslashes as JSON text', () => {
      const text = manifestText({ type: '^a\\{3,2\\}$' });
      const p = one(manifestProblems(text), 'load-type-regex');
      assert.equal(covered(text, p), 'a\\\\{3,2\\\\}'.slice(1));
      assert.equal(p.replacement, '\\\\{2,3\\\\}');
    });

    it('warns about ERE operators at their place', () => {
      const text = manifestText({ type: '^80+$' });
      const p = one(manifestProblems(text), 'load-type-ere-operator');
      assertAt(p, 'warning', placeOf(text, '+'));
      assert.equal(p.replacement, '\\\\{1,\\\\}');
    });

    it('informs when the type is not anchored', () => {
      const text = manifestText({ type: '8000010203040506' });
      const p = one(manifestProblems(text), 'load-type-unanchored');
      assertAt(p, 'info', placeOf(text, '"8000010203040506"'));
      assert.equal(p.fix, 'write ^8000010203040506 to match types that start with it, or ^8000010203040506$ for exactly this type');
    });

    it('warns that an empty type matches everything', () => {
      const text = manifestText({ type: '' });
      assertAt(one(manifestProblems(text), 'load-type-empty'), 'warning', placeOf(text, '""'));
    });
  });

  it('never throws on values of the wrong JSON type, and leaves them to the schema', () => {
    const text = json({ image: 1, method: ['native'], integrity: 5, checksum: {}, type: true, imgpwd: 3, user: 1, passwd: 2, flags: 'x' });
    const problems = manifestProblems(text);
    assert.deepEqual(problems, []);
  });

  it('ignores a document that is not an object', () => {
    assert.deepEqual(manifestProblems('[1, 2]'), []);
    assert.deepEqual(manifestProblems('"x"'), []);
    assert.deepEqual(checkManifest(parseJsonDocument('', 'manifest', { allowComments: false })), []);
  });

  it('uses the last of duplicated keys, as JSON.parse does', () => {
    assert.deepEqual(withCode(manifestProblems('{"image": "a.bin", "method": "natve", "method": "native"}'), 'load-method-unknown'), []);
  });

  it('lists problems in file order', () => {
    const text = manifestText({ type: '[z-a]', method: 'natve', checksum: 'xyz' });
    const lines = manifestProblems(text).map((p) => p.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});
