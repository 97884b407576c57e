/**
 * Runs the fuzz targets with fast-check: `runs` inputs in all, 90 % to the
 * container parsers (WebM and MP4 trees, random bytes, random chunking),
 * 9 % to the protocol decoders, 1 % through the full server. Returns the
 * figures; throws (with fast-check's shrunk counterexample and seed) on the
 * first violation.
 */
import fc from "fast-check";
import { binaryFrame, chunking, containerBytes, textFrame } from "./inputs.ts";
import { fuzzParser, fuzzProtocol, ServerTarget } from "./targets.ts";

export type Target = "parsers" | "protocol" | "server";

export interface FuzzOptions {
  runs: number;
  seed?: number;
  only?: Target;
  log?: (line: string) => void;
}

export interface TargetFigures {
  target: Target;
  runs: number;
  seconds: number;
  rssStartMb: number;
  rssEndMb: number;
}

/** How many of `runs` each target gets. */
export function share(runs: number, only?: Target): Record<Target, number> {
  if (only) return { parsers: 0, protocol: 0, server: 0, [only]: runs };
  const server = Math.max(1, Math.round(runs * 0.01));
  const protocol = Math.max(1, Math.round(runs * 0.09));
  return { parsers: Math.max(1, runs - server - protocol), protocol, server };
}

const rssMb = () => Math.round(Deno.memoryUsage().rss / 1048576);

export async function runFuzz(options: FuzzOptions): Promise<TargetFigures[]> {
  const log = options.log ?? (() => {});
  const counts = share(options.runs, options.only);
  const seed = options.seed ?? Date.now() % 2 ** 31;
  log(
    `fuzz: seed ${seed}; parsers ${counts.parsers}, protocol ${counts.protocol}, server ${counts.server}`,
  );
  const figures: TargetFigures[] = [];
  const params = (numRuns: number) => ({ numRuns, seed, endOnFailure: true });
  const timed = async (target: Target, runs: number, body: () => Promise<void> | void) => {
    if (runs === 0) return;
    const rssStartMb = rssMb();
    const t0 = performance.now();
    await body();
    const f = {
      target,
      runs,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      rssStartMb,
      rssEndMb: rssMb(),
    };
    figures.push(f);
    log(`fuzz ${target}: ${runs} inputs in ${f.seconds} s, RSS ${f.rssStartMb} → ${f.rssEndMb} MB`);
  };

  await timed(
    "parsers",
    counts.parsers,
    () => fc.assert(fc.property(containerBytes, chunking, fuzzParser), params(counts.parsers)),
  );
  await timed(
    "protocol",
    counts.protocol,
    () => fc.assert(fc.property(textFrame, binaryFrame, fuzzProtocol), params(counts.protocol)),
  );
  await timed("server", counts.server, async () => {
    const target = new ServerTarget();
    await target.start();
    try {
      await fc.assert(
        fc.asyncProperty(
          containerBytes,
          chunking,
          fc.boolean(),
          (bytes, sizes, ws) => target.run(bytes, sizes, ws),
        ),
        params(counts.server),
      );
      target.check();
      const f = target.figures();
      log(`fuzz server: viewer got ${f.viewerFrames} frames; media memory ${f.mediaMemoryBytes} B`);
    } finally {
      await target.stop();
    }
  });
  return figures;
}
