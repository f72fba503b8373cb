# Oracle for `maskwright diff`: the same counts computed with numpy from PNGs read by PIL.
# usage: python3 diff_oracle.py BEFORE_MASK BEFORE_INST AFTER_MASK AFTER_INST   ('-' = missing file)
import json
import sys

import numpy as np
from PIL import Image


def read(p, dtype):
    if p == '-':
        return None
    return np.array(Image.open(p)).astype(dtype)


bm, bi, am, ai = sys.argv[1:5]
before, after = read(bm, np.int64), read(am, np.int64)
shape = (before if before is not None else after).shape
if before is None:
    before = np.zeros(shape, np.int64)
if after is None:
    after = np.zeros(shape, np.int64)
binst, ainst = read(bi, np.int64), read(ai, np.int64)
if binst is None:
    binst = np.zeros(shape, np.int64)
if ainst is None:
    ainst = np.zeros(shape, np.int64)

classes = {}
for c in sorted(set(np.unique(before).tolist()) | set(np.unique(after).tolist())):
    b, a = int((before == c).sum()), int((after == c).sum())
    both = int(((before == c) & (after == c)).sum())
    union = b + a - both
    classes[str(c)] = {'before': b, 'after': a, 'intersection': both, 'iou': 1.0 if union == 0 else both / union}

added, removed, changed = [], [], []
for i in sorted(set(np.unique(binst).tolist()) | set(np.unique(ainst).tolist())):
    if i == 0:
        continue
    b, a = binst == i, ainst == i
    nb, na, both = int(b.sum()), int(a.sum()), int((b & a).sum())
    if nb == 0:
        added.append(i)
    elif na == 0:
        removed.append(i)
    elif both != nb or both != na:
        changed.append({'id': i, 'iou': both / (nb + na - both)})

print(json.dumps({'changedPixels': int((before != after).sum()), 'classes': classes,
                  'instances': {'added': added, 'removed': removed, 'changed': changed}}))
