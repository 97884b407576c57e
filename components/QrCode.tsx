import { encode } from "uqr";

export interface QrCodeProps {
  text: string;
  /** Accessible name of the image. */
  label: string;
  class?: string;
}

/**
 * A QR code as inline SVG, one path of dark modules on a light quiet zone, so
 * it scans from a projector in light and dark themes and needs no request.
 */
export function QrCode({ text, label, class: className }: QrCodeProps) {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let d = "";
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    })
  );
  return (
    <svg
      class={className}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      data-testid="viewer-qr"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
