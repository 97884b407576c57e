import { useEffect, useState } from "preact/hooks";

/** False during server rendering and until the island has hydrated: keeps controls disabled. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
