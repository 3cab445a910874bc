// The npm package "mrz" over the MRZ inputs bench_scan wrote (one JSON
// array of lines per line of the file), in passes until the given seconds
// have gone by, after one warm-up second for the JIT. Prints
// "parses_per_s=N valid=V" (V: valid results in one pass).
// usage: node mrz_peer.js INPUTS SECONDS
'use strict';
const fs = require('fs');

(async () => {
  const { parse } = await import('mrz');
  const docs = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const seconds = Number(process.argv[3] || 1);
  const pass = () => {
    let valid = 0;
    for (const d of docs) {
      if (parse(d).valid) valid++;
    }
    return valid;
  };
  const warm = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - warm) / 1e9 < Math.min(seconds, 1)) pass();
  let parses = 0;
  let valid = 0;
  const t0 = process.hrtime.bigint();
  let t;
  do {
    valid = pass();
    parses += docs.length;
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (t < seconds);
  console.log(`parses_per_s=${Math.round(parses / t)} valid=${valid}`);
})().catch((e) => {
  console.error(`mrz_peer: ${e.message}`);
  process.exit(1);
});
