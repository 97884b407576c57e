/**
 * Server side of islands: while a page renders, every island component is
 * wrapped in `<chalk-island data-island="Name" data-props="{json}">` so that
 * the browser bundle (see hydrate.ts) can hydrate it with the same props. The
 * names of the islands a page used decide which scripts it loads.
 */
import { type ComponentType, h, options, type VNode } from "preact";

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

const names = new Map<AnyComponent, string>();
const wrappers = new Map<AnyComponent, AnyComponent>();
let used: Set<string> | null = null;
let creatingInner = false;

/** Registers the island components of a manifest under their names. */
export function registerIslands(islands: Record<string, AnyComponent>): void {
  for (const [name, component] of Object.entries(islands)) {
    names.set(component, name);
    wrappers.set(component, wrapperFor(name, component));
  }
}

function wrapperFor(name: string, component: AnyComponent): AnyComponent {
  return function IslandWrapper(props: Record<string, unknown>) {
    used?.add(name);
    creatingInner = true;
    let inner: VNode;
    try {
      inner = h(component, props);
    } finally {
      creatingInner = false;
    }
    return h(
      "chalk-island",
      { "data-island": name, "data-props": serialiseProps(name, props) },
      inner,
    );
  };
}

/** Props must survive JSON: functions or class instances cannot cross to the browser. */
function serialiseProps(name: string, props: Record<string, unknown>): string {
  const { children: _children, ...rest } = props;
  const json = JSON.stringify(rest);
  if (JSON.stringify(JSON.parse(json)) !== json) {
    throw new TypeError(`island ${name}: props must be plain JSON values`);
  }
  return json;
}

const previousHook = options.vnode;
options.vnode = (vnode) => {
  if (!creatingInner && typeof vnode.type === "function") {
    const wrapper = wrappers.get(vnode.type as AnyComponent);
    if (wrapper) vnode.type = wrapper;
  }
  previousHook?.(vnode);
};

/** Runs a synchronous render and returns the island names it used. */
export function collectIslands<T>(render: () => T): { result: T; islands: string[] } {
  const outer = used;
  used = new Set();
  try {
    const result = render();
    return { result, islands: [...used] };
  } finally {
    used = outer;
  }
}
