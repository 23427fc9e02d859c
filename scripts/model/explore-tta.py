"""Offline analysis of explore-dump.ts's feature maps (issue 15 item 8): leave-one-out 5-NN accuracy
(cosine, ties to the tied label met first in rank order, as knn-eval.ts) for horizontal-flip averaging,
signed square root, centring, PCA whitening fitted on the data set's own vectors, and two input sizes.
Usage: nice python3 scripts/model/explore-tta.py DATA [dir=/tmp/model-tta] [recipes...]
With WRITE=FILE the (one) recipe's features are written to FILE instead of measured.
"""
import os, sys, time
import numpy as np

DATA = sys.argv[1]
DIR = sys.argv[2] if len(sys.argv) > 2 else '/tmp/model-tta'
labels = np.fromfile(f'{DIR}/{DATA}-labels.i32', dtype=np.int32)
N = len(labels)
_cache = {}
# Power iterations of the randomized SVD (Halko et al.): 2 came within 0.23 point of the exact
# decomposition on the 6,664-d grid; more close the gap at a fraction of the exact cost.
POWER_ITERATIONS = int(os.environ.get('POWER_ITERATIONS', '2'))

def fmap(size, flip, block):
    key = (size, flip, block)
    if key not in _cache:
        v = np.fromfile(f'{DIR}/{DATA}-{size}-{"flip" if flip else "orig"}-b{block}.f32', dtype=np.float32)
        side = 7 if size == 112 else 8
        _cache[key] = v.reshape(N, -1, side, side)
    return _cache[key]

