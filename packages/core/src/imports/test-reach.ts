import type { ImportEdge } from './import-graph-types';

/** Above this many bytes of reach bitsets, fall back to one breadth-first search per test. */
const MAX_BITSET_BYTES = 256 * 1024 * 1024;

/**
 * For each test file, the project files it reaches at runtime through the import edges
 * (type-only edges carry no code and do not count), sorted.
 *
 * Tests share most of what they reach, so reach sets are computed once per strongly connected
 * component, as bitsets, sinks first (a component's set is its members plus its successors'
 * sets); reading the bits in order yields sorted paths, since ids follow the sorted file order.
 */
export function computeTestReach(
  files: readonly string[],
  edges: readonly ImportEdge[],
  testFiles: readonly string[],
  options: { maxBitsetBytes?: number } = {},
): Record<string, string[]> {
  const sorted = [...files].sort();
  const count = sorted.length;
  const idOf = new Map(sorted.map((path, id) => [path, id]));
  const graph = compressedAdjacency(count, edges, idOf);
  const tests = [...new Set(testFiles)].sort().filter((test) => idOf.has(test));
  if (tests.length === 0) return {};
  const words = Math.ceil(count / 32);
  const { componentOf, components } = stronglyConnectedComponents(count, graph);
  if (components * words * 4 > (options.maxBitsetBytes ?? MAX_BITSET_BYTES)) return reachByBreadthFirstSearch(sorted, idOf, graph, tests);

  // Members of each component, and each component's bitset once its successors are done.
  const memberStart = new Int32Array(components + 1);
  for (let node = 0; node < count; node++) increment(memberStart, (componentOf[node] as number) + 1, 1);
  for (let component = 0; component < components; component++) increment(memberStart, component + 1, memberStart[component] as number);
  const members = new Int32Array(count);
  const fill = memberStart.slice(0, components);
  for (let node = 0; node < count; node++) members[increment(fill, componentOf[node] as number, 1) - 1] = node;

  // Only components some test reaches need a set.
  const needed = new Uint8Array(components);
  const pending = tests.map((test) => componentOf[idOf.get(test) as number] as number);
  for (const component of pending) needed[component] = 1;
  while (pending.length > 0) {
    const component = pending.pop() as number;
    for (let at = memberStart[component] as number; at < (memberStart[component + 1] as number); at++) {
      const node = members[at] as number;
      for (let edge = graph.start[node] as number; edge < (graph.start[node + 1] as number); edge++) {
        const successor = componentOf[graph.next[edge] as number] as number;
        if (needed[successor] === 0) {
          needed[successor] = 1;
          pending.push(successor);
        }
      }
    }
  }
  const bits = new Uint32Array(components * words);
  for (let component = 0; component < components; component++) {
    if (needed[component] === 0) continue;
    const own = component * words;
    for (let at = memberStart[component] as number; at < (memberStart[component + 1] as number); at++) {
      const node = members[at] as number;
      bits[own + (node >>> 5)] = (bits[own + (node >>> 5)] as number) | (1 << (node & 31));
      for (let edge = graph.start[node] as number; edge < (graph.start[node + 1] as number); edge++) {
        const successor = componentOf[graph.next[edge] as number] as number;
        if (successor === component) continue;
        const other = successor * words; // numbered sinks first: already complete
        for (let word = 0; word < words; word++) bits[own + word] = (bits[own + word] as number) | (bits[other + word] as number);
      }
    }
  }

  const reach: Array<[string, string[]]> = [];
  for (const test of tests) {
    const id = idOf.get(test) as number;
    const own = (componentOf[id] as number) * words;
    const paths: string[] = [];
    for (let word = 0; word < words; word++) {
      let value = bits[own + word] as number;
      while (value !== 0) {
        const lowest = value & -value;
        const node = word * 32 + (31 - Math.clz32(lowest));
        if (node !== id) paths.push(sorted[node] as string);
        value ^= lowest;
      }
    }
    reach.push([test, paths]);
  }
  return Object.fromEntries(reach);
}

interface CompressedGraph {
  /** Targets of node n are next[start[n] .. start[n + 1]). */
  start: Int32Array;
  next: Int32Array;
}

function compressedAdjacency(count: number, edges: readonly ImportEdge[], idOf: ReadonlyMap<string, number>): CompressedGraph {
  const runtime: Array<[number, number]> = [];
  for (const edge of edges) {
    const from = idOf.get(edge.from);
    const to = idOf.get(edge.to);
    if (!edge.typeOnly && from !== undefined && to !== undefined) runtime.push([from, to]);
  }
  const start = new Int32Array(count + 1);
  for (const [from] of runtime) increment(start, from + 1, 1);
  for (let node = 0; node < count; node++) increment(start, node + 1, start[node] as number);
  const next = new Int32Array(runtime.length);
  const fill = start.slice(0, count);
  for (const [from, to] of runtime) next[increment(fill, from, 1) - 1] = to;
  return { start, next };
}

/**
 * Tarjan's algorithm, iterative (deep import chains would overflow the call stack). Components
 * are numbered in the order Tarjan completes them: every component after those it reaches.
 */
function stronglyConnectedComponents(count: number, graph: CompressedGraph): { componentOf: Int32Array; components: number } {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack = new Int32Array(count);
  const componentOf = new Int32Array(count);
  const callNode = new Int32Array(count);
  const callEdge = new Int32Array(count);
  let stackSize = 0;
  let counter = 0;
  let components = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = graph.start[root] as number;
    index[root] = low[root] = counter++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const node = callNode[depth] as number;
      const edge = callEdge[depth] as number;
      if (edge < (graph.start[node + 1] as number)) {
        callEdge[depth] = edge + 1;
        const target = graph.next[edge] as number;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack[stackSize++] = target;
          onStack[target] = 1;
          depth++;
          callNode[depth] = target;
          callEdge[depth] = graph.start[target] as number;
        } else if (onStack[target]) {
          low[node] = Math.min(low[node] as number, index[target] as number);
        }
        continue;
      }
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack[--stackSize] as number;
          onStack[member] = 0;
          componentOf[member] = components;
        } while (member !== node);
        components++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth] as number;
        low[parent] = Math.min(low[parent] as number, low[node] as number);
      }
    }
  }
  return { componentOf, components };
}

function reachByBreadthFirstSearch(sorted: readonly string[], idOf: ReadonlyMap<string, number>, graph: CompressedGraph, tests: readonly string[]): Record<string, string[]> {
  const visitedBy = new Int32Array(sorted.length).fill(-1);
  const queue = new Int32Array(sorted.length);
  const reach: Array<[string, string[]]> = [];
  for (const test of tests) {
    const origin = idOf.get(test) as number;
    let head = 0;
    let tail = 0;
    queue[tail++] = origin;
    visitedBy[origin] = origin;
    while (head < tail) {
      const node = queue[head++] as number;
      for (let edge = graph.start[node] as number; edge < (graph.start[node + 1] as number); edge++) {
        const target = graph.next[edge] as number;
        if (visitedBy[target] === origin) continue;
        visitedBy[target] = origin;
        queue[tail++] = target;
      }
    }
    reach.push([test, Array.from(queue.slice(1, tail).sort(), (id) => sorted[id] as string)]);
  }
  return Object.fromEntries(reach);
}

/** array[index] += by; returns the new value (typed arrays under noUncheckedIndexedAccess). */
function increment(array: Int32Array, index: number, by: number): number {
  const value = (array[index] as number) + by;
  array[index] = value;
  return value;
}
