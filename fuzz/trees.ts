/**
 * Structure-aware fuzz inputs: EBML element trees and ISO BMFF box trees
 * that start from a valid stream and are rewritten by a list of mutations
 * (odd bytes in string fields, random bodies, duplicated or dropped nodes,
 * foreign IDs and types, huge or unknown size fields), then serialised with
 * sizes recomputed everywhere except where a mutation forged one. Pure: the
 * fast-check arbitraries in fuzz/inputs.ts produce the mutation lists.
 */
import { concat } from "../lib/media/bytes.ts";

/** One edit of a tree; `at` picks a node (preorder, modulo the node count). */
export type Mutation =
  | { kind: "string"; at: number; bytes: Uint8Array }
  | { kind: "body"; at: number; bytes: Uint8Array }
  | { kind: "duplicate"; at: number; times: number }
  | { kind: "remove"; at: number }
  | { kind: "id"; at: number; value: number }
  | { kind: "size"; at: number; size: "huge" | "unknown" | "short" | "long" | "zero" }
  | { kind: "insert"; at: number; value: number; bytes: Uint8Array };

// ---------- EBML ----------

export interface ElementNode {
  id: number;
  /** Leaf body, or undefined for a master element. */
  body?: Uint8Array;
  children?: ElementNode[];
  /** Written with an unknown (all-ones) size, as live Segments and Clusters are. */
  unknownSize?: boolean;
  /** A forged size field written instead of the real one. */
  forged?: Uint8Array;
  /** Holds text (CodecID, DocType): "string" mutations aim here. */
  text?: boolean;
}

const ascii = (s: string) => new TextEncoder().encode(s);
const uintBytes = (v: number, n = 4) =>
  Uint8Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * (n - 1 - i))) % 256);
const leaf = (id: number, body: Uint8Array, text = false): ElementNode => ({ id, body, text });
const master = (id: number, children: ElementNode[], unknownSize = false): ElementNode => ({
  id,
  children,
  unknownSize,
});

function simpleBlock(track: number, time: number, key: boolean, size: number): ElementNode {
  const body = new Uint8Array(4 + size);
  body.set([0x80 | track, (time >> 8) & 255, time & 255, key ? 0x80 : 0]);
  for (let i = 4; i < body.length; i++) body[i] = (i * 31) & 255;
  return leaf(0xa3, body);
}

/** A small valid live WebM: EBML header, unknown-size Segment, Info, Tracks (VP8 + Opus), 3 Clusters. */
export function webmTemplate(): ElementNode[] {
  const clusters = [0, 1000, 2000].map((t) =>
    master(0x1f43b675, [
      leaf(0xe7, uintBytes(t)),
      simpleBlock(1, 0, true, 40),
      simpleBlock(2, 5, true, 12),
      simpleBlock(1, 33, false, 20),
      master(0xa0, [leaf(0xa1, simpleBlock(1, 66, false, 8).body!), leaf(0xfb, uintBytes(33, 1))]),
    ], true)
  );
  return [
    master(0x1a45dfa3, [leaf(0x4282, ascii("webm"), true), leaf(0x4287, uintBytes(4, 1))]),
    master(0x18538067, [
      master(0x1549a966, [leaf(0x2ad7b1, uintBytes(1_000_000))]),
      master(0x1654ae6b, [
        master(0xae, [
          leaf(0xd7, uintBytes(1, 1)),
          leaf(0x83, uintBytes(1, 1)),
          leaf(0x86, ascii("V_VP8"), true),
        ]),
        master(0xae, [
          leaf(0xd7, uintBytes(2, 1)),
          leaf(0x83, uintBytes(2, 1)),
          leaf(0x86, ascii("A_OPUS"), true),
          leaf(0x63a2, ascii("OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00")),
        ]),
      ]),
      ...clusters,
    ], true),
  ];
}

function idBytes(id: number): Uint8Array {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return Uint8Array.from(out.length ? out : [0x80]);
}

/** The shortest EBML size vint for `n` (n < 2^56 - 1). */
function sizeVint(n: number): Uint8Array {
  for (let len = 1; len <= 8; len++) {
    if (n < 2 ** (7 * len) - 1) {
      const out = uintBytes(n, len);
      out[0] |= 0x80 >> (len - 1);
      return out;
    }
  }
  throw new RangeError("size too large for EBML");
}

export function serializeElements(nodes: readonly ElementNode[]): Uint8Array {
  return concat(nodes.map(serializeElement));
}

