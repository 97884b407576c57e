/**
 * Serving a recorded file over HTTP with byte ranges, as players need to
 * seek: `Accept-Ranges: bytes`, a single `Range` → 206 with Content-Range,
 * an unsatisfiable one → 416, an `ETag` from size and modification time
 * (a growing file changes it) with `If-None-Match` → 304 and `If-Range`.
 * The body streams from the file; nothing is read into memory whole.
 */

/** A parsed single range, inclusive; null = the whole file; "bad" = unsatisfiable. */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | null | "bad" {
  if (!header) return null;
  const m = header.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!m) return null; // several ranges or another unit: answer with the whole file (RFC 9110)
  const [, from, to] = m;
  if (from === "" && to === "") return "bad";
  let start: number, end: number;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "bad";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return "bad";
  return { start, end };
}

export async function fileResponse(
  req: Request,
  path: string,
  contentType: string,
  cacheControl = "no-cache",
): Promise<Response> {
  const stat = await Deno.stat(path);
  const size = stat.size;
  const etag = `"${size.toString(36)}-${(stat.mtime?.getTime() ?? 0).toString(36)}"`;
  const headers = new Headers({
    "accept-ranges": "bytes",
    "content-type": contentType,
    "etag": etag,
    "cache-control": cacheControl,
  });
  if (req.headers.get("if-none-match")?.split(/\s*,\s*/).includes(etag)) {
    return new Response(null, { status: 304, headers });
  }
  const ifRange = req.headers.get("if-range");
  let range = req.method === "GET" || req.method === "HEAD"
    ? parseRange(req.headers.get("range"), size)
    : null;
  if (ifRange !== null && ifRange !== etag) range = null; // changed since: send it whole
  if (range === "bad") {
    const error = `the range is outside this ${size}-byte file; ask for bytes=0-${
      Math.max(0, size - 1)
    }`;
    return Response.json({ error, code: "range-not-satisfiable" }, {
      status: 416,
      headers: { "content-range": `bytes */${size}`, "accept-ranges": "bytes" },
    });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  headers.set("content-length", String(length));
  if (range) headers.set("content-range", `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (req.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  const file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  return new Response(limitedStream(file, length), { status, headers });
}

/** The next `length` bytes of `file` as a stream; closes the file at the end or on cancel. */
function limitedStream(file: Deno.FsFile, length: number): ReadableStream<Uint8Array> {
  let left = length;
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      file.close();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buf = new Uint8Array(Math.min(left, 256 * 1024));
      const n = await file.read(buf);
      if (n === null || n === 0) {
        close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
      if (left <= 0) {
        close();
        controller.close();
      }
    },
    cancel: close,
  });
}
