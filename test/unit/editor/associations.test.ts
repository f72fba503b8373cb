import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { associatedWith, globToRegExp } from '../../../src/editor/associations';

describe('editor/associations', () => {
  it('globs match as VS Code matches editor associations', () => {
    assert.ok(globToRegExp('*.png').test('a.png'));
    assert.ok(globToRegExp('*.png').test('A.PNG'), 'case-insensitive');
    assert.ok(!globToRegExp('*.png').test('a.png.txt'));
    assert.ok(globToRegExp('*.{png,jpg}').test('x.jpg'));
    assert.ok(globToRegExp('img?.png').test('img1.png') && !globToRegExp('img?.png').test('img12.png'));
    assert.ok(globToRegExp('**/data/*.png').test('/w/data/a.png'));
    assert.ok(!globToRegExp('**/data/*.png').test('/w/data/sub/a.png'));
    assert.ok(globToRegExp('a+b(1).png').test('a+b(1).png'), 'regex characters are literal');
  });

  it('the last matching association wins; object and array forms; folder patterns match the path', () => {
    const file = path.join(path.sep, 'w', 'data', 'cat.png');
    assert.equal(associatedWith(file, { '*.png': 'maskwright.maskEditor' }), 'maskwright.maskEditor');
    assert.equal(associatedWith(file, { '*.png': 'maskwright.maskEditor', 'cat.*': 'default' }), 'default');
    assert.equal(associatedWith(file, [{ filenamePattern: '*.png', viewType: 'imagePreview.previewEditor' }]), 'imagePreview.previewEditor');
    assert.equal(associatedWith(file, { '**/data/*.png': 'maskwright.maskEditor' }), 'maskwright.maskEditor');
    assert.equal(associatedWith(file, { '*.jpg': 'maskwright.maskEditor' }), undefined);
    assert.equal(associatedWith(file, undefined), undefined);
    assert.equal(associatedWith(file, { '*.png': 3 }), undefined);
  });
});
