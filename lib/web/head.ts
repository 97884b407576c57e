/**
 * `<Head>`: pages put a title or meta tags into the document head. Children are
 * rendered in place as nothing and collected for the document shell.
 */
import type { ComponentChildren } from "preact";

let collected: ComponentChildren[] | null = null;

export function Head(props: { children?: ComponentChildren }): null {
  collected?.push(props.children);
  return null;
}

/** Runs a synchronous render and returns what `<Head>` elements it met. */
export function collectHead<T>(render: () => T): { result: T; head: ComponentChildren[] } {
  const outer = collected;
  collected = [];
  try {
    const result = render();
    return { result, head: collected };
  } finally {
    collected = outer;
  }
}