def window(size, grid):
    if grid == size: return 1, 1
    k = -(-size // grid); s = (size - k) / (grid - 1)
    assert s == int(s), (size, grid)
    return k, int(s)

def pool(m, grid):
    side = m.shape[-1]
    k, s = window(side, grid)
    out = np.empty(m.shape[:2] + (grid, grid), np.float32)
    for i in range(grid):
        for j in range(grid):
            out[:, :, i, j] = m[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
    return out

def l2(x):
    n = np.linalg.norm(x, axis=1, keepdims=True); n[n == 0] = 1
    return x / n

def loo5(x, k=5):
    x = l2(x.astype(np.float32))
    correct = 0
    for s in range(0, N, 1000):
        sim = x[s:s + 1000] @ x.T
        sim[np.arange(sim.shape[0]), np.arange(s, s + sim.shape[0])] = -np.inf
        idx = np.argpartition(-sim, k, axis=1)[:, :k]
        order = np.take_along_axis(sim, idx, 1).argsort(axis=1)[:, ::-1]
        idx = np.take_along_axis(idx, order, 1)
        nl = labels[idx]
        for r in range(nl.shape[0]):
            votes = {}
            for l in nl[r]: votes[l] = votes.get(l, 0) + 1
            best = nl[r][0]
            for l in nl[r]:
                if votes[l] > votes[best]: best = l
            correct += best == labels[s + r]
    return 100 * correct / N

def ssqrt(x): return np.sign(x) * np.sqrt(np.abs(x))

def randomized_svd(x, dim):
    """Randomized SVD (Halko et al.) of centred rows x: the range by a Gaussian sketch of dim + 64 columns
    and POWER_ITERATIONS power iterations; q (the range's basis) and the SVD u, s, vt of qᵀx."""
    rng = np.random.default_rng(0)
    y = x @ rng.standard_normal((x.shape[1], dim + 64), dtype=np.float32)
    for _ in range(POWER_ITERATIONS):
        y, _r = np.linalg.qr(y)
        y = x @ (x.T @ y)
    q, _r = np.linalg.qr(y)
    u, s, vt = np.linalg.svd(q.T @ x, full_matrices=False)
    return q, u, s, vt

def pca_whiten(x, dim, power=0.5, eps=1e-6, sample=0):
    """Centres, projects on the top `dim` principal axes, divides each by eigval^power (power 0.5 = full whitening).
    sample > 0: the mean and axes are fitted on that many rows drawn at random (WHITEN_SEED) and applied to every row,
    as a product would fit them once on the first vectors it embeds."""
    if sample:
        rows = np.random.default_rng(int(os.environ.get('WHITEN_SEED', '1'))).choice(N, sample, replace=False)
        fit = x[rows]
        mu = fit.mean(axis=0)
        fit = (fit - mu).astype(np.float32)
        _q, _u, s, vt = randomized_svd(fit, dim)
        w = (s[:dim] ** 2 / sample).astype(np.float64)
        return (((x - mu) @ vt[:dim].T) / np.maximum(w, eps) ** power).astype(np.float32)
    x = (x - x.mean(axis=0)).astype(np.float32)
    if x.shape[1] > 2 * dim:
        q, u, s, _vt = randomized_svd(x, dim)
        w = (s[:dim] ** 2).astype(np.float64)
        proj = (q @ u[:, :dim]) * s[:dim]
    else:
        c = (x.T @ x).astype(np.float64)
        w, v = np.linalg.eigh(c)
        top = np.argsort(w)[::-1][:dim]
        w, v = w[top], v[:, top]
        proj = x @ v
    return (proj / (np.maximum(w, eps) / N) ** power).astype(np.float32)

def inception(size, layer, grid):
    """explore-dump.ts's InceptionV3 dump (INCEPTION=layer:grid), already pooled: [N, D]."""
    return np.fromfile(f'{DIR}/{DATA}-{size}-orig-inc-{layer}-{grid}.f32', dtype=np.float32).reshape(N, -1)

def features(size, block, grid, flip):
    """flip: 'none' | 'inv' (f(x) + f(mirror x)) | 'back' (f(x) + f(mirror x) mirrored back)."""
    a = pool(fmap(size, False, block), grid)
    if flip == 'inv': a = a + pool(fmap(size, True, block), grid)
    elif flip == 'back': a = a + pool(fmap(size, True, block), grid)[..., ::-1]
    return a.reshape(N, -1)

def post(x, how):
    for step in how.split('+'):
        if step == 'plain': pass
        elif step == 'sqrt': x = ssqrt(x)
        elif step == 'l2': x = l2(x)
        elif step == 'centre': x = x - x.mean(axis=0)
        elif step.startswith('pcaw'):  # pcaw512, pcaw512p0.25, or pcaw512p0.25s5000 (fitted on a 5,000-row sample)
            d, _, p = step[4:].partition('p')
            p, _, sample = p.partition('s')
            x = pca_whiten(x, int(d), float(p) if p else 0.5, sample=int(sample) if sample else 0)
        elif step.startswith('pca'):
            x = pca_whiten(x, int(step[3:]), 0.0)
        else: raise ValueError(step)
    return x

if __name__ == '__main__':
    recipes = sys.argv[3:]
    for r in recipes:
        # size:block:grid:flip:post[,size:block:grid:flip:post...] -- several parts averaged (same dim) with '&', concatenated with ','
        # (block inc-LAYER: the InceptionV3 dump; post pcaw512p0.25s5000: whitening fitted on 5,000 random rows)
        t0 = time.time()
        cols = []
        for part in r.split(','):
            avg = None
            for term in part.split('&'):
                size, block, grid, flip, how = term.split(':')
                # block 'inc-mixed2' (grid 4): explore-dump.ts's InceptionV3 dump at that layer and grid
                f = inception(int(size), block[4:], int(grid)) if block.startswith('inc-') else features(int(size), int(block), int(grid), flip)
                f = l2(post(f, how)) if '&' in part else post(f, how)
                avg = f if avg is None else avg + f
            cols.append(l2(avg))
        x = np.concatenate(cols, axis=1)
        if os.environ.get('WRITE'):
            # The features themselves ([N, D] float32, rows unit length), for the curate benches'
            # label-noise readings (bench/graph-metric.ts --vectors) instead of the 5-NN here.
            l2(x).astype(np.float32).tofile(os.environ['WRITE'])
            print(f'{r:70s} {x.shape[1]:6d}-d  written to {os.environ["WRITE"]}', flush=True)
            continue
        print(f'{r:70s} {x.shape[1]:6d}-d  {loo5(x):6.2f} %  ({time.time() - t0:.0f}s)', flush=True)
