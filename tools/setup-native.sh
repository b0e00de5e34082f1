#!/usr/bin/env bash
# Makes @tensorflow/tfjs-node work on a machine that cannot download
# libtensorflow (no internet but the npm registry and Debian). Idempotent.
#
# tfjs-node's install script skips its download when deps/lib holds
# libtensorflow.so.2.9.1, then compiles its N-API binding with node-gyp. We
# take the TensorFlow C API library from the tensorflow-cpu wheel that pip can
# fetch here, cache it in .cache/ (ignored by git, ~820 MB), link it under the
# names the binding expects and rebuild. When any step is impossible, we say so
# and exit 0: @meta-id/kernels then runs tfjs on the WASM backend.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tfn="$root/node_modules/@tensorflow/tfjs-node"
cache="$root/.cache/libtensorflow"
wheel_version=2.21.0

say() { echo "[setup-native] $*"; }
works() { (cd "$root" && node -e "require('@tensorflow/tfjs-node')" >/dev/null 2>&1); }

if [ ! -d "$tfn" ]; then
  say "@tensorflow/tfjs-node is not installed (optional); tfjs will use the WASM backend."
  exit 0
fi
if works; then
  say "tfjs-node already works."
  exit 0
fi

if [ ! -f "$cache/lib/libtensorflow_cc.so.2" ]; then
  mkdir -p "$cache/wheel"
  whl=$(ls "$cache"/wheel/tensorflow_cpu-"$wheel_version"-*.whl 2>/dev/null | head -n1)
  if [ -z "$whl" ]; then
    say "fetching the tensorflow-cpu $wheel_version wheel with pip (for its C library)..."
    if ! python3 -m pip download --no-deps --only-binary=:all: --retries 0 --timeout 30 \
        -d "$cache/wheel" "tensorflow-cpu==$wheel_version" >"$cache/pip.log" 2>&1; then
      say "pip could not fetch tensorflow-cpu (see $cache/pip.log); tfjs will use the WASM backend."
      exit 0
    fi
    whl=$(ls "$cache"/wheel/tensorflow_cpu-"$wheel_version"-*.whl | head -n1)
  fi
  say "extracting libtensorflow from $(basename "$whl")..."
  rm -rf "$cache/lib" "$cache/include"
  python3 - "$whl" "$cache" <<'PY' || { say "extraction failed; tfjs will use the WASM backend."; exit 0; }
import sys, zipfile, os, shutil
whl, out = sys.argv[1], sys.argv[2]
want_libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
inc_prefixes = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/',
                'tensorflow/include/tsl/', 'tensorflow/include/xla/tsl/')
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        if name in want_libs:
            dest = os.path.join(out, 'lib', os.path.basename(name))
        elif name.startswith(inc_prefixes) and not name.endswith('/'):
            dest = os.path.join(out, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(name) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst)
PY
fi

say "linking libtensorflow into tfjs-node and building its binding..."
rm -rf "$tfn/deps"
mkdir -p "$tfn/deps/lib"
ln -s "$cache/include" "$tfn/deps/include"
for name in libtensorflow.so.2.9.1 libtensorflow.so.2 libtensorflow.so libtensorflow_cc.so.2; do
  ln -sf "$cache/lib/libtensorflow_cc.so.2" "$tfn/deps/lib/$name"
done
for name in libtensorflow_framework.so.2 libtensorflow_framework.so; do
  ln -sf "$cache/lib/libtensorflow_framework.so.2" "$tfn/deps/lib/$name"
done
if ! (cd "$root" && npm rebuild @tensorflow/tfjs-node >"$cache/build.log" 2>&1); then
  say "building the tfjs-node binding failed (see $cache/build.log); tfjs will use the WASM backend."
  exit 0
fi
if works; then
  say "tfjs-node works (libtensorflow from tensorflow-cpu $wheel_version)."
else
  say "tfjs-node built but does not load (see $cache/build.log); tfjs will use the WASM backend."
fi
exit 0
