/**
 * Test helper: a small valid PDF written by hand, one page per colour, each
 * page a 16:9 sheet almost filled by a rectangle of that colour, so a test
 * can tell the pages apart by their pixels.
 */

/** A PDF with one page per `[r, g, b]` (0…1), 640×360 points each. */
export function colourPagesPdf(colours: [number, number, number][]): Uint8Array {
  const objects: string[] = [];
  const n = colours.length;
  const pageIds = colours.map((_, i) => 3 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${
    pageIds.map((id) => `${id} 0 R`).join(" ")
  }] /Count ${n} >>`;
  colours.forEach(([r, g, b], i) => {
    const page = pageIds[i], content = page + 1;
    objects[page] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 640 360] /Contents ${content} 0 R /Resources << >> >>`;
    const stream = `${r} ${g} ${b} rg 40 40 560 280 re f`;
    objects[content] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) {
    out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  }
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
