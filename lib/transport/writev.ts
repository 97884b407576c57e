/**
 * Turns on vectored writes in Deno's HTTP/1 server and WebSocket
 * (`DENO_USE_WRITEV`, read once by Deno on its first connection), unless the
 * operator set the variable. Why: with it off (Deno's default), hyper copies
 * every chunk of a streamed response into a per-connection write buffer and
 * fastwebsockets copies every frame into a per-socket buffer that keeps the
 * capacity of the largest frame it ever sent. For a live stream that is one
 * retained buffer the size of a keyframe per viewer, plus up to hyper's
 * ~400 KiB of copies for an HTTP viewer that reads slowly. With vectored
 * writes both send the shared segment bytes as they are.
 * Measured in bench/fanout_bench.ts; see README "Capacity".
 */
export function useVectoredWrites(): void {
  try {
    if (Deno.env.get("DENO_USE_WRITEV") === undefined) Deno.env.set("DENO_USE_WRITEV", "1");
  } catch {
    // No --allow-env: Deno's default (copying) writes still work.
  }
}
