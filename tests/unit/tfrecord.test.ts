import { describe, expect, it } from 'vitest';
import { encodeExample, exampleFromItem, exampleRecord, frameRecord, maskedCrc32c, readRecords } from '../../src/core/encode/tfrecord.ts';
import { bytesToBase64 } from '../../src/core/encode/base64.ts';
import type { DatasetItem } from '../../src/core/formats/dataset.ts';

/**
 * Reference record, derived independently of src/core/encode/tfrecord.ts with this Python 3 script
 * (protobuf wire format written from the spec, bitwise CRC-32C with polynomial 0x82F63B78,
 * TFRecord framing: uint64 LE length, masked CRC of the length, data, masked CRC of the data):
 *
 *   def crc32c(data):
 *       crc = 0xFFFFFFFF
 *       for b in data:
 *           crc ^= b
 *           for _ in range(8): crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
 *       return crc ^ 0xFFFFFFFF
 *   def masked(d): c = crc32c(d); return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF
 *   def varint(n):
 *       out = b''
 *       while n > 127: out += bytes([(n & 127) | 128]); n >>= 7
 *       return out + bytes([n])
 *   def ld(field, payload): return varint(field << 3 | 2) + varint(len(payload)) + payload
 *   def bytes_feature(v): return ld(1, ld(1, v))                    # Feature.bytes_list.value
 *   def float_feature(x): return ld(2, ld(1, struct.pack('<f', x)))  # Feature.float_list.value (packed)
 *   feats = {'filename': bytes_feature(b'a.png'), 'aesthetics_score': float_feature(0.75),
 *            'artifact_score': float_feature(0.5), 'misalignment_score': float_feature(0.25),
 *            'overall_score': float_feature(1.0), 'artifact_map': bytes_feature(bytes([1, 2, 3])),
 *            'misalignment_map': bytes_feature(bytes([4])), 'prompt_misalignment_label': bytes_feature(b'1 0')}
 *   features = b''.join(ld(1, ld(1, k.encode()) + ld(2, v)) for k, v in sorted(feats.items()))
 *   example = ld(1, features)                                        # Example.features
 *   length = struct.pack('<Q', len(example))
 *   record = length + struct.pack('<I', masked(length)) + example + struct.pack('<I', masked(example))
 *   print(record.hex())   # also: hex(crc32c(b'123456789')) == '0xe3069283', the standard check value
 */
const REFERENCE_HEX =
  'e9000000000000003533f4890ae6010a1c0a10616573746865746963735f73636f7265120812060a040000403f0a170a0c61727469666163745f6d617012070a050a030102030a1a0a0e61727469666163745f73636f7265120812060a040000003f0a150a0866696c656e616d6512090a070a05612e706e670a190a106d6973616c69676e6d656e745f6d617012050a030a01040a1e0a126d6973616c69676e6d656e745f73636f7265120812060a040000803e0a190a0d6f766572616c6c5f73636f7265120812060a040000803f0a240a1970726f6d70745f6d6973616c69676e6d656e745f6c6162656c12070a050a03312030d1a5c52d';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const features = {
  filename: 'a.png',
  aestheticsScore: 0.75,
  artifactScore: 0.5,
  misalignmentScore: 0.25,
  overallScore: 1,
  artifactMap: new Uint8Array([1, 2, 3]),
  misalignmentMap: new Uint8Array([4]),
  promptMisalignmentLabel: '1 0',
};

describe('TFRecord', () => {
  it('the masked CRC-32C uses the standard CRC-32C (check value of "123456789" is 0xe3069283)', () => {
    const crc = 0xe3069283;
    const expected = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(new TextEncoder().encode('123456789'))).toBe(expected);
  });

  it('encodes the Example and frames it exactly as the independently built reference', () => {
    expect(hex(frameRecord(encodeExample(features)))).toBe(REFERENCE_HEX);
    expect(hex(exampleRecord(features))).toBe(REFERENCE_HEX);
  });

  it('maps a dataset item to RichHF-18K features (artifact = plausibility, misalignment = alignment)', () => {
    const item = {
      image: 'a.png',
      normalizedScores: { plausibility: 0.5, alignment: 0.25, aesthetics: 0.75, overall: 1 },
      promptMisalignmentLabel: '1 0',
      artifactHeatmap: bytesToBase64(new Uint8Array([1, 2, 3])),
      misalignmentHeatmap: bytesToBase64(new Uint8Array([4])),
    } as DatasetItem;
    expect(hex(frameRecord(encodeExample(exampleFromItem(item))))).toBe(REFERENCE_HEX);
  });

  it('multi-byte varints for maps longer than 127 bytes', () => {
    const big = encodeExample({ ...features, artifactMap: new Uint8Array(300).fill(7) });
    // BytesList.value: tag 0x0a, length 300 = 0xac 0x02, then the bytes.
    expect(hex(big)).toContain('0aac02' + '07'.repeat(300));
    // ...and the enclosing lengths grow to two bytes too, so the whole stays parseable.
    expect(readRecords(exampleRecord({ ...features, artifactMap: new Uint8Array(300).fill(7) }))[0]).toEqual(big);
  });

  it('readRecords splits a file and rejects corrupted CRCs', () => {
    const a = frameRecord(new Uint8Array([1, 2]));
    const b = frameRecord(new Uint8Array(0));
    const file = new Uint8Array([...a, ...b]);
    expect(readRecords(file).map((r) => [...r])).toEqual([[1, 2], []]);
    file[12] = 9;
    expect(() => readRecords(file)).toThrow(/bad data CRC at byte 0/);
  });
});
