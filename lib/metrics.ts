/**
 * A small Prometheus registry that writes the text exposition format
 * (version 0.0.4): counters kept here, and families computed at scrape time
 * from whatever holds the figures (the hub). Every family is written once
 * with its HELP and TYPE; label values are escaped. Pure.
 */

export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export type MetricType = "counter" | "gauge";

/** The Content-Type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A counter kept in memory, optionally with labels; it never goes down. */
export class Counter {
  #values = new Map<string, Sample>();

  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new RangeError(`counter ${this.name} cannot go down`);
    const key = labelText(labels);
    const sample = this.#values.get(key);
    if (sample) sample.value += by;
    else this.#values.set(key, { labels: { ...labels }, value: by });
  }

  /** The value for exactly these labels (0 if never counted). */
  get(labels: Labels = {}): number {
    return this.#values.get(labelText(labels))?.value ?? 0;
  }

  samples(): Sample[] {
    return [...this.#values.values()];
  }
}

interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: () => Sample[];
}

export class Registry {
  #families = new Map<string, Family>();

  /** A counter this registry keeps. */
  counter(name: string, help: string): Counter {
    const counter = new Counter(name, help);
    this.#add({ name, type: "counter", help, samples: () => counter.samples() });
    return counter;
  }

  /** A family whose samples are computed at each scrape. */
  collect(name: string, type: MetricType, help: string, samples: () => Sample[]): void {
    this.#add({ name, type, help, samples });
  }

  /** Every family in registration order, in the text format. */
  render(): string {
    let out = "";
    for (const family of this.#families.values()) {
      out += `# HELP ${family.name} ${escapeHelp(family.help)}\n`;
      out += `# TYPE ${family.name} ${family.type}\n`;
      for (const { labels = {}, value } of family.samples()) {
        out += `${family.name}${labelText(labels)} ${formatValue(value)}\n`;
      }
    }
    return out;
  }

  #add(family: Family): void {
    if (!NAME.test(family.name)) throw new TypeError(`bad metric name "${family.name}"`);
    if (this.#families.has(family.name)) {
      throw new TypeError(`metric "${family.name}" registered twice`);
    }
    this.#families.set(family.name, family);
  }
}

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** `{a="1",b="2"}` in key order, or "" without labels. */
function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  for (const k of keys) if (!LABEL.test(k)) throw new TypeError(`bad label name "${k}"`);
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(",")}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
