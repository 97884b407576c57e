/**
 * RFC 6381 codec strings (what `MediaSource.isTypeSupported` wants) built from
 * the decoder configuration records that WebM CodecPrivate and MP4 sample
 * entries carry: avcC, hvcC, av1C, vpcC and esds.
 *
 * Each builder takes the record body and returns a conservative fallback
 * string when the record is missing or too short, so a slightly odd encoder
 * still yields a playable MIME type rather than an error.
 */

/** "avc1.PPCCLL" (uppercase hex) from an AVCDecoderConfigurationRecord. */
export function avcCodec(avcC: Uint8Array | undefined, prefix = "avc1"): string {
  if (!avcC || avcC.length < 4) return `${prefix}.42E01E`;
  return prefix + "." + hex2(avcC[1]) + hex2(avcC[2]) + hex2(avcC[3]);
}

/** "hvc1.1.6.L93.B0" style string from an HEVCDecoderConfigurationRecord. */
export function hevcCodec(hvcC: Uint8Array | undefined, prefix = "hvc1"): string {
  if (!hvcC || hvcC.length < 13) return prefix;
  const space = ["", "A", "B", "C"][hvcC[1] >> 6];
  const tier = hvcC[1] & 0x20 ? "H" : "L";
  const profile = hvcC[1] & 0x1f;
  let compat = 0;
  for (let i = 0; i < 4; i++) compat = compat * 256 + hvcC[2 + i];
  let reversed = 0;
  for (let i = 0; i < 32; i++) reversed = reversed * 2 + ((compat >>> i) & 1);
  const constraints = Array.from(hvcC.subarray(6, 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const tail = constraints.map((b) => "." + b.toString(16).toUpperCase()).join("");
  return `${prefix}.${space}${profile}.${reversed.toString(16).toUpperCase()}.${tier}${
    hvcC[12]
  }${tail}`;
}

/** "av01.P.LLT.DD" from an AV1CodecConfigurationRecord. */
export function av1Codec(av1C: Uint8Array | undefined): string {
  if (!av1C || av1C.length < 3) return "av01.0.04M.08";
  const profile = av1C[1] >> 5;
  const level = String(av1C[1] & 0x1f).padStart(2, "0");
  const tier = av1C[2] & 0x80 ? "H" : "M";
  const depth = av1C[2] & 0x40 ? (av1C[2] & 0x20 ? 12 : 10) : 8;
  return `av01.${profile}.${level}${tier}.${String(depth).padStart(2, "0")}`;
}

/** "vp09.PP.LL.DD" from a VPCodecConfigurationBox body (version + flags first). */
export function vp9Codec(vpcC: Uint8Array | undefined): string {
  if (!vpcC || vpcC.length < 7) return "vp09.00.10.08";
  const two = (n: number) => String(n).padStart(2, "0");
  return `vp09.${two(vpcC[4])}.${two(vpcC[5])}.${two(vpcC[6] >> 4)}`;
}

/** "mp4a.40.N" (or "mp4a.XX" for non-AAC object types) from an esds box body. */
export function mp4aCodec(esds: Uint8Array | undefined): string {
  const fallback = "mp4a.40.2";
  if (!esds) return fallback;
  let pos = 4; // version and flags
  const descriptor = (tag: number): number => {
    // Returns the body length of descriptor `tag` at `pos` and moves past its header.
    if (pos >= esds.length || esds[pos] !== tag) return -1;
    pos++;
    let length = 0;
    for (let i = 0; i < 4 && pos < esds.length; i++) {
      const b = esds[pos++];
      length = length * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return length;
  };
  if (descriptor(0x03) < 0) return fallback;
  const flags = esds[pos + 2];
  pos += 3;
  if (flags & 0x80) pos += 2;
  if (flags & 0x40) pos += 1 + (esds[pos] ?? 0);
  if (flags & 0x20) pos += 2;
  if (descriptor(0x04) < 0 || pos >= esds.length) return fallback;
  const objectType = esds[pos];
  if (objectType !== 0x40) return "mp4a." + objectType.toString(16);
  pos += 13;
  if (descriptor(0x05) < 1 || pos >= esds.length) return fallback;
  let audioObjectType = esds[pos] >> 3;
  if (audioObjectType === 31 && pos + 1 < esds.length) {
    audioObjectType = 32 + (((esds[pos] & 7) << 3) | (esds[pos + 1] >> 5));
  }
  return `mp4a.40.${audioObjectType}`;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}
