/**
 * Turns on vectored writes in Deno's WebSocket (`DENO_USE_WRITEV`, read once
 * by Deno, ext/websocket/lib.rs, on its first socket), unless the operator
 * set the variable. Why: with it off (Deno's default), fastwebsockets copies
 * every frame into a per-socket buffer that keeps the capacity of the largest
 * frame it ever sent: one retained buffer the size of a keyframe per viewer.
 * With vectored writes a frame goes out as header + payload. (Deno 2.9.6's
 * HTTP/1.1 server no longer reads the variable; see lib/egress/http_live.ts.)
 * Measured in bench/fanout_bench.ts; see README "Capacity".
 */
export function useVectoredWrites(): void {
  try {
    if (Deno.env.get("DENO_USE_WRITEV") === undefined) Deno.env.set("DENO_USE_WRITEV", "1");
  } catch {
    // No --allow-env: Deno's default (copying) writes still work.
  }
}