function serializeElement(node: ElementNode): Uint8Array {
  const body = node.children ? serializeElements(node.children) : node.body ?? new Uint8Array(0);
  const size = node.forged ??
    (node.unknownSize
      ? Uint8Array.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
      : sizeVint(body.length));
  return concat([idBytes(node.id), size, body]);
}

function forgedEbmlSize(
  kind: "huge" | "unknown" | "short" | "long" | "zero",
  real: number,
): Uint8Array {
  switch (kind) {
    case "huge":
      return Uint8Array.of(0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe); // ~2^48
    case "unknown":
      return Uint8Array.of(0xff);
    case "short":
      return sizeVint(Math.max(0, real - 1 - (real >> 1)));
    case "long":
      return sizeVint(real + 1 + (real >> 1));
    case "zero":
      return Uint8Array.of(0x00); // an invalid vint
  }
}

/** Applies `mutations` to a deep copy of `template`. */
export function mutateElements(
  template: readonly ElementNode[],
  mutations: readonly Mutation[],
): ElementNode[] {
  if (mutations.length === 0) return template as ElementNode[];
  const root: ElementNode = { id: 0, children: structuredClone(template as ElementNode[]) };
  for (const m of mutations) {
    const nodes = preorder(root);
    if (nodes.length === 0) break;
    const { node, parent } = nodes[m.at % nodes.length];
    const siblings = parent.children!;
    const index = siblings.indexOf(node);
    switch (m.kind) {
      case "string": {
        const texts = nodes.filter((n) => n.node.text);
        const target = texts.length ? texts[m.at % texts.length].node : node;
        target.body = m.bytes;
        delete target.children;
        break;
      }
      case "body":
        node.body = m.bytes;
        delete node.children;
        break;
      case "duplicate":
        siblings.splice(index, 0, ...Array.from({ length: m.times }, () => structuredClone(node)));
        break;
      case "remove":
        siblings.splice(index, 1);
        break;
      case "id":
        node.id = [0x80, 0x4000, 0x200000, 0x10000000][m.value % 4] + (m.value >>> 2) %
            [0x7f, 0x3fff, 0x1fffff, 0x0fffffff][m.value % 4];
        break;
      case "size": {
        const real = node.children
          ? serializeElements(node.children).length
          : node.body?.length ?? 0;
        node.forged = forgedEbmlSize(m.size, real);
        break;
      }
      case "insert":
        siblings.splice(index, 0, leaf(0x80 + (m.value % 0x7f), m.bytes));
        break;
    }
  }
  return root.children!;
}

function preorder(root: ElementNode): Array<{ node: ElementNode; parent: ElementNode }> {
  const out: Array<{ node: ElementNode; parent: ElementNode }> = [];
  const walk = (parent: ElementNode) => {
    for (const node of parent.children ?? []) {
      out.push({ node, parent });
      walk(node);
    }
  };
  walk(root);
  return out;
}

// ---------- ISO BMFF ----------

export interface BoxNode {
  /** Four bytes; the fourcc. */
  type: Uint8Array;
  /** Bytes before the children (full-box header, sample entry fields), or the whole body of a leaf. */
  prefix: Uint8Array;
  children?: BoxNode[];
  forged?: "huge" | "unknown" | "short" | "long" | "zero";
  /** Written with a 64-bit largesize. */
  large?: boolean;
}

const u32 = (n: number) => uintBytes(n >>> 0, 4);
const bytesOf = (...parts: (number[] | Uint8Array)[]) =>
  concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
const box = (type: string, prefix: Uint8Array, children?: BoxNode[]): BoxNode => ({
  type: ascii(type),
  prefix,
  children,
});

