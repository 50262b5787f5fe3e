/** The catalog sizes the workload benchmark measures, and what it prints for each. */
export const CATALOG_SIZES = [10_000, 100_000, 1_000_000, 10_000_000];

export interface WorkloadFigures {
  catalogSize: number;
  setupMs: number;
  clicks: number;
  sessions: number;
  clicksPerSecond: number;
  /** Per second of the process's own CPU time: the figure to trust when other processes share the cores. */
  clicksPerCpuSecond: number;
  peakRssMb: number;
}
