/**
 * A minimal logger: one line per event, injectable so tests stay quiet and can
 * read what was logged. Never pass secrets (room keys) to it.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Logs to stderr/stdout with an ISO timestamp. */
export function consoleLogger(): Logger {
  const line = (level: string, message: string) =>
    `${new Date().toISOString()} ${level} ${message}`;
  return {
    info: (m) => console.log(line("info", m)),
    warn: (m) => console.warn(line("warn", m)),
    error: (m) => console.error(line("error", m)),
  };
}

/** Keeps lines in memory (tests). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}
