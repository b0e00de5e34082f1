// Times every nearest-centroid backend on one shape through the kernels' own selection.
// usage: node tools/bench/clusterer/distance-backends.mjs [n=34464] [k=100] [dim=64]
import { chooseNearestKernel, AUTO_NEAREST_BACKENDS } from '@meta-id/kernels';
const [n = 34464, k = 100, dim = 64] = process.argv.slice(2).map(Number);
const sel = await chooseNearestKernel({ backends: [...AUTO_NEAREST_BACKENDS, 'tfjs-cpu'], timeShape: { n, k, dim }, quiet: true });
console.log(`shape n=${n} k=${k} dim=${dim}; chosen: ${sel.backend}`);
for (const t of sel.timings) console.log(`${t.backend.padEnd(22)} ${t.ms !== undefined ? t.ms.toFixed(1) + ' ms' : 'n/a: ' + t.error}`);
process.exit(0);
