// The peer side of bench_receipt: the same receipt through
// @point-of-sale/receipt-printer-encoder. Reads the document bench_receipt
// exported (wrapped lines with style, the QR as a 1-bit bitmap), encodes it
// N times after a warm-up, prints "<bytes> <microseconds per receipt>".
import { readFileSync } from 'node:fs';
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';

const [file, n] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(file, 'utf8'));
const iterations = Math.max(1, parseInt(n || '1000', 10));

// The QR bitmap as the RGBA object the encoder takes (black = 0).
const images = doc.items.filter((it) => it.bits).map((it) => {
  const stride = it.width / 8;
  const data = new Uint8ClampedArray(it.width * it.height * 4).fill(255);
  for (let y = 0; y < it.height; y++) {
    for (let x = 0; x < it.width; x++) {
      const byte = parseInt(it.bits.substr((y * stride + (x >> 3)) * 2, 2), 16);
      if ((byte >> (7 - (x & 7))) & 1) {
        data.fill(0, (y * it.width + x) * 4, (y * it.width + x) * 4 + 3);
      }
    }
  }
  return { data, width: it.width, height: it.height };
});

function encode() {
  const enc = new ReceiptPrinterEncoder({ printerModel: 'epson-tm-t20ii', imageMode: 'raster' });
  enc.initialize().codepage('cp858');
  let img = 0;
  for (const it of doc.items) {
    if (it.text !== undefined) {
      enc.align(it.align).bold(it.bold).size(it.size, it.size).line(it.text);
    } else if (it.feed !== undefined) {
      enc.newline(it.feed);
    } else {
      const im = images[img++];
      enc.align('center').image(im, im.width, im.height, 'threshold');
    }
  }
  return enc.cut().encode();
}

let bytes = 0;
for (let i = 0; i < Math.min(200, iterations); i++) bytes = encode().length; // warm-up (JIT)
const t0 = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) encode();
const us = Number(process.hrtime.bigint() - t0) / 1000 / iterations;
console.log(`${bytes} ${us.toFixed(1)}`);
