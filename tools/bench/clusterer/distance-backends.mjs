// Times every nearest-centroid backend on one shape through the kernels' own selection (each checked against
// the TypeScript reference first, then median of 5 timed calls after a warm-up), and prints a Markdown table.
// usage: node tools/bench/clusterer/distance-backends.mjs [n=34464] [k=100] [dim=64]
import { chooseNearestKernel, AUTO_NEAREST_BACKENDS } from '@meta-id/kernels';
const [n = 34464, k = 100, dim = 64] = process.argv.slice(2).map(Number);
const sel = await chooseNearestKernel({ backends: [...AUTO_NEAREST_BACKENDS, 'gpu.js-cpu', 'tfjs-cpu'], timeShape: { n, k, dim }, quiet: true });
console.log(`nearest-centroid kernel, ${n} points x ${k} centroids x ${dim} dims; timed call: every third row with second-nearest distances (a bounded Lloyd step); chosen: ${sel.backend}\n`);
console.log('| backend | median ms per call | vs TypeScript reference |');
console.log('| --- | --- | --- |');
const ref = sel.timings[0].ms;
for (const t of sel.timings) console.log(`| ${t.backend} | ${t.ms !== undefined ? t.ms.toFixed(1) : 'n/a: ' + t.error} | ${t.ms !== undefined ? (ref / t.ms).toFixed(2) + 'x' : '-'} |`);
process.exit(0);
