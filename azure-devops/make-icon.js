'use strict';
// Writes ZdpTask/icon.png: the 32x32 icon tfx expects beside task.json (a white "Z" on a blue rounded square).
// Plain Node (zlib's deflate and crc32), so making it needs no package. Run: node azure-devops/make-icon.js
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const size = 32;
const blue = [0x1f, 0x5f, 0xa8, 0xff];
const white = [0xff, 0xff, 0xff, 0xff];
const clear = [0, 0, 0, 0];

function pixel(x, y) {
  const radius = 6;
  const cx = Math.min(Math.max(x, radius), size - 1 - radius);
  const cy = Math.min(Math.max(y, radius), size - 1 - radius);
  if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) return clear;
  const inBar = x >= 8 && x <= 23 && ((y >= 7 && y <= 9) || (y >= 22 && y <= 24));
  // The diagonal runs from the top bar's right end to the bottom bar's left end.
  const diagonalX = 23 - ((y - 9) * 15) / 13;
  const inDiagonal = y > 9 && y < 22 && Math.abs(x - diagonalX) <= 1.6;
  return inBar || inDiagonal ? white : blue;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const rows = [];
for (let y = 0; y < size; y++) {
  rows.push(Buffer.from([0])); // filter: none
  for (let x = 0; x < size; x++) rows.push(Buffer.from(pixel(x, y)));
}
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(__dirname, 'ZdpTask', 'icon.png'), png);