/** A small valid fragmented MP4: ftyp, moov (one H.264 track, mvex/trex), two moof+mdat. */
export function mp4Template(): BoxNode[] {
  const zeros = (n: number) => new Uint8Array(n);
  const avc1 = box("avc1", zeros(78), [box("avcC", bytesOf([1, 0x42, 0xe0, 0x1e, 0xff]))]);
  const trak = box("trak", zeros(0), [
    box("tkhd", bytesOf([0, 0, 0, 3], u32(0), u32(0), u32(1), zeros(68))),
    box("mdia", zeros(0), [
      box("mdhd", bytesOf([0, 0, 0, 0], u32(0), u32(0), u32(90000), u32(0), [0, 0, 0, 0])),
      box("hdlr", bytesOf([0, 0, 0, 0], u32(0), ascii("vide"), zeros(13))),
      box("minf", zeros(0), [
        box("stbl", zeros(0), [box("stsd", bytesOf([0, 0, 0, 0], u32(1)), [avc1])]),
      ]),
    ]),
  ]);
  const fragment = (seq: number, time: number): BoxNode[] => [
    box("moof", zeros(0), [
      box("mfhd", bytesOf([0, 0, 0, 0], u32(seq))),
      box("traf", zeros(0), [
        box("tfhd", bytesOf([0, 0x02, 0, 0x20], u32(1), u32(0x2000000))),
        box("tfdt", bytesOf([1, 0, 0, 0], u32(0), u32(time))),
        box(
          "trun",
          bytesOf(
            [0, 0, 0x03, 0x05],
            u32(2),
            u32(0),
            u32(0x2000000),
            u32(3000),
            u32(40),
            u32(3000),
            u32(20),
          ),
        ),
      ]),
    ]),
    box("mdat", zeros(60).map((_, i) => (i * 7) & 255)),
  ];
  return [
    box("ftyp", bytesOf(ascii("iso5"), u32(0), ascii("iso5"), ascii("mp41"))),
    box("moov", zeros(0), [
      box("mvhd", bytesOf([0, 0, 0, 0], zeros(96))),
      trak,
      box("mvex", zeros(0), [
        box("trex", bytesOf([0, 0, 0, 0], u32(1), u32(1), u32(3000), u32(0), u32(0x10000))),
      ]),
    ]),
    ...fragment(1, 0),
    ...fragment(2, 6000),
  ];
}

export function serializeBoxes(nodes: readonly BoxNode[]): Uint8Array {
  return concat(nodes.map(serializeBox));
}

function serializeBox(node: BoxNode): Uint8Array {
  const body = concat([node.prefix, ...(node.children ?? []).map(serializeBox)]);
  const type = node.type.length === 4
    ? node.type
    : bytesOf(node.type, [0x20, 0x20, 0x20, 0x20]).subarray(0, 4);
  const real = body.length + (node.large ? 16 : 8);
  if (node.large || node.forged === "huge") {
    const big = node.forged === "huge" ? 2 ** 53 - 1 : real;
    const hi = Math.floor(big / 2 ** 32), lo = big % 2 ** 32;
    return concat([u32(1), type, u32(hi), u32(lo), body]);
  }
  const size = node.forged === undefined
    ? real
    : node.forged === "unknown" || node.forged === "zero"
    ? 0
    : node.forged === "short"
    ? Math.max(0, real - 1 - (real >> 1))
    : real + 1 + (real >> 1);
  return concat([u32(size), type, body]);
}

/** Applies `mutations` to a deep copy of `template`. */
export function mutateBoxes(
  template: readonly BoxNode[],
  mutations: readonly Mutation[],
): BoxNode[] {
  if (mutations.length === 0) return template as BoxNode[];
  const root: BoxNode = {
    type: ascii("root"),
    prefix: new Uint8Array(0),
    children: structuredClone(template as BoxNode[]),
  };
  for (const m of mutations) {
    const nodes: Array<{ node: BoxNode; parent: BoxNode }> = [];
    const walk = (parent: BoxNode) => {
      for (const node of parent.children ?? []) {
        nodes.push({ node, parent });
        walk(node);
      }
    };
    walk(root);
    if (nodes.length === 0) break;
    const { node, parent } = nodes[m.at % nodes.length];
    const siblings = parent.children!;
    const index = siblings.indexOf(node);
    switch (m.kind) {
      case "string": // the fourcc is the string field of a box (and becomes a codec name)
        node.type = m.bytes.subarray(0, 4).length === 4
          ? m.bytes.subarray(0, 4)
          : bytesOf(m.bytes, ascii("    ")).subarray(0, 4);
        break;
      case "body":
        node.prefix = m.bytes;
        if (m.bytes.length % 3 === 0) delete node.children;
        break;
      case "duplicate":
        siblings.splice(index, 0, ...Array.from({ length: m.times }, () => structuredClone(node)));
        break;
      case "remove":
        siblings.splice(index, 1);
        break;
      case "id":
        node.type = Uint8Array.from(u32(m.value));
        break;
      case "size":
        if (m.size === "huge") node.forged = "huge";
        else if (m.size === "long" && index % 2 === 0) node.large = true;
        else node.forged = m.size;
        break;
      case "insert":
        siblings.splice(index, 0, { type: u32(m.value), prefix: m.bytes });
        break;
    }
  }
  return root.children!;
}
