"""scikit-learn KMeans peer for the clusterer benchmarks.

usage: /usr/bin/python3 sklearn_kmeans.py X.npy K MAX_ITER TOL SEED [ALGORITHM]
Prints one JSON line: fit wall time and CPU time of all threads (s, KMeans.fit only), inertia, iterations, peak RSS (MB).
"""
import json, resource, sys, time
import numpy as np
from sklearn.cluster import KMeans

path, k, max_iter, tol, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
algorithm = sys.argv[6] if len(sys.argv) > 6 else "lloyd"
X = np.load(path)
assert X.dtype == np.float32
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
km = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=max_iter, tol=tol, algorithm=algorithm, random_state=seed).fit(X)
elapsed = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "n": X.shape[0], "dim": X.shape[1], "k": k, "sklearn": __import__("sklearn").__version__}))
