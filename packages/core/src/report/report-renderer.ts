import type { Report } from './report-model';

/** Every output format is a peer behind this one interface, chosen by name. */
export interface ReportRenderer {
  readonly format: string;
  render(report: Report): string;
}
