/**
 * Browser side of islands: hydrates every `<chalk-island data-island=name>`
 * with the component and the props the server rendered it with. Each island's
 * generated entry calls this once.
 */
import { type ComponentType, h, hydrate } from "preact";

// deno-lint-ignore no-explicit-any
export function hydrateIsland(name: string, component: ComponentType<any>): void {
  const selector = `chalk-island[data-island="${name}"]`;
  for (const el of document.querySelectorAll<HTMLElement>(selector)) {
    const props = JSON.parse(el.dataset.props ?? "{}");
    hydrate(h(component, props), el);
  }
}
