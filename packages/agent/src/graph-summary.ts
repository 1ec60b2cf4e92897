import { DirectedGraph, UndirectedGraph } from 'graphology';
import { connectedComponents, stronglyConnectedComponents } from 'graphology-components';
import type { CoChangeWeights, ImportEdge } from '@sixty/core';

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups of files that import each other in a cycle (two or more files): each group must stay in one part. Sorted. */
export function importCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const graph = new DirectedGraph();
  for (const file of files) graph.addNode(file);
  for (const edge of edges) {
    if (edge.from !== edge.to && graph.hasNode(edge.from) && graph.hasNode(edge.to)) graph.mergeEdge(edge.from, edge.to);
  }
  return stronglyConnectedComponents(graph)
    .filter((component) => component.length > 1)
    .map((component) => [...component].sort(compareStrings))
    .sort((a, b) => compareStrings(a[0] as string, b[0] as string));
}

export interface CoChangeCluster {
  files: string[];
  /** Commits that changed a pair of its files, summed over the pairs kept. */
  weight: number;
}

export interface CoChangeClusterOptions {
  /** Pairs changed together in fewer commits say little; default 2. */
  minWeight?: number;
  maxClusters?: number;
  maxFilesPerCluster?: number;
}

/**
 * Files that change together in git, as clusters: the connected groups of the pairs changed
 * together at least minWeight times. Heaviest first, then by first file; deterministic.
 */
export function coChangeClusters(coChange: CoChangeWeights | null, options: CoChangeClusterOptions = {}): CoChangeCluster[] {
  if (!coChange) return [];
  const minWeight = options.minWeight ?? 2;
  const graph = new UndirectedGraph();
  const weightOf = new Map<string, number>();
  for (const pair of coChange.pairs) {
    if (pair.weight < minWeight || pair.a === pair.b) continue;
    graph.mergeNode(pair.a);
    graph.mergeNode(pair.b);
    graph.mergeEdge(pair.a, pair.b);
    weightOf.set(pair.a, (weightOf.get(pair.a) ?? 0) + pair.weight);
  }
  const clusters = connectedComponents(graph).map((component) => {
    const files = [...component].sort(compareStrings);
    return { files, weight: files.reduce((total, file) => total + (weightOf.get(file) ?? 0), 0) };
  });
  clusters.sort((a, b) => b.weight - a.weight || compareStrings(a.files[0] as string, b.files[0] as string));
  return clusters
    .slice(0, options.maxClusters ?? 50)
    .map((cluster) => ({ files: cluster.files.slice(0, options.maxFilesPerCluster ?? 50), weight: cluster.weight }));
}
