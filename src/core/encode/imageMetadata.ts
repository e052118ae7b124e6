/**
 * Metadata an image file carries that could say what made it: PNG text chunks (Stable
 * Diffusion front ends write the model's name and settings in tEXt "parameters"), EXIF and
 * XMP; JPEG comments, EXIF/XMP (APP1) and IPTC (APP13); WebP EXIF and XMP chunks. Only names
 * what is there (`PNG tEXt`, `JPEG APP1`, …), from the file's structure, without decoding it;
 * `richhf pack --compare` warns about them, since a blind study must not show them.
 */
export function imageMetadata(b: Uint8Array): string[] {
  const found = new Set<string>();
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ascii = (at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 3) === 'PNG') {
    // Chunks: length (4), type (4), data, CRC (4).
    for (let at = 8; at + 8 <= b.length;) {
      const length = v.getUint32(at);
      const type = ascii(at + 4, 4);
      if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt' || type === 'eXIf') found.add(`PNG ${type}`);
      if (type === 'IEND') break;
      at += 12 + length;
    }
  } else if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Segments up to the image data (SOS): marker, then a 2-byte length that counts itself.
    for (let at = 2; at + 4 <= b.length;) {
      if (b[at] !== 0xff) break;
      const marker = b[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker === 0xda || marker === 0xd9) break;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        at += 2;
        continue;
      }
      if (marker === 0xfe) found.add('JPEG comment');
      if (marker === 0xe1) found.add('JPEG APP1 (EXIF or XMP)');
      if (marker === 0xed) found.add('JPEG APP13 (IPTC)');
      at += 2 + v.getUint16(at + 2);
    }
  } else if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    // Chunks: FourCC (4), little-endian size (4), data padded to even.
    for (let at = 12; at + 8 <= b.length;) {
      const type = ascii(at, 4);
      if (type === 'EXIF' || type === 'XMP ') found.add(`WebP ${type.trim()}`);
      const size = v.getUint32(at + 4, true);
      at += 8 + size + (size & 1);
    }
  }
  return [...found];
}
